"""Fast training: one compiled training loop per network architecture."""

from ._fit import TrainResult, batch_indices, get_trainer, train_network
from ._spec import NetSpec

__all__ = ["NetSpec", "TrainResult", "batch_indices", "get_trainer", "train_network"]
