"""Losses and optimizers: registries, Keras objects, and the loss-aware target encoding.

Importing this package does not import Keras: the registries hold Keras class
names, and the functions that make Keras objects import it when called.
"""

from ._keras import (
    is_custom_loss,
    loss_record,
    make_custom_loss,
    make_keras_loss,
    make_keras_optimizer,
    optimizer_record,
)
from ._losses import LOSSES, OPTIMIZERS, Loss, Optimizer, make_loss, make_optimizer
from ._target import (
    LossTargetEncoder,
    encode_targets,
    outputs_to_proba,
    resolve_loss,
    suits_multilabel,
)

__all__ = [
    "LOSSES",
    "OPTIMIZERS",
    "Loss",
    "LossTargetEncoder",
    "Optimizer",
    "encode_targets",
    "is_custom_loss",
    "loss_record",
    "make_custom_loss",
    "make_keras_loss",
    "make_keras_optimizer",
    "make_loss",
    "make_optimizer",
    "optimizer_record",
    "outputs_to_proba",
    "resolve_loss",
    "suits_multilabel",
]
