"""Budget curves: held-out accuracy of one training run at growing step counts.

One net trains once on a training part, one epoch per
:meth:`partial_fit` call (which keeps the optimizer state, unlike ``fit``
with ``warm_start``), and is scored on the held-out part at step counts
that grow geometrically. The run stops at the first of three rules:

- *target*: the held-out accuracy reaches ``target - tolerance`` (e.g. the
  best simple model's accuracy);
- *plateau*: over the last ``plateau_factor`` times the steps (e.g. from
  10,000 to 40,000 steps) neither the held-out accuracy rose by at least
  ``tolerance`` nor the training loss fell by at least ``min_loss_drop``
  of its value; never before ``min_steps``;
- *cap*: ``max_steps`` gradient steps.
"""

import math
import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

#: Checkpoints grow by this factor: two per doubling of the steps.
GROWTH = math.sqrt(2)

__all__ = ["CurveRule", "budget_curve", "checkpoints", "steps_per_epoch"]


@dataclass(frozen=True)
class CurveRule:
    """When a budget curve stops.

    Parameters
    ----------
    max_steps : int
        The cap, in gradient steps.
    target : float or None, default=None
        Stop once the held-out accuracy is at least ``target - tolerance``.
    tolerance : float, default=0.01
        How close to ``target`` counts as reaching it; also the least rise
        of accuracy that is not a plateau.
    plateau_factor : float, default=4.0
        The plateau is judged over the steps from ``s / plateau_factor`` to
        ``s``.
    min_loss_drop : float, default=0.01
        The least relative fall of the training loss over that span that is
        not a plateau.
    min_steps : int, default=1000
        No plateau stop before this many steps.
    """

    max_steps: int
    target: float | None = None
    tolerance: float = 0.01
    plateau_factor: float = 4.0
    min_loss_drop: float = 0.01
    min_steps: int = 1000

    def describe(self):
        """The rule in one sentence, for a report."""
        target = "" if self.target is None else f" ({self.target:.3f})"
        return (
            f"A curve stops when it reaches its target{target} less "
            f"{self.tolerance}, or plateaus (from {self.min_steps:,} "
            f"steps on: over the last {self.plateau_factor:g}x of its steps the "
            f"held-out accuracy rose by less than {self.tolerance} and the "
            f"training loss fell by less than {self.min_loss_drop:.0%}), or at "
            f"the cap of {self.max_steps:,} steps."
        )

    def reason(self, rows):
        """Why the curve in ``rows`` stops after its last row, or ``None``."""
        last = rows[-1]
        if self.target is not None and last["accuracy"] >= self.target - (
            self.tolerance + 1e-12
        ):
            return "target"
        if last["steps"] >= self.max_steps:
            return "cap"
        if last["steps"] < self.min_steps:
            return None
        start = last["steps"] / self.plateau_factor
        before = [row for row in rows if row["steps"] <= start]
        if not before:
            return None
        then = before[-1]
        best_then = max(row["accuracy"] for row in before)
        rose = last["accuracy"] - best_then >= self.tolerance
        fell = then["loss"] - last["loss"] >= self.min_loss_drop * abs(then["loss"])
        return None if rose or fell else "plateau"


def steps_per_epoch(batch_size, n_samples):
    """Gradient steps in one epoch of ``n_samples`` rows."""
    if batch_size is None:
        return 1
    size = min(200, n_samples) if batch_size == "auto" else int(batch_size)
    return math.ceil(n_samples / max(1, min(size, n_samples)))


def checkpoints(max_steps, per_epoch, *, first=10, growth=GROWTH):
    """Epoch counts at which a curve is scored: steps growing by ``growth``.

    Examples
    --------
    >>> checkpoints(100, 1)
    [10, 15, 21, 29, 41, 57, 81, 100]
    """
    epochs, steps = [], float(first)
    while True:
        epoch = max(1, math.ceil(min(steps, max_steps) / per_epoch))
        if not epochs or epoch > epochs[-1]:
            epochs.append(epoch)
        if steps >= max_steps:
            return epochs
        steps *= growth


def budget_curve(estimator, X_train, y_train, X_test, y_test, rule, *, seed=None):
    """Train one net once and score it on held-out rows at growing step counts.

    Parameters
    ----------
    estimator : estimator or Pipeline
        A classifier with ``partial_fit`` (a KerasClassifier), or a
        :class:`~sklearn.pipeline.Pipeline` ending in one; the pipeline's
        other steps are fitted once on the training rows.
    X_train, y_train : array-like
        Training rows.
    X_test, y_test : array-like
        Held-out rows.
    rule : CurveRule
        When to stop.
    seed : int or None, default=None
        Set as the net's ``random_state`` (weights, batches).

    Returns
    -------
    list of dict
        One per checkpoint: ``steps``, ``epochs``, ``seconds`` (training
        wall time so far, the per-epoch calls and the preprocessing
        included, scoring excluded), ``accuracy`` (held-out), ``loss``
        (training) and ``stop`` (the rule that ended the run, on the last
        row; ``None`` before).

    Examples
    --------
    >>> from skclassify import KerasMLPClassifier
    >>> from skclassify.datasets import make_waves
    >>> X, y = make_waves(10, n_classes=4, n_features=8, random_state=0)
    >>> net = KerasMLPClassifier(hidden_layer_sizes=(8,), learning_rate=0.01)
    >>> rows = budget_curve(net, X[::2], y[::2], X[1::2], y[1::2],
    ...                     CurveRule(max_steps=40, target=1.0), seed=0)
    >>> rows[-1]["stop"] in ("target", "cap")
    True
    """
    estimator = clone(estimator)
    start = time.perf_counter()
    if hasattr(estimator, "steps"):
        pre, net = estimator[:-1], estimator[-1]
        X_train = pre.fit_transform(X_train, y_train)
        X_test = pre.transform(X_test)
    else:
        net = estimator
    if seed is not None:
        net.set_params(random_state=seed)
    seconds = time.perf_counter() - start
    y_test = np.asarray(y_test)
    per_epoch = steps_per_epoch(net.get_params()["batch_size"], len(y_train))
    classes = np.unique(y_train)
    rows, done = [], 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for epochs in checkpoints(rule.max_steps, per_epoch):
            start = time.perf_counter()
            for _ in range(epochs - done):
                net.partial_fit(X_train, y_train, classes=classes)
            seconds += time.perf_counter() - start
            done = epochs
            rows.append(
                {
                    "steps": epochs * per_epoch,
                    "epochs": epochs,
                    "seconds": seconds,
                    "accuracy": float(np.mean(net.predict(X_test) == y_test)),
                    "loss": float(net.loss_),
                    "stop": None,
                }
            )
            rows[-1]["stop"] = rule.reason(rows)
            if rows[-1]["stop"] is not None:
                break
    return rows
