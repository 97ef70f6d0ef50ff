"""skclassify: Keras neural nets as first-class scikit-learn classifiers.

``KerasClassifier`` and ``KerasMLPClassifier`` are imported on first use:
``skclassify.datasets``, ``skclassify.evaluation`` and the command line start
without TensorFlow.
Keras (TensorFlow backend unless ``KERAS_BACKEND`` says otherwise) is then
imported without TensorFlow's start-up log lines.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers and API docs; imported lazily below
    from .estimators import KerasClassifier, KerasMLPClassifier

__version__ = "0.2.0.dev0"

__all__ = ["KerasClassifier", "KerasMLPClassifier", "__version__"]


def __getattr__(name):
    if name in ("KerasClassifier", "KerasMLPClassifier"):
        from . import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'skclassify' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
