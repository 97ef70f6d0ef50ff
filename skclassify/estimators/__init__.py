"""The scikit-learn estimators."""

from ._keras import KerasClassifier
from ._mlp import KerasMLPClassifier

__all__ = ["KerasClassifier", "KerasMLPClassifier"]
