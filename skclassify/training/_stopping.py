"""scikit-learn's stopping rules for stochastic training.

:class:`StoppingRule` mirrors ``BaseMultilayerPerceptron._update_no_improvement_count``:
without early stopping it watches the training loss (an epoch that does not
beat the best loss by ``tol`` counts as no improvement); with early stopping
it watches the validation score. Training stops once more than
``n_iter_no_change`` epochs in a row brought no improvement.

Because the count grows by at most one per epoch, the rule cannot fire within
the next :meth:`StoppingRule.epochs_before_stop_possible` epochs: the training
driver runs exactly that many epochs in one compiled call and still stops at
the same epoch as scikit-learn, without a host round trip per epoch.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["LearningRateSchedule", "StoppingRule"]


@dataclass
class StoppingRule:
    """Counters of the stopping rule; they persist across warm starts.

    Parameters
    ----------
    tol : float
        Smallest improvement that counts.
    n_iter_no_change : int
        Epochs without improvement tolerated.
    early_stopping : bool
        Watch the validation score instead of the training loss.
    best_loss : float or None
        Lowest training loss so far (None with early stopping).
    best_validation_score : float or None
        Highest validation score so far (None without early stopping).
    no_improvement_count : int
        Epochs in a row without improvement.
    """

    tol: float
    n_iter_no_change: int
    early_stopping: bool
    best_loss: float | None = None
    best_validation_score: float | None = None
    no_improvement_count: int = 0
    #: what early stopping watches: "val_accuracy" (scikit-learn) or "val_loss"
    monitor: str = "val_accuracy"

    @classmethod
    def fresh(cls, tol, n_iter_no_change, early_stopping, monitor="val_accuracy"):
        """The rule's state before the first epoch."""
        return cls(
            tol,
            n_iter_no_change,
            early_stopping,
            best_loss=None if early_stopping else np.inf,
            best_validation_score=-np.inf if early_stopping else None,
            monitor=monitor,
        )

    def score_of(self, logs):
        """The watched validation number of an epoch's logs, higher is better
        (the validation loss is negated)."""
        if self.monitor == "val_loss":
            return -logs["val_loss"]
        return logs["val_accuracy"]

    def update_loss(self, loss):
        """Account for one epoch's training loss (without early stopping)."""
        if loss > self.best_loss - self.tol:
            self.no_improvement_count += 1
        else:
            self.no_improvement_count = 0
        if loss < self.best_loss:
            self.best_loss = loss

    def update_score(self, score):
        """Account for one epoch's validation score; True if it is a new best."""
        if score < self.best_validation_score + self.tol:
            self.no_improvement_count += 1
        else:
            self.no_improvement_count = 0
        if score > self.best_validation_score:
            self.best_validation_score = score
            return True
        return False

    @property
    def should_stop(self):
        """Whether more than ``n_iter_no_change`` epochs brought no improvement."""
        return self.no_improvement_count > self.n_iter_no_change

    def epochs_before_stop_possible(self):
        """How many epochs can run before the rule could fire (at least 1)."""
        left = self.n_iter_no_change + 1 - self.no_improvement_count
        return max(1, left) if np.isfinite(left) else np.inf


class LearningRateSchedule:
    """scikit-learn's learning-rate schedules of ``MLPClassifier`` (``sgd``).

    ``"constant"`` keeps the rate; ``"invscaling"`` sets it to
    ``learning_rate_init / (t + 1) ** power_t`` after every epoch, where ``t``
    counts the samples trained on so far (``SGDOptimizer.iteration_ends``);
    ``"adaptive"`` divides it by 5 each time the stopping rule fires, and
    stops only once it is at most 1e-6 (``SGDOptimizer.trigger_stopping``).

    Parameters
    ----------
    kind : {"constant", "invscaling", "adaptive"}
        The schedule.
    learning_rate_init : float
        The initial rate.
    power_t : float
        Exponent of ``invscaling``.
    current : float or None
        The rate in use (a warm start continues from it); None: the initial.
    """

    def __init__(self, kind, learning_rate_init, power_t=0.5, current=None):
        self.kind = kind
        self.learning_rate_init = float(learning_rate_init)
        self.power_t = power_t
        self.current = self.learning_rate_init if current is None else current

    @property
    def every_epoch(self):
        """Whether the rate changes after every epoch (the host must look)."""
        return self.kind == "invscaling"

    def after_epoch(self, samples_seen):
        """The rate for the next epoch (``invscaling``)."""
        self.current = self.learning_rate_init / (samples_seen + 1) ** self.power_t
        return self.current

    def on_plateau(self):
        """The lowered rate when the stopping rule fires, or None to stop."""
        if self.kind != "adaptive":
            return None
        if self.current <= 1e-6:
            return None
        self.current /= 5.0
        return self.current
