"""Networks: the structure key, the Keras MLP, and its weights as numpy arrays."""

from ._mlp import (
    build_mlp,
    forward,
    from_keras_weights,
    init_coefs,
    to_keras_weights,
)
from ._spec import NetSpec

__all__ = [
    "NetSpec",
    "build_mlp",
    "forward",
    "from_keras_weights",
    "init_coefs",
    "to_keras_weights",
]
