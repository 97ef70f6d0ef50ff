"""Tables of results: mean, interval and spreads per group, pivots, names."""

from collections.abc import Iterable, Sequence

import pandas as pd

from skclassify.reporting._intervals import interval_columns

__all__ = ["join_names", "mean_std_table", "split_columns", "summarize"]

#: Metrics for which a smaller value is better (sorted ascending).
LOWER_IS_BETTER = {"log_loss", "fit_time", "predict_time"}


def summarize(
    results: pd.DataFrame,
    by: str | Sequence[str] = ("model",),
    *,
    metrics: Sequence[str] = (
        "accuracy",
        "balanced_accuracy",
        "roc_auc",
        "log_loss",
        "fit_time",
    ),
    sort_by: str = "accuracy",
) -> pd.DataFrame:
    """Mean, spread over all runs and spread over seeds, per group, best first.

    Parameters
    ----------
    results : DataFrame
        One row per (seed, fold) run, as returned by :func:`compare_models`
        or :func:`read_results`. Without a ``seed`` column every row counts
        as seed 0.

    by : str or sequence of str, default=("model",)
        The grouping columns, e.g. ``["n_classes", "model"]``.

    metrics : sequence of str, default=("accuracy", "balanced_accuracy", \
"roc_auc", "log_loss", "fit_time")
        The columns to aggregate; those missing from ``results`` are skipped.

    sort_by : str, default="accuracy"
        The metric to rank by: best first (highest, or lowest for
        ``log_loss`` and times). The grouping columns other than ``"model"``
        are sorted first, so models are ranked within each setting.

    Returns
    -------
    summary : DataFrame
        One row per group: the ``by`` columns, ``n_seeds``, ``n_folds``
        (distinct folds), ``n_runs`` (rows), then for each metric
        ``<metric>_mean`` and ``<metric>_std`` (over all runs),
        ``<metric>_seed_std``: the standard deviation over seeds of each
        seed's mean over folds (NaN with one seed), i.e. how much a whole
        cross-validation run moves with the seed, and ``<metric>_ci_low``,
        ``<metric>_ci_high``: the 95% confidence interval of the mean
        (:func:`mean_interval`; corrected for the overlap of the training
        sets when ``results`` has ``n_train`` and ``n_test``; clipped to
        [0, 1] for scores).

    See Also
    --------
    compare_models : Produces per-run results.
    mean_std_table : A "mean ± std" pivot of a summary.
    plot_metric : Plots a summary.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.reporting import summarize
    >>> results = pd.DataFrame({
    ...     "model": ["a"] * 4 + ["b"] * 4,
    ...     "seed": [0, 0, 1, 1] * 2,
    ...     "fold": [0, 1] * 4,
    ...     "accuracy": [0.5, 0.7, 0.7, 0.9, 0.9, 0.9, 0.9, 0.9],
    ... })
    >>> summarize(results)[["model", "n_seeds", "n_runs", "accuracy_mean",
    ...                     "accuracy_seed_std"]]
      model  n_seeds  n_runs  accuracy_mean  accuracy_seed_std
    0     b        2       4            0.9           0.000000
    1     a        2       4            0.7           0.141421
    """
    by = [by] if isinstance(by, str) else list(by)
    metrics = [m for m in metrics if m in results.columns]
    if sort_by not in metrics:
        raise ValueError(f"sort_by={sort_by!r} is not one of the metrics {metrics}.")
    if "seed" not in results.columns:
        results = results.assign(seed=0)

    grouped = results.groupby(by, sort=False, dropna=False)
    summary = grouped[metrics].agg(["mean", "std"])
    summary.columns = [f"{metric}_{stat}" for metric, stat in summary.columns]
    per_seed = results.groupby([*by, "seed"], sort=False, dropna=False)[metrics].mean()
    seed_std = per_seed.groupby(level=list(range(len(by))), sort=False).std()
    seed_std.columns = [f"{metric}_seed_std" for metric in metrics]
    summary = summary.join(seed_std)
    for metric in metrics:
        cis = grouped[[metric, *{"n_train", "n_test"} & set(results)]].apply(
            interval_columns, metric
        )
        summary = summary.join(cis)
    stats_ = ("mean", "std", "seed_std", "ci_low", "ci_high")
    summary = summary[[f"{m}_{s}" for m in metrics for s in stats_]]
    summary.insert(0, "n_runs", grouped.size())
    summary.insert(0, "n_folds", grouped["fold"].nunique() if "fold" in results else 1)
    summary.insert(0, "n_seeds", grouped["seed"].nunique())
    summary = summary.reset_index()

    keys = [column for column in by if column != "model"]
    summary = summary.sort_values(
        [*keys, f"{sort_by}_mean"],
        ascending=[True] * len(keys) + [sort_by in LOWER_IS_BETTER],
        kind="stable",
    )
    return summary.reset_index(drop=True)


def mean_std_table(
    summary: pd.DataFrame,
    metric: str = "accuracy",
    *,
    index: str = "model",
    columns: str | None = None,
    fmt: str = ".3f",
    seed_std: bool = True,
    order: Iterable | None = None,
    interval: bool = False,
) -> pd.DataFrame:
    """A table of "mean ± std" strings (and the spread over seeds) of a summary.

    With ``interval=True`` each cell is the mean and its 95% confidence
    interval instead, ``"0.980 [0.962, 0.998]"`` (see :func:`summarize`).

    Parameters
    ----------
    summary : DataFrame
        A :func:`summarize` table.

    metric : str, default="accuracy"
        The metric to show.

    index : str, default="model"
        The column whose values become the rows.

    columns : str, default=None
        A column whose values become the columns (e.g. ``"n_classes"``);
        None gives one column named after the metric.

    fmt : str, default=".3f"
        The number format.

    seed_std : bool, default=True
        Append the spread over seeds as ``(seeds ± s)`` when the summary
        has it and more than one seed.

    order : iterable, default=None
        The order of the rows (default: as in ``summary``).

    interval : bool, default=False
        Show the confidence interval of the mean (``<metric>_ci_low``,
        ``<metric>_ci_high``) instead of ``± std``.

    Returns
    -------
    table : DataFrame
        Strings, ready for :func:`write_report`.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.reporting import mean_std_table
    >>> summary = pd.DataFrame({"model": ["svc"], "n_seeds": [3],
    ...     "accuracy_mean": [0.98], "accuracy_std": [0.01],
    ...     "accuracy_seed_std": [0.002]})
    >>> mean_std_table(summary).iloc[0, 0]
    '0.980 ± 0.010 (seeds ± 0.002)'
    >>> summary = summary.assign(accuracy_ci_low=0.962, accuracy_ci_high=0.998)
    >>> mean_std_table(summary, interval=True, seed_std=False).iloc[0, 0]
    '0.980 [0.962, 0.998]'
    """

    def cell(row) -> str:
        mean, std = row[f"{metric}_mean"], row.get(f"{metric}_std")
        if pd.isna(mean):
            return "n/a"
        if interval:
            low, high = row[f"{metric}_ci_low"], row[f"{metric}_ci_high"]
            text = f"{mean:{fmt}} [{low:{fmt}}, {high:{fmt}}]"
        else:
            text = f"{mean:{fmt}} ± {0.0 if pd.isna(std) else std:{fmt}}"
        spread = row.get(f"{metric}_seed_std")
        if seed_std and row.get("n_seeds", 1) > 1 and not pd.isna(spread):
            text += f" (seeds ± {spread:{fmt}})"
        return text

    values = summary.apply(cell, axis=1)
    if columns is None:
        table = pd.DataFrame({metric: values.to_numpy()}, index=summary[index])
    else:
        table = summary.assign(_value=values).pivot(
            index=index, columns=columns, values="_value"
        )
        table.columns = [f"{columns}={c}" for c in table.columns]
        # A model that did not run at some column value.
        table = table.fillna("not run")
    if order is not None:
        table = table.reindex([name for name in order if name in table.index])
    table.index.name = index
    return table


def join_names(names, limit: int | None = 3) -> str:
    """``"a, b and c"``; beyond ``limit`` names, ``"a, b and 4 others"``.

    Examples
    --------
    >>> from skclassify.reporting import join_names
    >>> join_names(["svc", "lr", "mlp", "knn"])
    'svc, lr and 2 others'
    """
    names = list(names)
    if limit is not None and len(names) > limit:
        return f"{', '.join(names[: limit - 1])} and {len(names) - limit + 1} others"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def split_columns(table: pd.DataFrame, max_columns: int) -> list[pd.DataFrame]:
    """Split a wide table into tables of at most ``max_columns`` columns.

    Each part keeps the index, so that every table reads on its own and
    fits a docs page without scrolling.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.reporting import split_columns
    >>> table = pd.DataFrame([[1, 2, 3, 4, 5]], index=["svc"])
    >>> [list(part.columns) for part in split_columns(table, 2)]
    [[0, 1], [2, 3], [4]]
    """
    if max_columns < 1:
        raise ValueError(f"max_columns must be at least 1, got {max_columns}.")
    return [
        table.iloc[:, start : start + max_columns]
        for start in range(0, max(table.shape[1], 1), max_columns)
    ]
