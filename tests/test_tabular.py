"""skclassify.tabular: column treatments, the preprocessor, the model registry."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import HalvingRandomSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skclassify.tabular import (
    MODELS,
    DefaultOrTuned,
    halving_cost,
    infer_columns,
    make_models,
    make_preprocessor,
    treatment_table,
)
from skclassify.tabular._builders import SVC_EXACT_MAX_ROWS


@pytest.fixture
def table():
    rng = np.random.RandomState(0)
    n = 40
    return pd.DataFrame(
        {
            "Unnamed: 0": np.arange(n),
            "row_id": np.arange(1, n + 1)[rng.permutation(n)],
            "name": [f"user{i}" for i in range(n)],
            "height": rng.randn(n),
            "income": rng.randint(0, 10_000, n),
            "rooms": rng.randint(1, 5, n),
            "city": rng.choice(["Bonn", "Rome", None], n),
            "member": rng.rand(n) > 0.5,
            "constant": 7,
            "empty": np.nan,
        }
    )


def test_infer_columns_kinds_and_reasons(table):
    treatments = {t.name: t for t in infer_columns(table)}
    kinds = {name: t.kind for name, t in treatments.items()}
    assert kinds == {
        "Unnamed: 0": "dropped",
        "row_id": "dropped",
        "name": "dropped",
        "height": "numeric",
        "income": "numeric",
        "rooms": "categorical",
        "city": "categorical",
        "member": "categorical",
        "constant": "dropped",
        "empty": "dropped",
    }
    assert "to_csv" in treatments["Unnamed: 0"].reason
    assert "counter" in treatments["row_id"].reason
    assert "identifier" in treatments["name"].reason
    assert treatments["city"].n_missing == (table["city"].isna()).sum() > 0
    assert treatments["empty"].n_unique == 0


def test_overrides_win(table):
    treatments = infer_columns(table, categorical=["income"], drop=["height"])
    kinds = {t.name: (t.kind, t.reason) for t in treatments}
    assert kinds["income"] == ("categorical", "--categorical")
    assert kinds["height"] == ("dropped", "--drop")


@pytest.mark.parametrize(
    "options, message",
    [
        ({"categorical": ["nope"]}, r"--categorical names column\(s\) that the table"),
        (
            {"drop": ["nope", "gone"]},
            r"--drop names column\(s\) that the table does not have: nope, gone",
        ),
        ({"categorical": ["city"], "drop": ["city"]}, "both categorical and dropped"),
    ],
)
def test_override_errors(table, options, message):
    with pytest.raises(ValueError, match=message):
        infer_columns(table, **options)


def test_treatment_table_has_one_row_per_column(table):
    report = treatment_table(infer_columns(table))
    assert list(report["column"]) == list(table.columns)
    assert set(report.columns) >= {"kind", "reason", "missing", "preprocessing"}


def test_preprocessor_imputes_scales_and_encodes(table):
    preprocessor = make_preprocessor(infer_columns(table))
    Xt = preprocessor.fit_transform(table)
    assert Xt.dtype == float and np.isfinite(Xt).all()
    names = list(preprocessor.get_feature_names_out())
    assert not any("Unnamed" in n or "row_id" in n or "name_" in n for n in names)
    assert "numeric__height" in names
    assert "categorical__city_missing" in names
    # An unseen category at prediction time is encoded as all zeros.
    unseen = table.head(2).assign(city="Paris")
    city = [i for i, n in enumerate(names) if n.startswith("categorical__city")]
    assert preprocessor.transform(unseen)[:, city].sum() == 0


def test_preprocessor_needs_a_column():
    X = pd.DataFrame({"Unnamed: 0": range(5)})
    with pytest.raises(ValueError, match="every column is dropped"):
        make_preprocessor(infer_columns(X))


def test_make_models_dummy_first_and_tuned_twins():
    models = make_models(["knn", "lr"], StandardScaler(), n_train=100, tune=True)
    assert list(models) == ["dummy", "knn", "knn_tuned", "lr", "lr_tuned"]
    for name, contender in models.items():
        assert contender.key == name.removesuffix("_tuned")
        assert contender.tuned == name.endswith("_tuned")
    tuned = models["knn_tuned"].estimator
    assert isinstance(tuned.estimator, Pipeline)
    assert models["knn_tuned"].n_candidates == 8
    assert all(key.startswith("model__") for key in tuned.param_grid)


def test_the_tuned_net_is_a_halving_search_that_keeps_the_default():
    models = make_models(["mlp"], StandardScaler(), n_train=400, tune=True)
    tuned = models["mlp_tuned"]
    assert isinstance(tuned.estimator, DefaultOrTuned)
    assert tuned.n_candidates >= 20
    search, default = tuned.estimator.search, tuned.estimator.default
    assert isinstance(search, HalvingRandomSearchCV)
    assert search.n_candidates == tuned.n_candidates
    assert search.resource == "model__epochs"
    # the default is the untuned net at its full budget, the last round's
    full = models["mlp"].estimator.get_params()["model__epochs"]
    assert search.max_resources == full
    assert default.get_params()["model__epochs"] == full
    assert repr(default[-1]) == repr(models["mlp"].estimator[-1])
    assert {"hidden_layer_sizes", "learning_rate", "activation"} <= {
        key.removeprefix("model__") for key in search.param_distributions
    }


def _lr_search(C, default_C=1.0):
    # the resource is a parameter (as the net's epochs), not the rows
    search = HalvingRandomSearchCV(
        LogisticRegression(),
        {"C": C},
        cv=3,
        random_state=0,
        n_candidates=len(C),
        resource="max_iter",
        max_resources=100,
        min_resources="exhaust",
    )
    return DefaultOrTuned(LogisticRegression(C=default_C), search, cv=3)


def test_default_or_tuned_keeps_the_default_when_the_search_is_worse():
    X, y = make_classification(200, n_features=6, n_informative=4, random_state=0)
    worse = _lr_search([1e-6, 1e-5]).fit(X, y)
    assert worse.chose_default_
    assert worse.default_score_ > worse.search_.best_score_
    assert_allclose(
        worse.predict_proba(X), LogisticRegression().fit(X, y).predict_proba(X)
    )
    better = _lr_search([1.0, 100.0], default_C=1e-6).fit(X, y)
    assert not better.chose_default_
    assert better.best_estimator_ is better.search_.best_estimator_
    assert_array_equal(better.classes_, [0, 1])


def test_default_or_tuned_before_fit():
    with pytest.raises(NotFittedError):
        _lr_search([1.0]).predict(np.zeros((2, 6)))


@parametrize_with_checks([_lr_search([0.1, 10.0])])
def test_default_or_tuned_is_a_classifier(estimator, check):
    check(estimator)


def test_halving_cost_counts_full_budget_fits():
    assert halving_cost(27) == 4.0
    # 20 candidates: rounds of 20, 7 and 3 at 1/9, 1/3 and the full budget
    assert halving_cost(20) == pytest.approx(20 / 9 + 7 / 3 + 3)


def test_svc_becomes_nystroem_above_the_threshold():
    small = make_models(["svc"], StandardScaler(), n_train=SVC_EXACT_MAX_ROWS)
    large = make_models(["svc"], StandardScaler(), n_train=SVC_EXACT_MAX_ROWS + 1)
    exact = make_models(
        ["svc"], StandardScaler(), n_train=SVC_EXACT_MAX_ROWS + 1, exact_svc=True
    )
    assert type(small["svc"].estimator[-1]).__name__ == "SVC"
    assert not small["svc"].note
    assert list(large["svc"].estimator[-1].named_steps) == ["nystroem", "ridge"]
    assert "Nystroem" in large["svc"].note and "--exact-svc" in large["svc"].note
    assert type(exact["svc"].estimator[-1]).__name__ == "SVC"


def test_mlp_parameters_and_budget():
    models = make_models(
        ["mlp"], StandardScaler(), n_train=100, mlp={"hidden_layer_sizes": (8,)}
    )
    net = models["mlp"].estimator[-1]
    assert net.hidden_layer_sizes == (8,) and net.epochs == 200
    large = make_models(["mlp"], StandardScaler(), n_train=160_000)["mlp"]
    assert large.estimator[-1].epochs == 12 and "capped" in large.note
    chosen = make_models(
        ["mlp"], StandardScaler(), n_train=160_000, mlp={"epochs": 50}
    )["mlp"]
    assert chosen.estimator[-1].epochs == 50 and not chosen.note


@pytest.mark.parametrize(
    "names, mlp, message",
    [
        (["forest"], None, "unknown model"),
        (["mlp"], {"widht": 3}, "unknown parameter.*widht"),
    ],
)
def test_make_models_errors(names, mlp, message):
    with pytest.raises(ValueError, match=message):
        make_models(names, StandardScaler(), n_train=10, mlp=mlp)


def test_every_registry_entry_builds_and_fits(table):
    y = np.arange(len(table)) % 2
    models = make_models(
        [name for name in MODELS if name != "mlp"],
        make_preprocessor(infer_columns(table)),
        n_train=len(y),
    )
    for contender in models.values():
        contender.estimator.fit(table, y).predict(table)


def test_boosting_gets_native_categorical_preprocessing(table):
    treatments = infer_columns(table)
    hgb = make_models(
        ["hgb"], make_preprocessor(treatments), n_train=40, treatments=treatments
    )["hgb"].estimator
    Xt = hgb[0].fit_transform(table)
    n_numeric = sum(t.kind == "numeric" for t in treatments)
    n_categorical = sum(t.kind == "categorical" for t in treatments)
    assert Xt.shape == (len(table), n_numeric + n_categorical)  # no one-hot
    assert (
        list(hgb[-1].categorical_features)
        == [False] * n_numeric + [True] * n_categorical
    )
    hgb.fit(table, np.arange(len(table)) % 2)


def test_knn_searches_a_sample_of_large_training_sets():
    from skclassify.tabular._builders import KNN_MAX_ROWS

    small = make_models(["knn"], StandardScaler(), n_train=KNN_MAX_ROWS)["knn"]
    large = make_models(["knn"], StandardScaler(), n_train=KNN_MAX_ROWS + 1)["knn"]
    assert type(small.estimator[-1]).__name__ == "KNeighborsClassifier"
    assert large.estimator[-1].max_samples == KNN_MAX_ROWS
    assert "stratified sample" in large.note and not large.seeded


def test_subsampled_classifier_keeps_every_class():
    from sklearn.neighbors import KNeighborsClassifier

    from skclassify.tabular import SubsampledClassifier

    X = np.arange(300.0).reshape(-1, 1)
    y = np.repeat(["a", "b", "c"], 100)
    clf = SubsampledClassifier(KNeighborsClassifier(1), max_samples=30).fit(X, y)
    assert clf.n_samples_fit_ == 30
    assert list(clf.classes_) == ["a", "b", "c"]
    assert clf.predict_proba(X).shape == (300, 3)


@pytest.mark.parametrize("n_train", [300, 30_000])
def test_every_grid_holds_the_models_default(n_train):
    # A tuned model can always pick its default: tuning never loses it.
    from skclassify.tabular import MODELS

    params = {"mlp": {}, "exact_svc": False, "treatments": None}
    for name, spec in MODELS.items():
        if name == "mlp" and n_train > 1000:
            continue  # its epochs are capped at this size, its grid is not
        estimator = spec.build(n_train, params).estimator
        defaults = estimator.get_params()
        for key, values in spec.grid(n_train, params).items():
            assert defaults[key] in values, (name, key, defaults[key], values)


def test_knn_grid_fits_the_inner_training_folds():
    from skclassify.tabular import INNER_CV, MODELS

    grid = MODELS["knn"].grid(30, {})
    inner = 30 * (INNER_CV - 1) // INNER_CV
    assert grid["n_neighbors"] == [k for k in (1, 5, 15, 45) if k <= inner]
