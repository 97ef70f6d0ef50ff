"""skclassify: Keras neural nets as first-class scikit-learn classifiers.

Importing skclassify imports Keras (TensorFlow backend unless ``KERAS_BACKEND``
says otherwise) without TensorFlow's start-up log lines.
"""

from ._backend import import_keras

import_keras()

from .estimators import KerasMLPClassifier  # noqa: E402

__version__ = "0.1.0"

__all__ = ["KerasMLPClassifier", "__version__"]
