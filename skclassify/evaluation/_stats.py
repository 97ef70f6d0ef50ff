"""Is one model better than another? Paired tests over cross-validation runs.

The scores of two models on the same folds are correlated, and so are the
folds themselves: their training sets overlap. The plain paired t-test over
folds is then far too confident. Nadeau and Bengio (2003) correct the
variance of the mean difference by the ratio of test to training size; this
is the test scikit-learn's user guide shows in its example "Statistical
comparison of models using grid search".
"""

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["TTestResult", "corrected_ttest", "paired_ttest", "pairwise_ttests"]


class TTestResult(NamedTuple):
    """The corrected resampled t-test of a mean difference.

    Attributes
    ----------
    mean : float
        The mean difference (A - B).
    std : float
        The standard deviation of the differences (ddof=1).
    se : float
        The corrected standard error of the mean difference.
    t : float
        ``mean / se``.
    p : float
        The two-sided p-value, from Student's t with ``n - 1`` degrees of
        freedom.
    n : int
        The number of differences (train/test splits).
    """

    mean: float
    std: float
    se: float
    t: float
    p: float
    n: int


def corrected_ttest(differences, n_train: float, n_test: float) -> TTestResult:
    """Nadeau and Bengio's corrected resampled t-test of paired differences.

    The variance of the mean of ``n`` differences measured on resampled
    train/test splits is ``(1 / n + n_test / n_train) * var(differences)``
    instead of ``var / n``: the second term accounts for the overlap of the
    training sets, which makes the differences correlated.

    Parameters
    ----------
    differences : array-like of shape (n,)
        One score difference (A - B) per train/test split.

    n_train, n_test : float
        The sizes of the training and test parts of a split.

    Returns
    -------
    result : TTestResult
        ``mean``, ``std``, ``se``, ``t``, ``p`` (two-sided) and ``n``. With
        fewer than 2 differences ``t`` and ``p`` are NaN. Equal differences
        (zero variance) give ``t = 0, p = 1`` when they are 0 and
        ``t = ±inf, p = 0`` otherwise.

    References
    ----------
    C. Nadeau and Y. Bengio, "Inference for the Generalization Error",
    Machine Learning 52, 239-281 (2003).

    Examples
    --------
    >>> from skclassify.evaluation import corrected_ttest
    >>> result = corrected_ttest([0.02, 0.03, 0.01, 0.02, 0.04], 80, 20)
    >>> round(result.mean, 3), round(result.t, 2), round(result.p, 3)
    (0.024, 3.14, 0.035)
    """
    differences = np.asarray(differences, dtype=float)
    n = differences.shape[0]
    if n_train <= 0 or n_test <= 0:
        raise ValueError(
            f"n_train and n_test must be positive, got {n_train} and {n_test}."
        )
    mean = float(differences.mean()) if n else float("nan")
    if n < 2:
        return TTestResult(
            mean, float("nan"), float("nan"), float("nan"), float("nan"), n
        )
    std = float(differences.std(ddof=1))
    se = math.sqrt((1 / n + n_test / n_train) * std**2)
    if se == 0:
        t = 0.0 if mean == 0 else math.copysign(math.inf, mean)
        p = 1.0 if mean == 0 else 0.0
    else:
        t = mean / se
        p = float(2 * stats.t.sf(abs(t), df=n - 1))
    return TTestResult(mean, std, se, t, p, n)


def _paired(results: pd.DataFrame, model_a: str, model_b: str, metric: str):
    """The per-split differences A - B, averaged over seeds, and split sizes."""
    missing = {"model", "seed", "fold", metric} - set(results.columns)
    if missing:
        raise ValueError(f"results lack the columns {sorted(missing)}.")
    runs = {}
    for name in (model_a, model_b):
        rows = results[results["model"] == name]
        if rows.empty:
            raise ValueError(f"No results for the model {name!r}.")
        if rows.duplicated(["seed", "fold"]).any():
            raise ValueError(
                f"The model {name!r} has several rows per (seed, fold): select "
                "one setting (one data set, one set of tags) first."
            )
        runs[name] = rows.set_index(["seed", "fold"])
    a, b = runs[model_a], runs[model_b]
    common = a.index.intersection(b.index)
    if common.empty:
        raise ValueError(f"{model_a!r} and {model_b!r} share no (seed, fold) run.")
    if "split" in a and "split" in b:
        if not (a.loc[common, "split"] == b.loc[common, "split"]).all():
            raise ValueError(
                f"{model_a!r} and {model_b!r} were not run on the same splits."
            )
    frame = pd.DataFrame(
        {"difference": a.loc[common, metric] - b.loc[common, metric]}, index=common
    )
    # Seeds share a split: average them, one difference per split.
    per_split = frame.groupby(level="fold")["difference"].mean()
    n_train = float(a["n_train"].mean()) if "n_train" in a else None
    n_test = float(a["n_test"].mean()) if "n_test" in a else None
    return per_split.to_numpy(), len(common), n_train, n_test


def paired_ttest(
    results: pd.DataFrame,
    model_a: str,
    model_b: str,
    *,
    metric: str = "accuracy",
    n_train: float | None = None,
    n_test: float | None = None,
) -> dict:
    """Compare two models over the same (seed, fold) runs.

    The score differences A - B are paired by (seed, fold). The seeds of
    one fold share its train/test split, so they are averaged into one
    difference per split first; the corrected resampled t-test
    (:func:`corrected_ttest`) then runs over the splits. A repeated splitter
    (``RepeatedStratifiedKFold``) gives more splits and a stronger test.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`compare_models` for one setting (one data set).

    model_a, model_b : str
        The models to compare.

    metric : str, default="accuracy"
        The score compared (higher is better for the interpretation of the
        sign; any column works).

    n_train, n_test : float, default=None
        The split sizes (default: the ``n_train`` and ``n_test`` columns).

    Returns
    -------
    result : dict
        ``model_a``, ``model_b``, ``metric``, ``mean_diff``, ``std_diff``
        (over splits), ``se`` (corrected), ``t``, ``p`` (two-sided),
        ``n_splits`` and ``n_runs`` (paired (seed, fold) runs).

    See Also
    --------
    pairwise_ttests : One model against every other.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.evaluation import paired_ttest
    >>> results = pd.DataFrame({
    ...     "model": ["a"] * 5 + ["b"] * 5,
    ...     "seed": [0] * 10,
    ...     "fold": list(range(5)) * 2,
    ...     "accuracy": [0.92, 0.93, 0.91, 0.92, 0.94, 0.9, 0.9, 0.9, 0.9, 0.9],
    ...     "n_train": [80] * 10, "n_test": [20] * 10,
    ... })
    >>> result = paired_ttest(results, "a", "b")
    >>> round(result["mean_diff"], 3), round(result["p"], 3)
    (0.024, 0.035)
    """
    differences, n_runs, train, test = _paired(results, model_a, model_b, metric)
    n_train = train if n_train is None else n_train
    n_test = test if n_test is None else n_test
    if n_train is None or n_test is None:
        raise ValueError("Pass n_train and n_test, or results with such columns.")
    test_result = corrected_ttest(differences, n_train, n_test)
    return {
        "model_a": model_a,
        "model_b": model_b,
        "metric": metric,
        "mean_diff": test_result.mean,
        "std_diff": test_result.std,
        "se": test_result.se,
        "t": test_result.t,
        "p": test_result.p,
        "n_splits": test_result.n,
        "n_runs": n_runs,
    }


def pairwise_ttests(
    results: pd.DataFrame,
    reference: str | None = None,
    *,
    metric: str = "accuracy",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """One model against every other: paired differences and their tests.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`compare_models` for one setting (one data set).

    reference : str, default=None
        The model compared with the others (default: the best mean
        ``metric``).

    metric : str, default="accuracy"
        The score; higher is better.

    alpha : float, default=0.05
        The significance level of the two-sided tests (no correction for
        the number of comparisons).

    Returns
    -------
    table : DataFrame
        One row per other model, best first: the columns of
        :func:`paired_ttest`, then ``significant`` (``p < alpha``) and
        ``outcome``: ``"beats"``, ``"loses to"`` (the reference against the
        other model, significant either way) or ``"ties"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.evaluation import pairwise_ttests
    >>> results = pd.DataFrame({
    ...     "model": ["a"] * 5 + ["b"] * 5 + ["c"] * 5,
    ...     "seed": [0] * 15,
    ...     "fold": list(range(5)) * 3,
    ...     "accuracy": [0.92, 0.93, 0.91, 0.92, 0.94] + [0.9] * 5
    ...                 + [0.93, 0.9, 0.92, 0.91, 0.93],
    ...     "n_train": [80] * 15, "n_test": [20] * 15,
    ... })
    >>> pairwise_ttests(results)[["model_a", "model_b", "outcome"]]
      model_a model_b outcome
    0       a       c    ties
    1       a       b   beats
    """
    means = results.groupby("model", sort=False)[metric].mean()
    if reference is None:
        reference = means.idxmax()
    rows = [
        paired_ttest(results, reference, other, metric=metric)
        for other in means.sort_values(ascending=False).index
        if other != reference
    ]
    columns = [
        "model_a",
        "model_b",
        "metric",
        "mean_diff",
        "std_diff",
        "se",
        "t",
        "p",
        "n_splits",
        "n_runs",
    ]
    table = pd.DataFrame.from_records(rows, columns=columns)
    table["significant"] = table["p"] < alpha
    table["outcome"] = np.where(
        ~table["significant"],
        "ties",
        np.where(table["mean_diff"] > 0, "beats", "loses to"),
    )
    return table
