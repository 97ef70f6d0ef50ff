"""Networks: the structure keys, the Keras MLP, users' models, weights as numpy."""

from ._keras import (
    KerasModelSpec,
    check_model,
    init_keras_weights,
    model_json,
    model_structure,
    output_activation,
)
from ._mlp import (
    build_mlp,
    forward,
    from_keras_weights,
    init_coefs,
    to_keras_weights,
)
from ._spec import NetSpec

__all__ = [
    "KerasModelSpec",
    "NetSpec",
    "build_mlp",
    "check_model",
    "forward",
    "from_keras_weights",
    "init_coefs",
    "init_keras_weights",
    "model_json",
    "model_structure",
    "output_activation",
    "to_keras_weights",
]
