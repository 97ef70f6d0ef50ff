"""KerasMLPClassifier: the source tasks, meta-estimators, errors, reproducibility."""

import io
import pickle
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import BaggingClassifier, StackingClassifier, VotingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skclassify import KerasMLPClassifier
from skclassify.objectives import LOSSES

FAST = {"hidden_layer_sizes": (10,), "epochs": 15, "random_state": 0}


# -- the two source scenarios
def test_sum_task_softmax_crossentropy_rmsprop(sum_data):
    X, y, X_test, y_test = sum_data
    clf = KerasMLPClassifier(
        hidden_layer_sizes=(20,),
        loss="categorical_crossentropy",
        optimizer="rmsprop",
        batch_size=32,  # Keras' default, as in the source
        epochs=150,
        random_state=0,
    ).fit(X, y)
    assert clf.model_.layers[-1].get_config()["activation"] == "softmax"
    assert clf.score(X_test, y_test) >= 0.9


def test_sum_task_hinge_tanh_adam_signed_labels(sum_data):
    X, y, X_test, y_test = sum_data
    signed, signed_test = y * 2 - 1, y_test * 2 - 1
    clf = KerasMLPClassifier(
        hidden_layer_sizes=(20,),
        activation="tanh",
        loss="hinge",
        optimizer="adam",
        batch_size=32,
        epochs=150,
        random_state=0,
    ).fit(X, signed)
    assert clf.model_.layers[-1].get_config()["activation"] == "tanh"
    assert clf.model_.outputs[0].shape[-1] == 1
    assert set(clf.classes_) == {-1, 1}
    assert clf.score(X_test, signed_test) >= 0.9


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_every_loss_gives_probabilities_and_original_labels(loss, multiclass_data):
    X, y = multiclass_data
    clf = KerasMLPClassifier(loss=loss, **FAST).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.classes_, ["ant", "bee", "cat"])
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    assert np.array_equal(np.argmax(clf.decision_function(X), axis=1), proba.argmax(1))


def test_is_classifier_and_tags():
    clf = KerasMLPClassifier()
    assert is_classifier(clf)
    tags = clf.__sklearn_tags__()
    assert tags.estimator_type == "classifier"
    assert tags.classifier_tags.multi_class
    assert tags.input_tags.sparse
    assert tags.classifier_tags.multi_label


# -- meta-estimators
@pytest.mark.slow  # eight candidates x two folds, four architectures
def test_pipeline_gridsearch_with_routed_parameter(sum_data):
    X, y, _, _ = sum_data
    pipe = make_pipeline(StandardScaler(), KerasMLPClassifier(optimizer="sgd", **FAST))
    grid = GridSearchCV(
        pipe,
        {
            "kerasmlpclassifier__optimizer__momentum": [0.0, 0.9],
            "kerasmlpclassifier__activation": ["relu", "gaussian"],
        },
        cv=2,
    ).fit(X, y)
    assert grid.best_estimator_[-1].optimizer__momentum in (0.0, 0.9)
    assert grid.best_score_ > 0.6
    best = grid.best_estimator_[-1]
    momentum = best._spec.make_optimizer().momentum  # the fitted structure key
    assert momentum == grid.best_params_["kerasmlpclassifier__optimizer__momentum"]


def test_routed_parameter_survives_clone_and_get_params():
    clf = KerasMLPClassifier(optimizer="sgd", optimizer__momentum=0.9)
    assert clf.get_params()["optimizer__momentum"] == 0.9
    assert clone(clf).optimizer__momentum == 0.9
    clf.set_params(optimizer__nesterov=True)
    assert clone(clf).get_params()["optimizer__nesterov"] is True


@pytest.mark.parametrize(
    "meta",
    [
        lambda est: CalibratedClassifierCV(est, cv=2),
        lambda est: VotingClassifier(
            [("net", est), ("lr", LogisticRegression())], voting="soft"
        ),
        lambda est: StackingClassifier(
            [("net", est), ("lr", LogisticRegression())], cv=2
        ),
        lambda est: BaggingClassifier(est, n_estimators=2, random_state=0),
        lambda est: OneVsRestClassifier(est),
    ],
    ids=["calibrated", "voting", "stacking", "bagging", "ovr"],
)
def test_meta_estimators(meta, multiclass_data):
    X, y = multiclass_data
    net = KerasMLPClassifier(**{**FAST, "epochs": 50, "learning_rate": 0.01})
    model = meta(net).fit(X, y)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert model.score(X, y) > 0.5


def test_cross_validate(sum_data):
    X, y, _, _ = sum_data
    scores = cross_validate(KerasMLPClassifier(**FAST), X, y, cv=3)
    assert scores["test_score"].shape == (3,)


# -- persistence
@pytest.mark.parametrize("dump", ["pickle", "joblib"])
def test_pickle_and_joblib_roundtrip_with_gaussian(dump, multiclass_data, tmp_path):
    X, y = multiclass_data
    clf = KerasMLPClassifier(activation="gaussian", **FAST).fit(X, y)
    if dump == "pickle":
        restored = pickle.loads(pickle.dumps(clf))
    else:
        joblib.dump(clf, tmp_path / "clf.joblib")
        restored = joblib.load(tmp_path / "clf.joblib")
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    restored.partial_fit(X, y)  # training continues after a round trip
    assert restored.t_ == clf.t_ + len(X)
    assert len(restored.loss_curve_) == len(clf.loss_curve_) + 1


def test_keras_save_load_with_gaussian(multiclass_data, tmp_path):
    import keras

    X, y = multiclass_data
    clf = KerasMLPClassifier(activation="gaussian", **FAST).fit(X, y)
    clf.model_.save(tmp_path / "net.keras")
    loaded = keras.models.load_model(tmp_path / "net.keras")
    np.testing.assert_allclose(
        np.asarray(loaded(X.astype("float32"))),
        np.asarray(clf.model_(X.astype("float32"))),
        rtol=1e-6,
    )


# -- reproducibility
def test_same_seed_bit_identical_and_global_state_untouched(sum_data):
    from tensorflow.python.framework.config import is_op_determinism_enabled

    X, y, X_test, _ = sum_data
    np_state = np.random.get_state()[1].copy()
    a = KerasMLPClassifier(dropout=0.2, **FAST).fit(X, y).predict_proba(X_test)
    b = KerasMLPClassifier(dropout=0.2, **FAST).fit(X, y).predict_proba(X_test)
    assert np.array_equal(a, b)
    assert not is_op_determinism_enabled()
    np.testing.assert_array_equal(np.random.get_state()[1], np_state)
    other = KerasMLPClassifier(**{**FAST, "random_state": 1}).fit(X, y)
    assert not np.array_equal(other.predict_proba(X_test), a)


def test_unseeded_fits_work_and_differ(sum_data):
    X, y, X_test, _ = sum_data
    params = {**FAST, "random_state": None}
    a = KerasMLPClassifier(**params).fit(X, y).predict_proba(X_test)
    b = KerasMLPClassifier(**params).fit(X, y).predict_proba(X_test)
    assert not np.array_equal(a, b)


_SCRIPT = textwrap.dedent(
    """
    import sys
    import warnings
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from skclassify import KerasMLPClassifier
    warnings.simplefilter("ignore", ConvergenceWarning)  # 10 epochs on purpose
    from skclassify.datasets import make_sum_threshold
    X, y = make_sum_threshold(n_samples=200, random_state=0)
    clf = KerasMLPClassifier(hidden_layer_sizes=(10,), epochs=10, dropout=0.1,
                             random_state=3).fit(X, y)
    np.save(sys.argv[1], clf.predict_proba(X))
    """
)


@pytest.mark.slow  # two fresh processes import TensorFlow and compile
def test_bit_identical_across_processes_and_silent(tmp_path):
    """Two fresh processes give the same bits, and print nothing at all."""
    for name in ("a.npy", "b.npy"):
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(tmp_path / name)],
            check=True,
            capture_output=True,
            text=True,
        )
        assert done.stdout == ""
        assert done.stderr == ""
    assert np.array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))


def test_verbose_prints_epochs(sum_data, capsys):
    X, y, _, _ = sum_data
    KerasMLPClassifier(**{**FAST, "epochs": 3, "verbose": 1}).fit(X, y)
    out = capsys.readouterr().out
    assert "Iteration 3, loss = " in out


# -- training options
def test_history_and_attributes(sum_data):
    X, y, _, _ = sum_data
    clf = KerasMLPClassifier(**FAST).fit(pd.DataFrame(X, columns=list("abcde")), y)
    assert clf.n_iter_ == 15
    assert len(clf.loss_curve_) == 15 and len(clf.history_["accuracy"]) == 15
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert clf.validation_scores_ is None
    np.testing.assert_array_equal(clf.feature_names_in_, list("abcde"))
    assert clf.n_features_in_ == 5


def test_early_stopping_restores_best(sum_data):
    X, y, _, _ = sum_data
    clf = KerasMLPClassifier(
        hidden_layer_sizes=(20,),
        epochs=500,
        early_stopping=True,
        n_iter_no_change=5,
        learning_rate=0.01,
        random_state=0,
    ).fit(X, y)
    assert clf.n_iter_ < 500
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None
    # scikit-learn's rule: stop once more than 5 epochs in a row did not beat
    # the best score by tol
    scores, best, stale = clf.validation_scores_, -np.inf, 0
    for epoch, score in enumerate(scores, start=1):  # noqa: B007
        stale = stale + 1 if score < best + clf.tol else 0
        best = max(best, score)
        if stale > 5:
            break
    assert epoch == clf.n_iter_
    assert clf.history_["val_accuracy"] == clf.validation_scores_


def test_warm_start_and_partial_fit(multiclass_data):
    X, y = multiclass_data
    clf = KerasMLPClassifier(warm_start=True, **FAST).fit(X, y)
    clf.fit(X, y)
    assert clf.n_iter_ == 15  # epochs of the last call, as in scikit-learn
    assert len(clf.loss_curve_) == 30 and clf.t_ == 30 * len(X)
    inc = KerasMLPClassifier(**FAST)
    inc.partial_fit(X[y == "ant"], y[y == "ant"], classes=["ant", "bee", "cat"])
    for _ in range(3):
        inc.partial_fit(X, y)
    assert inc.n_iter_ == 1 and len(inc.loss_curve_) == 4
    np.testing.assert_array_equal(inc.classes_, ["ant", "bee", "cat"])


def test_sample_and_class_weights_not_mutated(multiclass_data):
    X, y = multiclass_data
    sw = np.ones(len(y))
    sw_copy = sw.copy()
    KerasMLPClassifier(class_weight="balanced", **FAST).fit(X, y, sample_weight=sw)
    np.testing.assert_array_equal(sw, sw_copy)
    params = {**FAST, "hidden_layer_sizes": (), "epochs": 5, "learning_rate": 0.05}
    plain = KerasMLPClassifier(**params).fit(X, y)
    heavy = KerasMLPClassifier(
        class_weight={"ant": 100.0, "bee": 1, "cat": 1}, **params
    )
    heavy.fit(X, y)
    assert (heavy.predict(X) == "ant").mean() > (plain.predict(X) == "ant").mean()


def test_no_hidden_layer(sum_data):
    X, y, X_test, y_test = sum_data
    clf = KerasMLPClassifier(
        hidden_layer_sizes=(), epochs=100, learning_rate=0.05, random_state=0
    )
    assert clf.fit(X, y).score(X_test, y_test) > 0.85
    assert len(clf.model_.layers) == 1


# -- errors
@pytest.mark.parametrize(
    "params, match",
    [
        ({"activation": "bogus"}, "activation"),
        ({"loss": "bogus"}, "loss"),
        ({"optimizer": "bogus"}, "optimizer"),
        ({"epochs": 0}, "epochs"),
        ({"dropout": 1.0}, "dropout"),
        ({"learning_rate": -1.0}, "learning_rate"),
        ({"batch_size": 0}, "batch_size"),
        ({"output_activation": "bogus"}, "output_activation"),
        ({"dtype": "float16"}, "dtype"),
    ],
)
def test_invalid_hyperparameters(params, match, sum_data):
    X, y, _, _ = sum_data
    with pytest.raises(InvalidParameterError, match=match):
        KerasMLPClassifier(**params).fit(X, y)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"hidden_layer_sizes": (10, 0)}, "hidden_layer_sizes"),
        ({"optimizer__momentum": 0.9, "lerning_rate": 0.1}, "lerning_rate"),
    ],
)
def test_invalid_values_named(params, match, sum_data):
    X, y, _, _ = sum_data
    with pytest.raises(ValueError, match=match):
        KerasMLPClassifier(**params).fit(X, y)


def test_invalid_routed_optimizer_argument(sum_data):
    X, y, _, _ = sum_data
    with pytest.raises(ValueError, match="optimizer__bogus"):
        KerasMLPClassifier(optimizer__bogus=1, **FAST).fit(X, y)


def _bad_inputs():
    X = np.random.RandomState(0).rand(20, 3)
    y = np.arange(20) % 2
    nan = X.copy()
    nan[0, 0] = np.nan
    inf = X.copy()
    inf[1, 1] = np.inf
    return [
        ("nan", nan, y, ValueError, "NaN"),
        ("inf", inf, y, ValueError, "infinity"),
        ("3d", X.reshape(20, 3, 1), y, ValueError, "dim"),
        ("one class", X, np.zeros(20), ValueError, "1 class"),
        ("empty", np.empty((0, 3)), np.empty(0), ValueError, "0 sample"),
        ("strings", np.array([["a", "b", "c"]] * 20), y, ValueError, "convert"),
        ("length", X, y[:-1], ValueError, "inconsistent"),
        ("continuous y", X, np.linspace(0, 1, 20), ValueError, "continuous"),
    ]


@pytest.mark.parametrize(
    "X, y, error, match",
    [case[1:] for case in _bad_inputs()],
    ids=[c[0] for c in _bad_inputs()],
)
def test_bad_training_data(X, y, error, match):
    with pytest.raises(error, match=match):
        KerasMLPClassifier(**FAST).fit(X, y)


def test_bad_prediction_data(sum_data):
    X, y, _, _ = sum_data
    clf = KerasMLPClassifier(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="5 features"):
        clf.predict(X[:, :3])
    with pytest.raises(ValueError, match="NaN"):
        clf.predict_proba(np.full((2, 5), np.nan))


@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function"])
def test_not_fitted(method):
    with pytest.raises(NotFittedError):
        getattr(KerasMLPClassifier(), method)(np.ones((2, 3)))


def test_repr_lists_changed_parameters_only():
    text = repr(KerasMLPClassifier(epochs=5, optimizer__momentum=0.5))
    assert text == "KerasMLPClassifier(epochs=5, optimizer__momentum=0.5)"
    buffer = io.StringIO()
    print(KerasMLPClassifier(), file=buffer)
    assert buffer.getvalue().strip() == "KerasMLPClassifier()"
