"""Model building: the Keras MLP and its initial weights."""

from ._mlp import build_mlp, initial_weights

__all__ = ["build_mlp", "initial_weights"]
