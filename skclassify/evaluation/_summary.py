"""Aggregate per-fold results into mean and std per group."""

from collections.abc import Sequence

import pandas as pd

__all__ = ["summarize"]

#: Metrics for which a smaller value is better (sorted ascending).
LOWER_IS_BETTER = {"log_loss", "fit_time", "predict_time"}


def summarize(
    results: pd.DataFrame,
    by: str | Sequence[str] = ("model",),
    *,
    metrics: Sequence[str] = ("accuracy", "balanced_accuracy", "log_loss", "fit_time"),
    sort_by: str = "accuracy",
) -> pd.DataFrame:
    """Mean and standard deviation of the metrics per group, sorted by score.

    Parameters
    ----------
    results : DataFrame
        Per-fold results, as returned by :func:`compare_models` or
        :func:`read_results`.

    by : str or sequence of str, default=("model",)
        The grouping columns, e.g. ``["n_classes", "model"]``.

    metrics : sequence of str, default=("accuracy", "balanced_accuracy", \
"log_loss", "fit_time")
        The columns to aggregate; those missing from ``results`` are skipped.

    sort_by : str, default="accuracy"
        The metric to rank by: best first (highest, or lowest for
        ``log_loss`` and times). The grouping columns other than ``"model"``
        are sorted first, so models are ranked within each setting.

    Returns
    -------
    summary : DataFrame
        One row per group: the ``by`` columns, ``n_folds``, then
        ``<metric>_mean`` and ``<metric>_std`` for each metric.

    See Also
    --------
    compare_models : Produces per-fold results.
    plot_metric : Plots a summary.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.evaluation import summarize
    >>> results = pd.DataFrame({
    ...     "model": ["a", "a", "b", "b"],
    ...     "fold": [0, 1, 0, 1],
    ...     "accuracy": [0.5, 0.7, 0.9, 0.9],
    ... })
    >>> summarize(results)
      model  n_folds  accuracy_mean  accuracy_std
    0     b        2            0.9      0.000000
    1     a        2            0.6      0.141421
    """
    by = [by] if isinstance(by, str) else list(by)
    metrics = [m for m in metrics if m in results.columns]
    if sort_by not in metrics:
        raise ValueError(f"sort_by={sort_by!r} is not one of the metrics {metrics}.")

    grouped = results.groupby(by, sort=False, dropna=False)
    summary = grouped[metrics].agg(["mean", "std"])
    summary.columns = [f"{metric}_{stat}" for metric, stat in summary.columns]
    summary.insert(0, "n_folds", grouped.size())
    summary = summary.reset_index()

    keys = [column for column in by if column != "model"]
    summary = summary.sort_values(
        [*keys, f"{sort_by}_mean"],
        ascending=[True] * len(keys) + [sort_by in LOWER_IS_BETTER],
        kind="stable",
    )
    return summary.reset_index(drop=True)
