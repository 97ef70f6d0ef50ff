"""Confidence intervals of the mean of cross-validation scores."""

import math

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["BOUNDED", "CONFIDENCE", "INTERVAL_NOTE", "mean_interval"]

#: Metrics that live in [0, 1]: their intervals are clipped to it.
BOUNDED = {"accuracy", "balanced_accuracy", "roc_auc"}

#: The level of every confidence interval of a mean in a report.
CONFIDENCE = 0.95

#: How the intervals are computed, in words (for a report's text).
INTERVAL_NOTE = (
    "95% confidence intervals of the mean: Student's t with n - 1 degrees of "
    "freedom over the n seed x fold runs, with Nadeau and Bengio's corrected "
    "variance (1/n + n_test/n_train) when the split sizes are known; clipped "
    "to [0, 1] for scores"
)


def mean_interval(
    values,
    *,
    n_train: float | None = None,
    n_test: float | None = None,
    confidence: float = CONFIDENCE,
    bounds: tuple[float, float] | None = (0.0, 1.0),
) -> tuple[float, float, float]:
    """The mean of cross-validation scores and its confidence interval.

    Student's t with ``n - 1`` degrees of freedom. The runs of repeated
    cross-validation share training rows, so their scores are correlated:
    with the split sizes, the variance of the mean is Nadeau and Bengio's
    corrected ``(1/n + n_test/n_train) * s**2`` instead of ``s**2 / n``.

    Parameters
    ----------
    values : array-like of shape (n,)
        One score per run; NaN values are left out.
    n_train, n_test : float, default=None
        The sizes of a split's parts (None: the plain ``s**2 / n``).
    confidence : float, default=0.95
        The level of the interval.
    bounds : tuple of float or None, default=(0.0, 1.0)
        Clip the interval to these bounds (None: no clipping).

    Returns
    -------
    mean, low, high : float
        NaN for no values; ``low == high == mean`` for one value.

    Examples
    --------
    >>> from skclassify.reporting import mean_interval
    >>> [round(v, 3) for v in mean_interval([0.97, 0.99, 1.0, 1.0, 0.98])]
    [0.988, 0.972, 1.0]
    """
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(values.mean())
    if n == 1:
        return (mean, mean, mean)
    factor = 1 / n
    if n_train and n_test:
        factor += n_test / n_train
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * math.sqrt(
        factor * values.var(ddof=1)
    )
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return (mean, low, high)


def interval_columns(group: pd.DataFrame, metric: str) -> pd.Series:
    """``<metric>_ci_low`` and ``<metric>_ci_high`` of one group of runs."""
    sizes = {}
    if {"n_train", "n_test"} <= set(group.columns):
        sizes = {"n_train": group["n_train"].mean(), "n_test": group["n_test"].mean()}
    bounds = (0.0, 1.0) if metric in BOUNDED else (0.0, math.inf)
    _, low, high = mean_interval(group[metric], bounds=bounds, **sizes)
    return pd.Series({f"{metric}_ci_low": low, f"{metric}_ci_high": high})
