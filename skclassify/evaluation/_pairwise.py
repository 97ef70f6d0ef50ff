"""One model against several: paired tests corrected for their number.

A table or a verdict makes several comparisons at once; Holm's step-down
method (:func:`holm`) keeps the chance of any false claim among them below
``alpha``, and a practical threshold keeps differences too small to matter
from counting however consistent they are.
"""

import numpy as np
import pandas as pd

from skclassify.evaluation._stats import paired_ttest

__all__ = ["ALPHA", "THRESHOLD", "holm", "pairwise_ttests"]

#: Significance level of every paired test, after Holm's correction.
ALPHA = 0.05

#: The practical threshold: a smaller mean difference never counts.
THRESHOLD = 0.01


def holm(pvalues) -> np.ndarray:
    """Holm's step-down adjustment of several p-values for their number.

    The ``i``-th smallest of ``m`` p-values is multiplied by ``m - i``
    (``i`` from 0), then made non-decreasing and capped at 1. Comparing the
    adjusted p-values with ``alpha`` keeps the chance of any false claim
    among the ``m`` below ``alpha``. NaN stays NaN and does not count.

    Parameters
    ----------
    pvalues : array-like of shape (m,)
        The p-values of one table's or one verdict's comparisons.

    Returns
    -------
    adjusted : ndarray of shape (m,)
        The adjusted p-values, in the order given.

    References
    ----------
    S. Holm, "A Simple Sequentially Rejective Multiple Test Procedure",
    Scandinavian Journal of Statistics 6, 65-70 (1979).

    Examples
    --------
    >>> from skclassify.evaluation import holm
    >>> holm([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    pvalues = np.asarray(pvalues, dtype=float)
    adjusted = np.full(pvalues.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(pvalues))
    order = valid[np.argsort(pvalues[valid], kind="stable")]
    m = len(order)
    running = 0.0
    for i, index in enumerate(order):
        running = max(running, min(1.0, (m - i) * pvalues[index]))
        adjusted[index] = running
    return adjusted


#: The columns of :func:`pairwise_ttests`'s table.
PAIRWISE_COLUMNS = (
    "model_a",
    "model_b",
    "metric",
    "mean_diff",
    "std_diff",
    "se",
    "t",
    "p",
    "ci_low",
    "ci_high",
    "n_splits",
    "n_runs",
    "p_holm",
    "significant",
    "outcome",
)


def pairwise_ttests(
    results: pd.DataFrame,
    reference: str | None = None,
    *,
    metric: str = "accuracy",
    greater_is_better: bool = True,
    alpha: float = ALPHA,
    threshold: float = THRESHOLD,
    others=None,
) -> pd.DataFrame:
    """One model against every other: paired tests, Holm-corrected.

    Each comparison is :func:`paired_ttest`; Holm's method (:func:`holm`)
    then corrects the p-values for the number of comparisons in the table.
    A difference counts (``significant``) when its mean is at least
    ``threshold`` in size *and* its Holm-adjusted p-value is below
    ``alpha``.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`compare_models` for one setting (one data set).

    reference : str, default=None
        The model compared with the others (default: the best mean
        ``metric``).

    metric : str, default="accuracy"
        The score. Models without any value of it (log loss of a model
        without ``predict_proba``) are left out.

    greater_is_better : bool, default=True
        Whether a larger ``metric`` is better (False for a loss).

    alpha : float, default=0.05
        The significance level, compared with the Holm-adjusted p-values.

    threshold : float, default=0.01
        The practical threshold: smaller mean differences never count.

    others : sequence of str, default=None
        The models compared with ``reference`` (default: all the others).

    Returns
    -------
    table : DataFrame
        One row per other model, best first: the columns of
        :func:`paired_ttest`, then ``p_holm``, ``significant`` and
        ``outcome``: ``"beats"`` or ``"loses to"`` (the reference against
        the other model, when significant), otherwise ``"no significant
        difference"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.evaluation import pairwise_ttests
    >>> results = pd.DataFrame({
    ...     "model": ["a"] * 5 + ["b"] * 5 + ["c"] * 5,
    ...     "seed": [0] * 15,
    ...     "fold": list(range(5)) * 3,
    ...     "accuracy": [0.92, 0.93, 0.91, 0.92, 0.94] + [0.8] * 5
    ...                 + [0.93, 0.9, 0.92, 0.91, 0.93],
    ...     "n_train": [80] * 15, "n_test": [20] * 15,
    ... })
    >>> pairwise_ttests(results)[["model_a", "model_b", "outcome"]]
      model_a model_b                    outcome
    0       a       c  no significant difference
    1       a       b                      beats
    """
    sign = 1.0 if greater_is_better else -1.0
    means = results.groupby("model", sort=False)[metric].mean().dropna()
    if means.empty:
        raise ValueError(f"No model has a value of {metric!r}.")
    if reference is None:
        reference = (sign * means).idxmax()
    if others is None:
        others = [m for m in (sign * means).sort_values(ascending=False).index]
    rows = [
        paired_ttest(results, reference, other, metric=metric)
        for other in others
        if other != reference and other in means.index
    ]
    table = pd.DataFrame.from_records(rows, columns=list(PAIRWISE_COLUMNS[:-3]))
    table["p_holm"] = holm(table["p"])
    table["significant"] = (table["mean_diff"].abs() >= threshold) & (
        table["p_holm"] < alpha
    )
    table["outcome"] = np.where(
        ~table["significant"],
        "no significant difference",
        np.where(sign * table["mean_diff"] > 0, "beats", "loses to"),
    )
    return table
