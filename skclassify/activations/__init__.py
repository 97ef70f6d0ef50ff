"""Activation functions: one registry of named records, the Gaussian included."""

from ._registry import ACTIVATIONS, Activation, gaussian, get_activation

__all__ = ["ACTIVATIONS", "Activation", "gaussian", "get_activation"]
