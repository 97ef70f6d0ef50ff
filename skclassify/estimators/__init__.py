"""The scikit-learn estimators."""

from ._mlp import KerasMLPClassifier

__all__ = ["KerasMLPClassifier"]
