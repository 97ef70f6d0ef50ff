import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from skclassify.datasets import make_sum_threshold
from skclassify.evaluation import (
    compare_models,
    corrected_ttest,
    holm,
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


def test_paired_ttest_uses_every_seed_fold_difference():
    a = [[0.9, 0.8, 0.85, 0.95, 0.9], [0.92, 0.86, 0.81, 0.93, 0.94]]
    b = [[0.8] * 5, [0.8] * 5]
    result = paired_ttest(runs({"a": a, "b": b}), "a", "b")

    expected = corrected_ttest(np.subtract(a, b).ravel(), 80, 20)
    assert result["n_runs"] == 10 and result["n_splits"] == 5
    assert result["mean_diff"] == pytest.approx(expected.mean)
    assert result["t"] == pytest.approx(expected.t)
    assert result["p"] == pytest.approx(expected.p)
    # r * k - 1 degrees of freedom and the corrected variance.
    se = math.sqrt((1 / 10 + 20 / 80) * np.var(np.subtract(a, b), ddof=1))
    assert result["se"] == pytest.approx(se)
    assert result["p"] == pytest.approx(2 * stats.t.sf(abs(result["t"]), 9))
    half = stats.t.ppf(0.975, 9) * se
    assert result["ci_low"] == pytest.approx(result["mean_diff"] - half)
    assert result["ci_high"] == pytest.approx(result["mean_diff"] + half)


class OneSeedFails(ClassifierMixin, BaseEstimator):
    """Perfect (it looks the answer up) unless its seed is ``failing_seed``:
    then it predicts one class everywhere."""

    def __init__(self, failing_seed=2, random_state=None):
        self.failing_seed = failing_seed
        self.random_state = random_state

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        if self.random_state == self.failing_seed:
            return np.full(len(X), self.classes_[0])
        return (np.asarray(X)[:, -1] > 0.5).astype(int)


def test_a_seed_failing_in_every_fold_is_not_significant():
    # The case: perfect for two seeds, one class for the third,
    # against a perfect model, 3 seeds x 5 folds.
    rng = np.random.RandomState(0)
    y = np.repeat([0, 1], 50)
    X = np.column_stack([rng.randn(100), y])
    models = {"perfect": OneSeedFails(failing_seed=-1), "fragile": OneSeedFails()}
    results = compare_models(models, X, y, cv=5, seeds=[0, 1, 2], progress=False)

    result = paired_ttest(results, "perfect", "fragile")

    assert result["n_runs"] == 15 and result["n_splits"] == 15
    assert result["mean_diff"] == pytest.approx(0.5 / 3)
    assert result["se"] > 0.1
    assert result["p"] >= 0.05
    table = pairwise_ttests(results)
    assert table["outcome"].tolist() == ["no significant difference"]
    assert table["ci_low"].iloc[0] < 0 < table["ci_high"].iloc[0]


def test_holm_adjustment():
    adjusted = holm([0.01, 0.04, 0.03, np.nan])
    np.testing.assert_allclose(adjusted[:3], [0.03, 0.06, 0.06])
    assert np.isnan(adjusted[3])
    np.testing.assert_allclose(holm([0.2, 0.3]), [0.4, 0.4])  # non-decreasing
    assert holm([0.6, 0.9]).tolist() == [1.0, 1.0]  # capped at 1


def test_pairwise_ttests_applies_holm_and_the_threshold():
    a = [[0.9, 0.92, 0.91, 0.93, 0.9]] * 2
    results = runs(
        {
            "a": a,
            "b": np.subtract(a, [[0.2, 0.18, 0.22, 0.21, 0.19]] * 2),
            "c": np.subtract(a, [[0.005, 0.004, 0.006, 0.005, 0.005]] * 2),
        }
    )

    table = pairwise_ttests(results).set_index("model_b")

    assert (table["p_holm"] >= table["p"]).all()
    assert table.loc["b", "outcome"] == "beats"
    # Consistent but below the practical threshold of 0.01: does not count.
    assert table.loc["c", "p"] < 0.05
    assert table.loc["c", "outcome"] == "no significant difference"
    assert (
        pairwise_ttests(results, threshold=0.001)
        .set_index("model_b")
        .loc["c", "outcome"]
        == "beats"
    )


def test_pairwise_ttests_for_a_loss():
    results = runs({"a": [[0.3, 0.31, 0.29, 0.3]], "b": [[0.6, 0.62, 0.61, 0.6]]})
    results = results.rename(columns={"accuracy": "log_loss"})

    table = pairwise_ttests(results, metric="log_loss", greater_is_better=False)

    assert table["model_a"].tolist() == ["a"] and table["outcome"].tolist() == ["beats"]


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
    # The same model: difference 0.
    assert outcome["logreg again"] == "no significant difference"
    assert table.set_index("model_b").loc["logreg again", "p"] == 1.0
    assert table["n_splits"].eq(15).all() and table["n_runs"].eq(15).all()
