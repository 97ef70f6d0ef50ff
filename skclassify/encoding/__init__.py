"""Losses, optimizers and the loss-aware target encoding."""

from ._losses import LOSSES, OPTIMIZERS
from ._target import LossTargetEncoder, outputs_to_proba

__all__ = ["LOSSES", "OPTIMIZERS", "LossTargetEncoder", "outputs_to_proba"]
