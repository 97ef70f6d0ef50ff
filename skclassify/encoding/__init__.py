"""Losses, optimizers and the loss-aware target encoding (no Keras import)."""

from ._losses import LOSSES, OPTIMIZERS, Loss, Optimizer, make_loss, make_optimizer
from ._target import LossTargetEncoder, encode_targets, outputs_to_proba, resolve_loss

__all__ = [
    "LOSSES",
    "OPTIMIZERS",
    "Loss",
    "LossTargetEncoder",
    "Optimizer",
    "encode_targets",
    "make_loss",
    "make_optimizer",
    "outputs_to_proba",
    "resolve_loss",
]
