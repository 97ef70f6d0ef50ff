"""Ship a fitted classifier: ONNX converters and safe persistence.

``import skclassify.export`` registers skl2onnx converters for
:class:`~skclassify.KerasMLPClassifier` and :class:`~skclassify.KerasClassifier`
(when skl2onnx is installed: the ``onnx`` extra), so that
``skl2onnx.to_onnx(pipeline, X[:1])`` converts a whole fitted pipeline.
:func:`trusted_types` lists what ``skops.io.load`` must trust for an
estimator; :func:`save_keras` and :func:`load_keras` keep a fitted
``KerasClassifier`` in Keras' own format, without pickle. Importing
``skclassify`` imports none of skl2onnx, onnx or skops; this module imports
skl2onnx (not onnxruntime) to register its converters.
"""

from importlib.util import find_spec

from ._keras_format import load_keras, save_keras
from ._layers import SUPPORTED_LAYERS
from ._onnx import register_converters
from ._skops import trusted_types

__all__ = [
    "SUPPORTED_LAYERS",
    "load_keras",
    "register_converters",
    "save_keras",
    "trusted_types",
]

if find_spec("skl2onnx") is not None:
    register_converters()
