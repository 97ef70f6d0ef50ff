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

__all__ = ["StoppingRule"]


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

    @classmethod
    def fresh(cls, tol, n_iter_no_change, early_stopping):
        """The rule's state before the first epoch."""
        return cls(
            tol,
            n_iter_no_change,
            early_stopping,
            best_loss=None if early_stopping else np.inf,
            best_validation_score=-np.inf if early_stopping else None,
        )

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
