"""Fast training: one compiled training loop per network architecture.

:func:`train_network` takes numpy arrays and returns numpy arrays
(:class:`TrainResult`); no Keras object keeps fitted state.
"""

from ._fit import TrainResult, batch_indices, get_trainer, train_network
from ._stopping import LearningRateSchedule, StoppingRule

__all__ = [
    "LearningRateSchedule",
    "StoppingRule",
    "TrainResult",
    "batch_indices",
    "get_trainer",
    "train_network",
]
