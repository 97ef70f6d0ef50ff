"""The one-line verdict of a comparison, from the engine's paired t-tests."""

__all__ = ["ALPHA", "paired_differences", "verdict_line"]

#: Significance level of the paired tests: a larger p-value is a tie.
ALPHA = 0.05


def paired_differences(results, best: str, *, metric: str = "accuracy"):
    """``best`` against every other model, paired by (seed, fold).

    The corrected resampled t-test of Nadeau & Bengio (2003), as computed by
    :func:`skclassify.evaluation.pairwise_ttests`.
    """
    from skclassify.evaluation import pairwise_ttests

    return pairwise_ttests(results, reference=best, metric=metric, alpha=ALPHA)


def verdict_line(best: str, table, *, metric: str = "accuracy") -> str:
    """One sentence: whom ``best`` beats, by how much, and whom it ties.

    Parameters
    ----------
    best : str
        The model with the best mean score.
    table : DataFrame
        From :func:`paired_differences`: ``model_b``, ``mean_diff``,
        ``std_diff``, ``p`` and ``outcome``.
    metric : str, default="accuracy"
        The score, for the wording.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "model_b": ["svc", "lr"], "mean_diff": [0.002, 0.15],
    ...     "std_diff": [0.004, 0.01], "p": [0.6, 0.0001],
    ...     "outcome": ["ties", "beats"],
    ... })
    >>> print(verdict_line("mlp", table))  # doctest: +NORMALIZE_WHITESPACE
    mlp has the best mean accuracy; it beats lr by 0.150 ± 0.010 (p=0.0001);
    it ties svc (+0.002 ± 0.004, p=0.6).
    """
    beats = table[table["outcome"] == "beats"]
    ties = table[table["outcome"] != "beats"]
    parts = [f"{best} has the best mean {metric.replace('_', ' ')}"]
    if len(beats):
        parts.append(
            "it beats "
            + ", ".join(
                f"{r.model_b} by {r.mean_diff:.3f} ± {r.std_diff:.3f} (p={r.p:.2g})"
                for r in beats.sort_values("mean_diff").itertuples()
            )
        )
    if len(ties):
        parts.append(
            "it ties "
            + ", ".join(
                f"{r.model_b} ({r.mean_diff:+.3f} ± {r.std_diff:.3f}, p={r.p:.2g})"
                for r in ties.itertuples()
            )
        )
    return "; ".join(parts) + "."
