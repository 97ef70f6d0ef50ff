"""KerasClassifier: users' Keras models, scikeras' conventions and reference."""

import pickle
import sys
import warnings

import cloudpickle
import joblib
import keras
import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skclassify import KerasClassifier
from skclassify.model import init_keras_weights
from skclassify.training import get_trainer

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


# -- builders, as Keras users write them (module level: picklable) --------------
def source_softmax_net(meta):
    """The first source's net, compiled inside the builder."""
    model = keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(20, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("rmsprop", "categorical_crossentropy", metrics=["accuracy"])
    return model


def source_hinge_net(meta):
    """The source's objective experiment: one tanh unit, hinge loss, adam."""
    model = keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(20, activation="tanh"),
            keras.layers.Dense(1, activation="tanh"),
        ]
    )
    model.compile("adam", "hinge", metrics=["accuracy"])
    return model


def dense_net(meta, hidden=8, dropout=0.0):
    """Uncompiled; sized from meta for binary, multiclass and multilabel targets."""
    n_classes = meta["n_classes_"]
    multilabel = meta["target_type_"] == "multilabel-indicator"
    binary = meta["target_type_"] == "binary"
    layers = [keras.Input((meta["n_features_in_"],))]
    layers.append(keras.layers.Dense(hidden, activation="relu"))
    if dropout:
        layers.append(keras.layers.Dropout(dropout))
    if binary or multilabel:
        units = 1 if binary else n_classes
        layers.append(keras.layers.Dense(units, activation="sigmoid"))
    else:
        layers.append(keras.layers.Dense(n_classes, activation="softmax"))
    return keras.Sequential(layers)


def compiled_net(meta, compile_kwargs, hidden=8):
    """Compiled with the estimator's optimizer and loss (scikeras' pattern)."""
    model = keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(hidden, activation="tanh"),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )
    model.compile(**compile_kwargs)
    return model


def sgd_net(meta, loss="sparse_categorical_crossentropy", weights=None):
    """For the scikeras reference: fixed initial weights, full-batch SGD."""
    binary = loss == "binary_crossentropy"
    model = keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.Dense(
                1 if binary else meta["n_classes_"],
                activation="sigmoid" if binary else "softmax",
            ),
        ]
    )
    if weights is not None:
        model.set_weights(weights)
    model.compile(keras.optimizers.SGD(0.2), loss)
    return model


def sgd_hinge_net(meta, weights=None):
    model = source_hinge_net(meta)
    if weights is not None:
        model.set_weights(weights)
    model.compile(keras.optimizers.SGD(0.2), "hinge")
    return model


FAST = {"epochs": 20, "random_state": 0}


# -- the sources' nets -----------------------------------------------------------
def test_compiled_categorical_crossentropy_encodes_one_hot(sum_data):
    # scikeras ignores a loss compiled inside the builder and feeds 1-D labels
    # to a 2-unit softmax; here the target follows the compiled loss.
    X, y, X_test, y_test = sum_data
    clf = KerasClassifier(source_softmax_net, epochs=150, random_state=0)
    clf.fit(X, y)
    assert isinstance(clf.model_.loss, keras.losses.CategoricalCrossentropy)
    assert clf.score(X_test, y_test) >= 0.9
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)


def test_hinge_tanh_with_signed_labels(sum_data):
    X, y, X_test, y_test = sum_data
    signed, signed_test = y * 2 - 1, y_test * 2 - 1
    clf = KerasClassifier(source_hinge_net, epochs=150, random_state=0)
    clf.fit(X, signed)
    assert list(clf.classes_) == [-1, 1]
    assert isinstance(clf.model_.loss, keras.losses.Hinge)
    assert clf.out_activation_ == "tanh"
    assert clf.score(X_test, signed_test) >= 0.9
    out = clf.model_.predict(X_test, verbose=0)[:, 0]
    proba = clf.predict_proba(X_test)
    # a tanh unit in [-1, 1] maps linearly to P(+1); the threshold 0 to 0.5
    np.testing.assert_allclose(proba[:, 1], (np.clip(out, -1, 1) + 1) / 2, atol=1e-6)
    np.testing.assert_array_equal(clf.predict(X_test), np.where(out > 0, 1, -1))
    assert ((clf.decision_function(X_test) > 0) == (clf.predict(X_test) == 1)).all()


def test_uncompiled_model_uses_the_estimators_loss_and_optimizer(multiclass_data):
    X, y = multiclass_data
    clf = KerasClassifier(
        dense_net, loss="sparse_categorical_crossentropy", optimizer="adam", **FAST
    ).fit(X, y)
    assert isinstance(clf.model_.loss, keras.losses.SparseCategoricalCrossentropy)
    assert isinstance(clf.model_.optimizer, keras.optimizers.Adam)
    assert clf.predict_proba(X).shape == (len(X), 3)
    # loss=None: one sigmoid unit gets binary cross-entropy
    two = KerasClassifier(dense_net, **FAST).fit(X[y != "cat"], y[y != "cat"])
    assert isinstance(two.model_.loss, keras.losses.BinaryCrossentropy)
    assert two.weights_[-1].shape == (1,)


def test_compile_kwargs_and_keras_loss_objects(multiclass_data):
    X, y = multiclass_data
    clf = KerasClassifier(
        compiled_net,
        optimizer="sgd",
        loss=keras.losses.CategoricalCrossentropy,
        loss__label_smoothing=0.1,
        optimizer__momentum=0.9,
        **FAST,
    ).fit(X, y)
    model = clf.model_  # compiled with what trained it
    assert isinstance(model.loss, keras.losses.CategoricalCrossentropy)
    assert model.loss.get_config()["label_smoothing"] == 0.1
    assert isinstance(model.optimizer, keras.optimizers.SGD)
    assert model.optimizer.momentum == 0.9
    # scikeras' loss_name gives "k_l_divergence" for this class
    kld = KerasClassifier(compiled_net, loss=keras.losses.KLDivergence(), **FAST)
    assert isinstance(kld.fit(X, y).model_.loss, keras.losses.KLDivergence)


def test_multilabel_target():
    rng = np.random.RandomState(0)
    X = rng.rand(80, 4)
    Y = np.column_stack([X[:, 0] > 0.5, X[:, 1] > 0.5, X[:, 2] > 0.3]).astype(int)
    clf = KerasClassifier(dense_net, epochs=50, batch_size=None, random_state=0)
    clf.fit(X, Y)
    assert clf.target_type_ == "multilabel-indicator"
    assert clf.predict(X).shape == Y.shape
    assert clf.predict_proba(X).shape == Y.shape


# -- parameters and routing ----------------------------------------------------------
def test_bare_and_routed_builder_parameters(multiclass_data):
    X, y = multiclass_data
    clf = KerasClassifier(dense_net, hidden=5, **FAST)
    assert clf.get_params()["hidden"] == 5
    assert clone(clf).get_params()["hidden"] == 5
    clf.fit(X, y)
    assert clf.weights_[0].shape == (4, 5)
    clf.set_params(model__hidden=8).fit(X, y)  # routed wins over bare
    assert clf.weights_[0].shape == (4, 8)
    fresh = KerasClassifier(dense_net, **FAST).set_params(hidden=5)  # not given before
    assert fresh.fit(X, y).weights_[0].shape == (4, 5)
    with pytest.raises(ValueError, match="takes no such parameter"):
        KerasClassifier(dense_net, hiden=5, **FAST).fit(X, y)
    with pytest.raises(ValueError, match="Unknown parameter 'compile__run_eagerly'"):
        KerasClassifier(dense_net, compile__run_eagerly=True, **FAST).fit(X, y)
    with pytest.raises(ValueError, match="predict__steps"):
        KerasClassifier(dense_net, predict__steps=5, **FAST).fit(X, y)


def test_fit_routes_override_training_parameters(multiclass_data):
    X, y = multiclass_data
    clf = KerasClassifier(dense_net, fit__epochs=3, n_iter_no_change=50, **FAST)
    assert clf.fit(X, y).n_iter_ == 3
    with pytest.raises(ValueError, match="fit__epochs"):
        KerasClassifier(dense_net, fit__epochs=0, **FAST).fit(X, y)
    with pytest.raises(ValueError, match="fit__validation_split"):
        KerasClassifier(dense_net, fit__validation_split=1.5, **FAST).fit(X, y)


@pytest.mark.slow  # two fresh worker processes import TensorFlow and compile
def test_routed_parameters_in_grid_search_with_two_jobs(multiclass_data):
    X, y = multiclass_data
    # The workers cannot import this test module (pytest's importlib mode):
    # its builders travel by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    # one architecture (one compile per worker): the routes, not the nets, matter
    grid = GridSearchCV(
        KerasClassifier(compiled_net, optimizer="sgd", optimizer__momentum=0.9, **FAST),
        {
            "model__hidden": [8],
            "optimizer__learning_rate": [0.01, 0.1],
            "fit__epochs": [5, 20],
            "loss__label_smoothing": [0.1],
        },
        cv=2,
        n_jobs=2,
    )
    grid.set_params(estimator__loss=keras.losses.CategoricalCrossentropy)
    grid.fit(X, y)
    assert set(grid.best_params_) == {
        "model__hidden",
        "optimizer__learning_rate",
        "fit__epochs",
        "loss__label_smoothing",
    }
    best = grid.best_estimator_
    assert best.n_iter_ <= grid.best_params_["fit__epochs"]
    assert best.get_params()["optimizer__momentum"] == 0.9
    assert best.model_.loss.get_config()["label_smoothing"] == 0.1
    rates = grid.cv_results_["param_optimizer__learning_rate"]
    assert sorted(set(rates)) == [0.01, 0.1]


def test_one_compiled_loop_per_architecture(multiclass_data):
    X, y = multiclass_data
    a = KerasClassifier(dense_net, learning_rate=0.01, **FAST).fit(X, y)
    b = KerasClassifier(dense_net, optimizer__learning_rate=0.1, **FAST).fit(X, y)
    # two builds of one architecture (Keras names the layers apart) and two
    # learning rates: one structure key, one compiled trainer
    assert a._spec == b._spec
    assert get_trainer(a._spec) is get_trainer(b._spec)
    rates = [float(c.model_.optimizer.learning_rate) for c in (a, b)]
    np.testing.assert_allclose(rates, [0.01, 0.1])


# -- errors ---------------------------------------------------------------------------
def _three_units(meta):
    return keras.Sequential(
        [keras.Input((meta["n_features_in_"],)), keras.layers.Dense(3, "softmax")]
    )


def _two_inputs(meta):
    a, b = keras.Input((meta["n_features_in_"],)), keras.Input((2,))
    out = keras.layers.Dense(2, "softmax")(keras.layers.Concatenate()([a, b]))
    return keras.Model([a, b], out)


@pytest.mark.parametrize(
    "builder, kwargs, match",
    [
        (_three_units, {}, "3 output unit"),
        (_two_inputs, {}, "2 inputs"),
        (dense_net, {"loss": 42}, "Unsupported loss"),
        (source_softmax_net, {"loss": "hinge"}, "compiled with"),
        (None, {}, "'model' parameter"),
        (lambda meta: "not a model", {}, "must return a keras.Model"),
    ],
    ids=[
        "outputs",
        "inputs",
        "loss",
        "mismatch",
        "none",
        "type",
    ],
)
def test_clear_errors(sum_data, builder, kwargs, match):
    X, y = sum_data[:2]
    with pytest.raises((ValueError, TypeError), match=match):
        KerasClassifier(builder, **kwargs, **FAST).fit(X, y)


# -- lifecycle -------------------------------------------------------------------------
def test_clone_pickle_and_joblib(multiclass_data, tmp_path):
    X, y = multiclass_data
    clf = KerasClassifier(compiled_net, optimizer="adam", loss__from_logits=False)
    clf.set_params(loss="categorical_crossentropy", hidden=6, **FAST)
    params = clone(clf).get_params()
    assert params == clf.get_params()
    clf.fit(X, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))
    joblib.dump(clf, tmp_path / "clf.joblib")
    loaded = joblib.load(tmp_path / "clf.joblib")
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    model = loaded.model_
    np.testing.assert_allclose(
        model.predict(X.astype("float32"), verbose=0),
        clf.predict_proba(X),
        rtol=1e-5,
        atol=1e-6,
    )


def test_reproducible_without_global_state(multiclass_data):
    X, y = multiclass_data
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = KerasClassifier(dense_net, dropout=0.3, **FAST).fit(X, y)
    b = KerasClassifier(dense_net, dropout=0.3, **FAST).fit(X, y)
    c = KerasClassifier(dense_net, dropout=0.3, epochs=20, random_state=1).fit(X, y)
    rs = KerasClassifier(
        dense_net, epochs=20, random_state=np.random.RandomState(5)
    ).fit(X, y)
    rs2 = KerasClassifier(
        dense_net, epochs=20, random_state=np.random.RandomState(6)
    ).fit(X, y)
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    for wa, wb in zip(a.weights_, b.weights_, strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.weights_[0], c.weights_[0])
    assert not np.array_equal(rs.weights_[0], rs2.weights_[0])


def test_prebuilt_model_is_a_starting_point_never_changed(sum_data):
    X, y = sum_data[:2]
    model = source_softmax_net({"n_features_in_": X.shape[1]})
    start = [w.copy() for w in model.get_weights()]
    clf = KerasClassifier(model, **FAST).fit(X, y)
    for before, after in zip(start, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    again = KerasClassifier(model, **FAST).fit(X, y)
    np.testing.assert_array_equal(clf.weights_[0], again.weights_[0])
    assert isinstance(clf.model_.loss, keras.losses.CategoricalCrossentropy)


def test_partial_fit_warm_start_and_early_stopping(multiclass_data):
    X, y = multiclass_data
    clf = KerasClassifier(dense_net, random_state=0)
    for _ in range(3):
        clf.partial_fit(X[:60], y[:60], classes=np.unique(y))
    assert len(clf.loss_curve_) == 3 and clf.n_iter_ == 1
    assert list(clf.classes_) == ["ant", "bee", "cat"]
    warm = KerasClassifier(dense_net, warm_start=True, epochs=5, n_iter_no_change=50)
    warm.fit(X, y)
    first = warm.weights_[0].copy()
    warm.fit(X, y)
    assert len(warm.loss_curve_) == 10 and not np.array_equal(first, warm.weights_[0])
    stop = KerasClassifier(dense_net, early_stopping=True, n_iter_no_change=2, **FAST)
    stop.fit(X, y)
    assert stop.validation_scores_ and "val_accuracy" in stop.history_


def test_sample_weight_and_class_weight(multiclass_data):
    X, y = multiclass_data
    full = dict(epochs=10, batch_size=None, dtype="float64", random_state=0)
    w = np.ones(len(y))
    w[:10] = 0
    a = KerasClassifier(dense_net, **full).fit(X, y, sample_weight=w)
    b = KerasClassifier(dense_net, **full).fit(X[10:], y[10:])
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), rtol=1e-7)
    weighted = KerasClassifier(dense_net, class_weight={"ant": 5.0}, **full)
    assert not np.allclose(weighted.fit(X, y).predict_proba(X), a.predict_proba(X))
    with pytest.raises(ValueError, match="Negative"):
        KerasClassifier(dense_net, **full).fit(X, y, sample_weight=-w)


# -- scikeras as the reference ----------------------------------------------------
def _reference_pair(builder, X, y, n_classes, epochs=5, **builder_kwargs):
    """scikeras and ours, the same builder, from the same initial weights."""
    from scikeras.wrappers import KerasClassifier as ScikerasClassifier

    meta = {"n_features_in_": X.shape[1], "n_classes_": n_classes}
    weights = init_keras_weights(
        builder(meta, **builder_kwargs), np.random.RandomState(0)
    )
    routed = {f"model__{k}": v for k, v in builder_kwargs.items()}
    theirs = ScikerasClassifier(
        builder,
        model__weights=weights,
        **routed,
        epochs=epochs,
        batch_size=len(X),
        shuffle=False,
        verbose=0,
    )
    ours = KerasClassifier(
        builder,
        **routed,
        epochs=epochs,
        batch_size=None,
        shuffle=False,
        n_iter_no_change=epochs,
        random_state=0,
    )
    return theirs, ours


@pytest.mark.parametrize(
    "loss", ["sparse_categorical_crossentropy", "binary_crossentropy"]
)
def test_scikeras_reference_agrees(loss):
    rng = np.random.RandomState(0)
    X = rng.rand(90, 4).astype("float32")
    n_classes = 2 if loss == "binary_crossentropy" else 3
    y = np.digitize(X.sum(axis=1), [1.6, 2.4][: n_classes - 1])
    theirs, ours = _reference_pair(sgd_net, X, y, n_classes, loss=loss)
    theirs.fit(X, y)
    ours.fit(X, y)
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), atol=1e-5
    )
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.xfail(
    strict=True,
    raises=ValueError,
    reason="scikeras encodes the target by its own `loss` parameter and ignores the "
    "categorical_crossentropy compiled in the builder: Keras then fails with "
    "'Arguments `target` and `output` must have the same shape'",
)
def test_scikeras_with_loss_compiled_in_builder(sum_data):
    from scikeras.wrappers import KerasClassifier as ScikerasClassifier

    X, y = sum_data[:2]
    ours = KerasClassifier(source_softmax_net, **FAST).fit(X, y)
    assert ours.score(X, y) > 0.5  # ours trains; scikeras raises below
    theirs = ScikerasClassifier(source_softmax_net, epochs=2, verbose=0).fit(X, y)
    np.testing.assert_array_equal(theirs.predict(X), ours.predict(X))


@pytest.mark.xfail(
    strict=True,
    reason="scikeras returns [1 - out, out] for one tanh unit: 'probabilities' "
    "outside [0, 1], where ours maps [-1, 1] linearly onto [0, 1]",
)
def test_scikeras_hinge_tanh_probabilities():
    rng = np.random.RandomState(0)
    X = rng.rand(90, 4).astype("float32")
    y = np.where(X.sum(axis=1) > 2, 1, -1)
    theirs, ours = _reference_pair(sgd_hinge_net, X, y, 2)
    ours.fit(X, y)
    assert ((ours.predict_proba(X) >= 0) & (ours.predict_proba(X) <= 1)).all()
    theirs.fit(X, y)
    proba = theirs.predict_proba(X)
    assert ((proba >= 0) & (proba <= 1)).all()


@pytest.mark.xfail(
    strict=True,
    reason="scikit-learn >= 1.6 reads estimator tags from __sklearn_tags__; "
    "scikeras 0.13 still declares _estimator_type and _more_tags",
)
def test_scikeras_is_a_classifier_for_sklearn():
    from scikeras.wrappers import KerasClassifier as ScikerasClassifier

    assert is_classifier(KerasClassifier(dense_net))
    assert is_classifier(ScikerasClassifier(dense_net))


def _tf_stream_around(fit):
    """Two draws of TensorFlow's global random stream, with ``fit`` in between."""
    import random

    import tensorflow as tf

    tf.random.set_seed(1)
    first = float(tf.random.uniform([]))
    py_state, np_state = random.getstate(), np.random.get_state()[1].copy()
    fit()
    assert random.getstate() == py_state
    assert np.array_equal(np.random.get_state()[1], np_state)
    return first, float(tf.random.uniform([]))


def test_seeding_leaves_global_random_streams_alone(multiclass_data):
    # Documented difference: scikeras' seeding re-seeds TensorFlow's global
    # stream on exit, so the user's next "random" draw repeats an earlier one.
    from scikeras.wrappers import KerasClassifier as ScikerasClassifier

    X, y = multiclass_data
    control = _tf_stream_around(lambda: None)

    def ours():
        KerasClassifier(dense_net, dropout=0.2, epochs=2, random_state=0).fit(X, y)

    def theirs():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ScikerasClassifier(
                dense_net,
                loss="binary_crossentropy",
                epochs=1,
                random_state=0,
                verbose=0,
            ).fit(X, (y == "ant").astype(int))

    assert _tf_stream_around(ours) == control
    first, second = _tf_stream_around(theirs)
    assert second == first != control[1]


def test_convergence_warning_like_mlp(multiclass_data):
    X, y = multiclass_data
    with pytest.warns(ConvergenceWarning):
        with warnings.catch_warnings():
            warnings.simplefilter("default", ConvergenceWarning)
            KerasClassifier(dense_net, epochs=2, n_iter_no_change=5).fit(X, y)
