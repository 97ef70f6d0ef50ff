"""The comparison's report: scores over seeds x folds, paired differences, verdict."""

import math

__all__ = ["paired_differences", "verdict_line"]

#: Two models whose paired difference has a p-value above this tie.
ALPHA = 0.05


def paired_differences(results, best: str, *, cv: int, metric: str = "accuracy"):
    """``best`` against every other model, cell by cell (same seed and fold).

    The test is the corrected resampled t-test of Nadeau & Bengio (2003): the
    variance of the mean difference is inflated by ``n_test / n_train`` (here
    ``1 / (cv - 1)``), because the training sets of the folds overlap.

    Returns
    -------
    table : DataFrame
        One row per other model: ``model``, ``difference`` (mean of best minus
        other), ``std`` (of the cell differences), ``n_pairs``, ``t``,
        ``p_value`` (two-sided) and ``outcome`` ("wins", "loses" or "ties").
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    keys = [key for key in ("seed", "fold") if key in results.columns]
    wide = results.pivot_table(index=keys, columns="model", values=metric)
    rows = []
    for model in wide.columns:
        if model == best:
            continue
        diff = (wide[best] - wide[model]).dropna().to_numpy()
        n = len(diff)
        mean = float(diff.mean()) if n else math.nan
        std = float(diff.std(ddof=1)) if n > 1 else math.nan
        ratio = 1 / (cv - 1)
        if n > 1 and std > 0:
            t = mean / math.sqrt((1 / n + ratio) * std**2)
            p = float(2 * stats.t.sf(abs(t), df=n - 1))
        else:
            t, p = (math.inf if mean else 0.0), (0.0 if mean else 1.0)
        outcome = "ties" if p > ALPHA else ("wins" if mean > 0 else "loses")
        rows.append(
            {
                "model": model,
                "difference": mean,
                "std": std,
                "n_pairs": n,
                "t": t,
                "p_value": p,
                "outcome": outcome,
            }
        )
    table = pd.DataFrame(rows)
    if not table.empty:
        table = table.sort_values("difference", kind="stable", ignore_index=True)
    return table.replace([np.inf, -np.inf], np.nan)


def verdict_line(best: str, table, *, metric: str = "accuracy") -> str:
    """One sentence: whom ``best`` beats, by how much, and whom it ties.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "model": ["svc", "lr"], "difference": [0.002, 0.15], "std": [0.004, 0.01],
    ...     "p_value": [0.6, 0.0001], "outcome": ["ties", "wins"],
    ... })
    >>> print(verdict_line("mlp", table))  # doctest: +NORMALIZE_WHITESPACE
    mlp has the best mean accuracy; it beats lr by 0.150 ± 0.010 (p=0.0001);
    it ties svc (+0.002 ± 0.004, p=0.6).
    """
    beats = table[table["outcome"] == "wins"]
    ties = table[table["outcome"] != "wins"]
    parts = [f"{best} has the best mean {metric.replace('_', ' ')}"]
    if len(beats):
        parts.append(
            "it beats "
            + ", ".join(
                f"{r.model} by {r.difference:.3f} ± {r.std:.3f} (p={r.p_value:.2g})"
                for r in beats.itertuples()
            )
        )
    if len(ties):
        parts.append(
            "it ties "
            + ", ".join(
                f"{r.model} ({r.difference:+.3f} ± {r.std:.3f}, p={r.p_value:.2g})"
                for r in ties.itertuples()
            )
        )
    return "; ".join(parts) + "."
