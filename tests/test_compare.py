import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.svm import SVC
from sklearn.utils._param_validation import InvalidParameterError

from skclassify.datasets import make_sum_threshold, make_waves
from skclassify.evaluation import compare_models, read_results, split_seed

COLUMNS = [
    "model",
    "seed",
    "fold",
    "accuracy",
    "balanced_accuracy",
    "roc_auc",
    "log_loss",
    "fit_time",
    "predict_time",
    "cell",
    "split",
    "n_train",
    "n_test",
]
STORED = set(COLUMNS)
SCORES = ["accuracy", "balanced_accuracy", "roc_auc", "log_loss"]


class SeededClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the majority class, or a seeded random class with noise=True."""

    def __init__(self, noise=False, random_state=None):
        self.noise = noise
        self.random_state = random_state

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        values, counts = np.unique(y, return_counts=True)
        self.majority_ = values[counts.argmax()]
        return self

    def predict(self, X):
        if not self.noise:
            return np.full(len(X), self.majority_)
        rng = np.random.RandomState(self.random_state)
        return rng.choice(self.classes_, size=len(X))


def forbid_refit(monkeypatch):
    """From now on every LogisticRegression fit raises: cells must be reused."""

    def fit(self, X, y, sample_weight=None):
        raise RuntimeError("this cell must not be refitted")

    monkeypatch.setattr(LogisticRegression, "fit", fit)


@pytest.fixture(scope="module")
def data():
    return make_sum_threshold(120, random_state=0)


@pytest.fixture
def models():
    return {
        "dummy": DummyClassifier(strategy="prior"),
        "logreg": LogisticRegression(),
        "svc": SVC(),
    }


def run(models, data, **kwargs):
    kwargs.setdefault("progress", False)
    return compare_models(models, *data, **kwargs)


def test_columns_rows_and_order(models, data):
    results = run(models, data, cv=3, tags={"n_classes": 2, "task": "sum"})

    assert list(results.columns) == [*COLUMNS, "resumed", "n_classes", "task"]
    assert results["model"].tolist() == ["dummy"] * 3 + ["logreg"] * 3 + ["svc"] * 3
    assert results["fold"].tolist() == [0, 1, 2] * 3
    assert (results["seed"] == 0).all() and not results["resumed"].any()
    assert (results["n_train"] + results["n_test"] == 120).all()
    assert (results["n_classes"] == 2).all() and (results["task"] == "sum").all()
    assert results[["accuracy", "balanced_accuracy"]].stack().between(0, 1).all()
    assert (results[["fit_time", "predict_time"]] >= 0).all().all()


def test_log_loss_nan_without_predict_proba(models, data):
    results = run(models, data, cv=3).set_index(["model", "fold"])

    assert results.loc["svc", "log_loss"].isna().all()
    assert results.loc["logreg", "log_loss"].gt(0).all()
    assert results.loc["dummy", "balanced_accuracy"].eq(0.5).all()


def test_roc_auc_from_probabilities_or_decision_function(data):
    from sklearn.metrics import roc_auc_score

    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    results = run({"svc": SVC(), "logreg": LogisticRegression()}, data, cv=cv)

    X, y = data
    for name, model, score in [
        ("svc", SVC(), "decision_function"),
        ("logreg", LogisticRegression(), "predict_proba"),
    ]:
        expected = []
        for train, test in cv.split(X, y):
            values = getattr(model.fit(X[train], y[train]), score)(X[test])
            values = values[:, 1] if values.ndim == 2 else values
            expected.append(roc_auc_score(y[test], values))
        got = results.loc[results["model"] == name, "roc_auc"]
        np.testing.assert_allclose(got, expected)


def test_roc_auc_one_vs_rest_for_several_classes():
    from sklearn.metrics import roc_auc_score

    X, y = make_waves(60, n_classes=3, n_features=2, sigma=0.3, random_state=0)
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    results = run({"logreg": LogisticRegression()}, (X, y), cv=cv)

    expected = [
        roc_auc_score(
            y[test],
            LogisticRegression().fit(X[train], y[train]).predict_proba(X[test]),
            multi_class="ovr",
        )
        for train, test in cv.split(X, y)
    ]
    np.testing.assert_allclose(results["roc_auc"], expected)
    ridge = run({"svc": SVC(decision_function_shape="ovr")}, (X, y), cv=cv)
    assert ridge["roc_auc"].between(0, 1).all() and ridge["log_loss"].isna().all()


@pytest.mark.filterwarnings("ignore:y_pred contains classes not in y_true")
def test_roc_auc_is_nan_on_a_test_part_of_one_class(data):
    X, y = data
    train, test = np.arange(len(y)), np.flatnonzero(y == 1)

    results = run({"logreg": LogisticRegression()}, data, cv=[(train, test)])

    assert np.isnan(results.loc[0, "roc_auc"]) and results.loc[0, "accuracy"] > 0


def test_cells_without_a_new_metric_are_recomputed(data, tmp_path):
    path = tmp_path / "results.jsonl"
    run({"logreg": LogisticRegression()}, data, cv=3, results_path=path)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text(
        "".join(
            json.dumps({k: v for k, v in r.items() if k != "roc_auc"}) + "\n"
            for r in rows
        )
    )

    results = run(
        {"logreg": LogisticRegression()}, data, cv=3, results_path=path, resume=True
    )

    assert not results["resumed"].any() and results["roc_auc"].notna().all()


def test_default_folds_are_shuffled_stratified(data):
    results = run({"logreg": LogisticRegression()}, data, random_state=3)

    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=split_seed(3, 0))
    expected = cross_val_score(LogisticRegression(), *data, cv=cv)
    np.testing.assert_allclose(results["accuracy"], expected)


def test_cv_splitter_and_pandas_input(data):
    X, y = data
    X_df, y_series = pd.DataFrame(X), pd.Series(y)
    cv = KFold(n_splits=4, shuffle=True, random_state=0)

    results = run({"logreg": LogisticRegression()}, (X_df, y_series), cv=cv)

    expected = cross_val_score(LogisticRegression(), X, y, cv=cv)
    np.testing.assert_allclose(results["accuracy"], expected)


def test_class_missing_from_training_fold():
    X, y = make_waves(10, n_classes=3, n_features=2, sigma=0.05, random_state=0)
    train = np.flatnonzero(y < 2)
    cv = [(train, np.arange(len(y)))]

    results = run({"logreg": LogisticRegression()}, (X, y), cv=cv)

    assert np.isfinite(results.loc[0, "log_loss"])


def test_results_file_one_row_per_cell(models, data, tmp_path):
    path = tmp_path / "sub" / "results.jsonl"
    results = run(models, data, cv=3, results_path=path, tags={"n_classes": 2})

    lines = path.read_text().splitlines()
    assert len(lines) == len(results) == 9
    rows = [json.loads(line) for line in lines]
    assert all(set(row) == {*STORED, "n_classes"} for row in rows)
    assert all(row["log_loss"] is None for row in rows if row["model"] == "svc")

    stored = read_results(path).sort_values(["model", "fold"], ignore_index=True)
    pd.testing.assert_frame_equal(
        stored, results.drop(columns="resumed"), check_like=True
    )


def test_resume_skips_finished_cells(data, tmp_path, monkeypatch):
    path = tmp_path / "results.jsonl"
    first = run({"logreg": LogisticRegression()}, data, results_path=path)

    forbid_refit(monkeypatch)
    resumed = run(
        {"logreg": LogisticRegression()}, data, results_path=path, resume=True
    )

    assert resumed["resumed"].all()
    pd.testing.assert_frame_equal(
        resumed.drop(columns="resumed"), first.drop(columns="resumed")
    )
    assert len(path.read_text().splitlines()) == 5


def test_resume_matches_tags(data, tmp_path, monkeypatch):
    path = tmp_path / "results.jsonl"
    run({"logreg": LogisticRegression()}, data, results_path=path, tags={"k": 2})

    forbid_refit(monkeypatch)
    with pytest.raises(RuntimeError, match="must not be refitted"):
        run(
            {"logreg": LogisticRegression()},
            data,
            results_path=path,
            resume=True,
            tags={"k": 3},
        )


def test_changing_one_hyperparameter_invalidates_its_cells(data, tmp_path):
    path = tmp_path / "results.jsonl"
    models = {"logreg": LogisticRegression(C=1.0), "svc": SVC()}
    first = run(models, data, cv=3, results_path=path)

    changed = {"logreg": LogisticRegression(C=0.01), "svc": SVC()}
    second = run(changed, data, cv=3, results_path=path, resume=True)

    by_model = second.groupby("model")["resumed"]
    assert not by_model.any()["logreg"]  # the changed model was refitted
    assert by_model.all()["svc"]  # the unchanged one was reused
    old = first.set_index(["model", "fold"])
    new = second.set_index(["model", "fold"])
    assert (old.loc["logreg", "cell"] != new.loc["logreg", "cell"]).all()
    assert not np.allclose(
        old.loc["logreg", "log_loss"], new.loc["logreg", "log_loss"]
    )  # C=0.01 is a different model, and its numbers show it


def test_nested_hyperparameter_change_invalidates_cells(data, tmp_path):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    path = tmp_path / "results.jsonl"
    run({"m": make_pipeline(StandardScaler(), SVC(C=1.0))}, data, results_path=path)
    resumed = run(
        {"m": make_pipeline(StandardScaler(), SVC(C=2.0))},
        data,
        results_path=path,
        resume=True,
    )
    assert not resumed["resumed"].any()


def test_changed_data_or_folds_invalidate_cells(data, tmp_path):
    X, y = data
    path = tmp_path / "results.jsonl"
    models = {"logreg": LogisticRegression()}
    run(models, (X, y), results_path=path)

    other_data = run(models, (X + 1e-3, y), results_path=path, resume=True)
    other_folds = run(models, (X, y), results_path=path, resume=True, random_state=1)
    same = run(models, (X, y), results_path=path, resume=True)

    assert not other_data["resumed"].any() and not other_folds["resumed"].any()
    assert same["resumed"].all()


def test_renamed_model_reuses_its_cells(data, tmp_path, monkeypatch):
    path = tmp_path / "results.jsonl"
    run({"old name": LogisticRegression()}, data, results_path=path)

    forbid_refit(monkeypatch)
    renamed = run(
        {"new name": LogisticRegression()}, data, results_path=path, resume=True
    )
    assert renamed["resumed"].all() and (renamed["model"] == "new name").all()


def test_searches_with_distributions_resume_in_a_new_process(data, tmp_path):
    import subprocess
    import sys

    # A search's scipy distributions must be keyed by their values, not by
    # their address in memory: a fresh process must find the same cells.
    code = """
from scipy.stats import loguniform
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RandomizedSearchCV
from sklearn.model_selection import StratifiedKFold
from skclassify.evaluation import cell_key, data_fingerprint
search = RandomizedSearchCV(
    LogisticRegression(), {"C": loguniform(1e-3, 1e3)}, n_iter=2,
    cv=StratifiedKFold(3), random_state=0,
)
print(cell_key(search, "data", "split", {"k": 1}))
"""
    keys = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert len(keys) == 1 and len(keys.pop().strip()) == 32


def test_distribution_parameters_enter_the_key():
    from scipy.stats import loguniform
    from sklearn.model_selection import RandomizedSearchCV

    from skclassify.evaluation import cell_key

    def key(high):
        search = RandomizedSearchCV(
            LogisticRegression(), {"C": loguniform(1e-3, high)}, random_state=0
        )
        return cell_key(search, "data", "split", {})

    assert key(1e3) == key(1e3) and key(1e3) != key(1e2)


def test_seeds_times_folds(data):
    models = {"noisy": SeededClassifier(noise=True), "logreg": LogisticRegression()}
    results = run(models, data, cv=3, seeds=[0, 1, 2])

    assert len(results) == 2 * 3 * 3
    assert results[["model", "seed", "fold"]].drop_duplicates().shape[0] == 18
    noisy = results[results["model"] == "noisy"].pivot(
        index="fold", columns="seed", values="accuracy"
    )
    # The seed reaches the model: different seeds, different predictions.
    assert noisy.nunique(axis=1).gt(1).all()
    # Each seed draws its own split; every model sees the same splits.
    assert results.groupby(["seed", "fold"])["split"].nunique().eq(1).all()
    assert results.groupby("fold")["split"].nunique().eq(3).all()


def test_seed_sets_every_random_state(data):
    results = run({"noisy": SeededClassifier(noise=True)}, data, cv=3, seeds=[5, 6])

    expected = []
    for seed in (5, 6):
        cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=split_seed(0, seed))
        for train, test in cv.split(*data):
            model = SeededClassifier(noise=True, random_state=seed).fit(
                data[0][train], data[1][train]
            )
            expected.append(np.mean(model.predict(data[0][test]) == data[1][test]))
    np.testing.assert_allclose(results["accuracy"], expected)


def test_models_without_random_state_are_computed_once(data, tmp_path):
    from sklearn.neighbors import KNeighborsClassifier

    path = tmp_path / "results.jsonl"
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)  # shared splits
    results = run(
        {"knn": KNeighborsClassifier()}, data, cv=cv, seeds=[0, 1, 2], results_path=path
    )

    assert len(results) == 9 and results["cell"].nunique() == 3
    assert (results.groupby("fold")["accuracy"].nunique() == 1).all()
    assert len(path.read_text().splitlines()) == 9  # one row per (seed, fold)


def test_resume_after_interruption(data, tmp_path):
    path = tmp_path / "results.jsonl"
    models = {"dummy": DummyClassifier(), "logreg": LogisticRegression()}
    full = run(models, data, cv=3, results_path=path, tags={"grid": (1, 2)})
    lines = path.read_text().splitlines(keepends=True)
    # Killed while writing the fourth row.
    path.write_text("".join(lines[:3]) + lines[3][:20])

    with pytest.warns(RuntimeWarning, match="unreadable line 4"):
        resumed = run(
            models, data, cv=3, results_path=path, resume=True, tags={"grid": (1, 2)}
        )

    pd.testing.assert_frame_equal(resumed[SCORES], full[SCORES])
    assert resumed["resumed"].tolist() == [True] * 3 + [False] * 3
    pd.testing.assert_frame_equal(
        resumed.iloc[:3].drop(columns="resumed"), full.iloc[:3].drop(columns="resumed")
    )
    with pytest.warns(RuntimeWarning):
        stored = read_results(path)
    assert len(stored) == 6


def test_rerun_without_resume_appends_and_read_deduplicates(data, tmp_path):
    path = tmp_path / "results.jsonl"
    models = {"logreg": LogisticRegression()}
    run(models, data, cv=2, results_path=path)
    second = run(models, data, cv=2, results_path=path)

    assert len(path.read_text().splitlines()) == 4
    stored = read_results(path)
    pd.testing.assert_frame_equal(stored, second.drop(columns="resumed"))
    assert len(read_results(path, deduplicate=False)) == 4


def test_n_jobs_gives_same_scores(models, data):
    sequential = run(models, data, cv=3, n_jobs=1)
    parallel = run(models, data, cv=3, n_jobs=2)

    pd.testing.assert_frame_equal(
        parallel[["model", "fold", *SCORES]], sequential[["model", "fold", *SCORES]]
    )


def test_progress_bar(data, capsys):
    run({"dummy": DummyClassifier()}, data, cv=3, progress=True)

    err = capsys.readouterr().err
    assert "compare_models" in err and "3/3" in err


def test_no_progress_bar(data, capsys):
    run({"dummy": DummyClassifier()}, data, cv=3, progress=False)

    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"models": {}}, ValueError, "at least one"),
        ({"models": {"x": object()}}, TypeError, "fit and predict"),
        ({"models": {1: DummyClassifier()}}, TypeError, "names must be str"),
        ({"tags": {"fold": 1}}, ValueError, "reserved"),
        ({"tags": {"seed": 1}}, ValueError, "reserved"),
        ({"tags": {"cell": "x"}}, ValueError, "reserved"),
        ({"seeds": []}, ValueError, "non-empty"),
        ({"seeds": [0, 0]}, ValueError, "distinct"),
        ({"seeds": [0.5]}, ValueError, "ints"),
        ({"resume": True}, ValueError, "results_path"),
        ({"models": [DummyClassifier()]}, InvalidParameterError, "'models'"),
        ({"cv": "five"}, InvalidParameterError, "'cv'"),
        ({"n_jobs": "all"}, InvalidParameterError, "'n_jobs'"),
        ({"tags": ["n_classes"]}, InvalidParameterError, "'tags'"),
    ],
)
def test_invalid_inputs(data, kwargs, error, match):
    kwargs = {"models": {"dummy": DummyClassifier()}, **kwargs}
    with pytest.raises(error, match=match):
        compare_models(kwargs.pop("models"), *data, progress=False, **kwargs)
