import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from skclassify.datasets import make_sum_threshold
from skclassify.evaluation import (
    compare_models,
    corrected_ttest,
    paired_ttest,
    pairwise_ttests,
)


def sklearn_example_ttest(differences, n_train, n_test):
    """The test as written in scikit-learn's example "Statistical comparison
    of models using grid search" (one-sided p there; two-sided here)."""
    kr = len(differences)
    corrected_var = np.var(differences, ddof=1) * (1 / kr + n_test / n_train)
    t_stat = np.mean(differences) / np.sqrt(corrected_var)
    return t_stat, 2 * stats.t.sf(np.abs(t_stat), kr - 1)


def runs(scores, *, n_train=80, n_test=20):
    """Results rows from {model: array of shape (n_seeds, n_folds)}."""
    rows = []
    for model, table in scores.items():
        for (seed, fold), value in np.ndenumerate(np.asarray(table, dtype=float)):
            rows.append(
                {
                    "model": model,
                    "seed": seed,
                    "fold": fold,
                    "accuracy": value,
                    "split": f"s{fold}",
                    "n_train": n_train,
                    "n_test": n_test,
                }
            )
    return pd.DataFrame(rows)


def test_corrected_ttest_matches_the_sklearn_example():
    rng = np.random.RandomState(0)
    differences = 0.01 + 0.02 * rng.randn(30)

    result = corrected_ttest(differences, n_train=90, n_test=10)

    t_stat, p = sklearn_example_ttest(differences, 90, 10)
    assert result.t == pytest.approx(t_stat) and result.p == pytest.approx(p)
    assert result.n == 30 and result.mean == pytest.approx(differences.mean())
    assert result.std == pytest.approx(differences.std(ddof=1))


def test_correction_makes_the_test_less_confident():
    differences = [0.02, 0.03, 0.01, 0.02, 0.04]
    naive = stats.ttest_1samp(differences, 0.0)
    corrected = corrected_ttest(differences, 80, 20)

    assert abs(corrected.t) < abs(naive.statistic) and corrected.p > naive.pvalue
    # (1/n + n_test/n_train) = 0.45 against 1/n = 0.2.
    assert corrected.t == pytest.approx(naive.statistic * math.sqrt(0.2 / 0.45))


@pytest.mark.parametrize(
    "differences, t, p", [([0.0] * 4, 0.0, 1.0), ([0.1] * 4, math.inf, 0.0)]
)
def test_corrected_ttest_zero_variance(differences, t, p):
    result = corrected_ttest(differences, 80, 20)
    assert (result.t, result.p) == (t, p)


def test_corrected_ttest_needs_two_differences():
    result = corrected_ttest([0.1], 80, 20)
    assert result.mean == 0.1 and math.isnan(result.t) and math.isnan(result.p)


def test_corrected_ttest_rejects_bad_sizes():
    with pytest.raises(ValueError, match="positive"):
        corrected_ttest([0.1, 0.2], 0, 20)


def test_paired_ttest_averages_seeds_within_each_split():
    a = [[0.9, 0.8, 0.85, 0.95, 0.9], [0.92, 0.86, 0.81, 0.93, 0.94]]
    b = [[0.8] * 5, [0.8] * 5]
    result = paired_ttest(runs({"a": a, "b": b}), "a", "b")

    per_split = np.mean(np.subtract(a, b), axis=0)
    expected = corrected_ttest(per_split, 80, 20)
    assert result["n_splits"] == 5 and result["n_runs"] == 10
    assert result["mean_diff"] == pytest.approx(expected.mean)
    assert result["t"] == pytest.approx(expected.t)
    assert result["p"] == pytest.approx(expected.p)


def test_paired_ttest_sign_and_symmetry():
    results = runs({"a": [[0.9, 0.91, 0.93, 0.9, 0.92]], "b": [[0.8] * 5]})
    ab = paired_ttest(results, "a", "b")
    ba = paired_ttest(results, "b", "a")

    assert ab["mean_diff"] > 0 and ba["mean_diff"] == pytest.approx(-ab["mean_diff"])
    assert ab["p"] == pytest.approx(ba["p"])


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda df: df[df.model != "b"], "No results for the model 'b'"),
        (lambda df: pd.concat([df, df]), "several rows per"),
        (lambda df: df.assign(split=df.split + df.model), "same splits"),
    ],
)
def test_paired_ttest_errors(change, match):
    results = change(runs({"a": [[0.9] * 3], "b": [[0.8] * 3]}))
    with pytest.raises(ValueError, match=match):
        paired_ttest(results, "a", "b")


def test_pairwise_ttests_on_real_runs():
    X, y = make_sum_threshold(300, random_state=0)
    models = {
        "dummy": DummyClassifier(),
        "logreg": LogisticRegression(),
        "logreg again": LogisticRegression(),
    }
    results = compare_models(models, X, y, seeds=[0, 1, 2], progress=False)

    table = pairwise_ttests(results)

    assert table["model_a"].eq("logreg").all()
    outcome = table.set_index("model_b")["outcome"]
    assert outcome["dummy"] == "beats"
    assert outcome["logreg again"] == "ties"  # the same model: difference 0
    assert table.set_index("model_b").loc["logreg again", "p"] == 1.0
    assert table["n_splits"].eq(5).all() and table["n_runs"].eq(15).all()
