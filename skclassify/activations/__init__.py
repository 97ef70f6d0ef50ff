"""Activation functions: the registry and the Gaussian activation."""

from ._registry import ACTIVATIONS, OUTPUT_ACTIVATIONS, gaussian, get_activation

__all__ = ["ACTIVATIONS", "OUTPUT_ACTIVATIONS", "gaussian", "get_activation"]
