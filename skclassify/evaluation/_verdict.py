"""The verdict of a comparison: the best model against each other one.

One rule serves ``skclassify compare``, :mod:`skclassify.evaluation` users
and the benchmark reports: the corrected repeated k-fold t-test over all
(seed, fold) differences (:func:`paired_ttest`), Holm's correction across
the verdict's comparisons, and a practical threshold. A difference counts
only when its mean is at least the threshold and its Holm-adjusted p-value
is below ``alpha``; otherwise the verdict says "no significant difference"
and gives the 95% confidence interval of the mean difference.
"""

from typing import NamedTuple

import pandas as pd

from skclassify.evaluation._metrics import METRICS
from skclassify.evaluation._pairwise import ALPHA, THRESHOLD, pairwise_ttests

__all__ = ["Verdict", "describe_difference", "verdict"]


class Verdict(NamedTuple):
    """The best model and its paired comparisons with the others.

    Attributes
    ----------
    best : str
        The model with the best mean ``metric`` (the reference).
    metric : str
        The metric the verdict is about.
    table : DataFrame
        :func:`pairwise_ttests`'s table, plus ``text``: each comparison in
        words (:func:`describe_difference`).
    text : str
        The verdict in one sentence.
    unscored : tuple of str
        Models without any value of ``metric`` (log loss without
        ``predict_proba``), left out of the comparisons.
    """

    best: str
    metric: str
    table: pd.DataFrame
    text: str
    unscored: tuple


def _oriented(row, greater_is_better: bool):
    """Mean difference and interval, positive where the reference is better."""
    if greater_is_better:
        return row.mean_diff, row.ci_low, row.ci_high
    return -row.mean_diff, -row.ci_high, -row.ci_low


def _p(row) -> str:
    return "p < 0.001" if row.p_holm < 0.001 else f"p = {row.p_holm:.3f}"


def describe_difference(row, *, greater_is_better: bool = True) -> str:
    """One comparison of :func:`pairwise_ttests` in words.

    Parameters
    ----------
    row : namedtuple or Series
        A row of :func:`pairwise_ttests`'s table (``model_b``,
        ``mean_diff``, ``ci_low``, ``ci_high``, ``p_holm``, ``outcome``).
    greater_is_better : bool, default=True
        Whether a larger score is better.

    Returns
    -------
    text : str
        ``"beats B by 0.150 (95% CI [0.120, 0.180], Holm p < 0.001)"``,
        ``"loses to B by ..."`` or ``"B: no significant difference (95% CI
        [-0.010, 0.014])"``; differences are oriented so that a positive one
        favours the reference.

    Examples
    --------
    >>> import pandas as pd
    >>> row = pd.Series({"model_b": "svc", "mean_diff": 0.002, "ci_low": -0.01,
    ...                  "ci_high": 0.014, "p_holm": 0.6,
    ...                  "outcome": "no significant difference"})
    >>> describe_difference(row)
    'svc: no significant difference (95% CI [-0.010, 0.014])'
    """
    diff, low, high = _oriented(row, greater_is_better)
    interval = f"95% CI [{low:.3f}, {high:.3f}]"
    if row.outcome == "beats":
        return f"beats {row.model_b} by {diff:.3f} ({interval}, Holm {_p(row)})"
    if row.outcome == "loses to":
        return f"loses to {row.model_b} by {-diff:.3f} ({interval}, Holm {_p(row)})"
    return f"{row.model_b}: no significant difference ({interval})"


def verdict(
    results: pd.DataFrame,
    *,
    metric: str = "accuracy",
    reference: str | None = None,
    others=None,
    alpha: float = ALPHA,
    threshold: float = THRESHOLD,
) -> Verdict:
    """The best model against each other one, in a table and in words.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`compare_models` for one setting (one data set).

    metric : str, default="accuracy"
        A key of :data:`METRICS` (its direction decides "best").

    reference : str, default=None
        The model held against the others (default: the best mean).

    others : sequence of str, default=None
        The models compared with the reference (default: all the others).
        Holm's correction runs over exactly these comparisons.

    alpha : float, default=0.05
        The significance level of the Holm-adjusted p-values.

    threshold : float, default=0.01
        The practical threshold on the mean difference.

    Returns
    -------
    verdict : Verdict
        ``best``, ``metric``, ``table``, ``text`` and ``unscored``.

    See Also
    --------
    pairwise_ttests : The table without the words.
    choose_metric : Which metric a data set's verdict should use.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.evaluation import verdict
    >>> results = pd.DataFrame({
    ...     "model": ["a"] * 5 + ["b"] * 5,
    ...     "seed": [0] * 10,
    ...     "fold": list(range(5)) * 2,
    ...     "accuracy": [0.92, 0.93, 0.91, 0.92, 0.94] + [0.8] * 5,
    ...     "n_train": [80] * 10, "n_test": [20] * 10,
    ... })
    >>> print(verdict(results).text)  # doctest: +NORMALIZE_WHITESPACE
    a has the best mean accuracy (0.924); it beats b by 0.124
    (95% CI [0.103, 0.145], Holm p < 0.001).
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {sorted(METRICS)}, got {metric!r}.")
    spec = METRICS[metric]
    means = results.groupby("model", sort=False)[metric].mean()
    unscored = tuple(means.index[means.isna()])
    table = pairwise_ttests(
        results,
        reference,
        metric=metric,
        greater_is_better=spec.greater_is_better,
        alpha=alpha,
        threshold=threshold,
        others=others,
    )
    best = reference
    if best is None:
        scored = means.dropna()
        best = scored.idxmax() if spec.greater_is_better else scored.idxmin()
    table["text"] = [
        describe_difference(row, greater_is_better=spec.greater_is_better)
        for row in table.itertuples()
    ]
    parts = [f"{best} has the best mean {spec.label} ({means[best]:.3f})"]
    for outcome in ("beats", "loses to"):
        rows = table[table["outcome"] == outcome]
        if len(rows):
            parts.append("it " + "; ".join(rows["text"]))
    rest = table[~table["outcome"].isin(["beats", "loses to"])]
    parts.extend(rest["text"])
    if unscored:
        parts.append(f"{', '.join(unscored)}: n/a (no {spec.label})")
    return Verdict(best, metric, table, "; ".join(parts) + ".", unscored)
