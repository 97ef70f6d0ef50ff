import numpy as np
import pandas as pd
import pytest

from skclassify.evaluation import METRICS, choose_metric, verdict


def runs(scores, metric="accuracy", *, n_train=80, n_test=20):
    """Results rows from {model: array of shape (n_seeds, n_folds)}."""
    rows = []
    for model, table in scores.items():
        for (seed, fold), value in np.ndenumerate(np.asarray(table, dtype=float)):
            rows.append(
                {
                    "model": model,
                    "seed": seed,
                    "fold": fold,
                    metric: value,
                    "n_train": n_train,
                    "n_test": n_test,
                }  # fmt: skip
            )
    return pd.DataFrame(rows)


BEST = [[0.9, 0.92, 0.91, 0.93, 0.9], [0.91, 0.9, 0.92, 0.9, 0.93]]


def test_verdict_names_its_metric_and_never_says_tie():
    results = runs(
        {
            "best": BEST,
            "worse": np.subtract(BEST, 0.2),
            "close": np.add(BEST, [[0.01, -0.02, 0.0, 0.01, -0.01]] * 2),
        }
    )

    result = verdict(results)

    assert result.best == "best" and result.metric == "accuracy"
    assert result.text.startswith("best has the best mean accuracy (0.912); it beats")
    assert "close: no significant difference (95% CI [" in result.text
    assert "tie" not in result.text
    assert set(result.table["outcome"]) == {"beats", "no significant difference"}


def test_verdict_on_a_loss_picks_the_lowest_and_says_n_a():
    results = runs({"a": [[0.3, 0.31, 0.29, 0.3]], "b": [[0.6, 0.62, 0.61, 0.6]]})
    results = results.rename(columns={"accuracy": "log_loss"})
    results = pd.concat(
        [results, runs({"svc": [[np.nan] * 4]}, "log_loss")], ignore_index=True
    )

    result = verdict(results, metric="log_loss")

    assert result.best == "a" and result.unscored == ("svc",)
    assert "a has the best mean log loss (0.300); it beats b by 0.307" in result.text
    assert result.text.endswith("svc: n/a (no log loss).")


def test_verdict_rejects_unknown_metric():
    with pytest.raises(ValueError, match="metric must be one of"):
        verdict(runs({"a": BEST}), metric="f1")


def test_choose_metric_defaults_to_balanced_accuracy_on_imbalanced_classes():
    balanced = choose_metric(["a"] * 30 + ["b"] * 10)  # exactly 3x
    imbalanced = choose_metric(["yes"] * 83 + ["no"] * 17)

    assert balanced.name == "accuracy"
    assert imbalanced.name == "balanced_accuracy"
    assert "yes, 83 rows" in imbalanced.reason and "4.9 times" in imbalanced.reason
    assert choose_metric(["yes"] * 83 + ["no"] * 17, "accuracy").name == "accuracy"
    with pytest.raises(ValueError, match="metric must be one of"):
        choose_metric([0, 1], "f1")
    assert set(METRICS) == {"accuracy", "balanced_accuracy", "roc_auc", "log_loss"}
