"""Is one model better than another? Paired tests over cross-validation runs.

The scores of two models on the same folds are correlated, and so are the
folds themselves: their training sets overlap. The plain paired t-test over
folds is then far too confident. Nadeau and Bengio (2003) correct the
variance of the mean difference by the ratio of test to training size; this
is the test scikit-learn's user guide shows in its example "Statistical
comparison of models using grid search".

Over ``r`` repetitions of ``k``-fold cross-validation, each repetition with
its own split *and* its own model seed, the test runs over all ``r * k``
paired differences with ``r * k - 1`` degrees of freedom, as Bouckaert and
Frank (2004) apply the correction: the spread between seeds stays in the
variance. Several comparisons in one table or one verdict are corrected for
their number in :mod:`skclassify.evaluation._pairwise`.
"""

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["TTestResult", "corrected_ttest", "paired_ttest"]


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
    ci_low, ci_high : float
        The confidence interval of the mean difference, ``mean ± q * se``
        with ``q`` the quantile of Student's t with ``n - 1`` degrees of
        freedom (95% unless asked otherwise).
    """

    mean: float
    std: float
    se: float
    t: float
    p: float
    n: int
    ci_low: float = float("nan")
    ci_high: float = float("nan")


def corrected_ttest(
    differences, n_train: float, n_test: float, *, confidence: float = 0.95
) -> TTestResult:
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

    confidence : float, default=0.95
        The level of the confidence interval ``ci_low, ci_high``.

    Returns
    -------
    result : TTestResult
        ``mean``, ``std``, ``se``, ``t``, ``p`` (two-sided), ``n`` and the
        confidence interval ``ci_low, ci_high`` of the mean. With
        fewer than 2 differences ``t`` and ``p`` are NaN. Equal differences
        (zero variance) give ``t = 0, p = 1`` when they are 0 and
        ``t = ±inf, p = 0`` otherwise.

    References
    ----------
    C. Nadeau and Y. Bengio, "Inference for the Generalization Error",
    Machine Learning 52, 239-281 (2003).

    R. R. Bouckaert and E. Frank, "Evaluating the Replicability of
    Significance Tests for Comparing Learning Algorithms", PAKDD 2004.

    Examples
    --------
    >>> from skclassify.evaluation import corrected_ttest
    >>> result = corrected_ttest([0.02, 0.03, 0.01, 0.02, 0.04], 80, 20)
    >>> round(result.mean, 3), round(result.t, 2), round(result.p, 3)
    (0.024, 3.14, 0.035)
    >>> round(result.ci_low, 3), round(result.ci_high, 3)
    (0.003, 0.045)
    """
    differences = np.asarray(differences, dtype=float)
    n = differences.shape[0]
    if n_train <= 0 or n_test <= 0:
        raise ValueError(
            f"n_train and n_test must be positive, got {n_train} and {n_test}."
        )
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}.")
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
    half = float(stats.t.ppf(0.5 + confidence / 2, df=n - 1)) * se
    return TTestResult(mean, std, se, t, p, n, mean - half, mean + half)


def _paired(results: pd.DataFrame, model_a: str, model_b: str, metric: str):
    """The differences A - B, one per (seed, fold) run, and the split sizes."""
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
    n_splits = len(common)
    if "split" in a and "split" in b:
        if not (a.loc[common, "split"] == b.loc[common, "split"]).all():
            raise ValueError(
                f"{model_a!r} and {model_b!r} were not run on the same splits."
            )
        n_splits = a.loc[common, "split"].nunique()
    differences = (a.loc[common, metric] - b.loc[common, metric]).astype(float)
    n_train = float(a["n_train"].mean()) if "n_train" in a else None
    n_test = float(a["n_test"].mean()) if "n_test" in a else None
    return differences.dropna().to_numpy(), n_splits, n_train, n_test


def paired_ttest(
    results: pd.DataFrame,
    model_a: str,
    model_b: str,
    *,
    metric: str = "accuracy",
    n_train: float | None = None,
    n_test: float | None = None,
    confidence: float = 0.95,
) -> dict:
    """Compare two models over the same (seed, fold) runs.

    The score differences A - B are paired by (seed, fold): one difference
    per run. The corrected repeated k-fold t-test (:func:`corrected_ttest`)
    runs over all ``r * k`` of them with ``r * k - 1`` degrees of freedom,
    so that a seed that fails in every fold adds its full variance. Each
    repetition should draw its own split as well as its own model seed, as
    :func:`compare_models` does with an int ``cv``.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`compare_models` for one setting (one data set).

    model_a, model_b : str
        The models to compare.

    metric : str, default="accuracy"
        The score compared (any column works). Runs where either model's
        score is missing (NaN) are left out.

    n_train, n_test : float, default=None
        The split sizes (default: the ``n_train`` and ``n_test`` columns).

    confidence : float, default=0.95
        The level of the confidence interval of the mean difference.

    Returns
    -------
    result : dict
        ``model_a``, ``model_b``, ``metric``, ``mean_diff``, ``std_diff``
        (over runs), ``se`` (corrected), ``t``, ``p`` (two-sided),
        ``ci_low`` and ``ci_high`` (the interval of the mean difference),
        ``n_splits`` (distinct train/test splits) and ``n_runs`` (paired
        differences tested).

    See Also
    --------
    pairwise_ttests : One model against every other, Holm-corrected.

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
    differences, n_splits, train, test = _paired(results, model_a, model_b, metric)
    n_train = train if n_train is None else n_train
    n_test = test if n_test is None else n_test
    if n_train is None or n_test is None:
        raise ValueError("Pass n_train and n_test, or results with such columns.")
    test_result = corrected_ttest(differences, n_train, n_test, confidence=confidence)
    return {
        "model_a": model_a,
        "model_b": model_b,
        "metric": metric,
        "mean_diff": test_result.mean,
        "std_diff": test_result.std,
        "se": test_result.se,
        "t": test_result.t,
        "p": test_result.p,
        "ci_low": test_result.ci_low,
        "ci_high": test_result.ci_high,
        "n_splits": n_splits,
        "n_runs": test_result.n,
    }
