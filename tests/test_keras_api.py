"""KerasClassifier's scikeras-side API: parameters, fit/predict arguments,
custom losses, one-hot targets, subclassed models, ``initialize``, ``model_``."""

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import check_no_attributes_set_in_init

from skclassify import KerasClassifier, KerasMLPClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

FAST = {"epochs": 8, "random_state": 0}


def get_model(meta, hidden_layer_dim=8, compile_kwargs=None):
    """A scikeras user's builder: softmax over ``n_classes_``."""
    model = keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(hidden_layer_dim, activation="relu"),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )
    if compile_kwargs is not None:
        model.compile(**compile_kwargs)
    return model


class Subclassed(keras.Model):
    """A ``keras.Model`` subclass, not registered with Keras' serialization."""

    def __init__(self, n_classes=3, hidden=8, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(hidden, activation="relu")
        self.out = keras.layers.Dense(n_classes, activation="softmax")

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def subclassed_model(meta):
    return Subclassed(meta["n_classes_"])


def sparse_ce(y_true, y_pred):
    """A custom loss function (Keras' own, under another name)."""
    return keras.losses.sparse_categorical_crossentropy(y_true, y_pred)


class ScaledCrossentropy(keras.losses.Loss):
    """A custom Loss subclass with an argument of its own."""

    def __init__(self, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, y_true, y_pred):
        return self.scale * keras.losses.sparse_categorical_crossentropy(y_true, y_pred)


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.rand(90, 4).astype("float32")
    y = np.array(["ant", "bee", "cat"])[(X[:, 0] * 3).astype(int)]
    return X, y


# -- parameters -------------------------------------------------------------------
def test_bare_and_routed_params_are_not_attributes_set_in_init():
    clf = KerasClassifier(get_model, hidden_layer_dim=16, optimizer__momentum=0.9)
    public = {k for k in vars(clf) if not k.startswith("_")}
    assert "hidden_layer_dim" not in public and "optimizer__momentum" not in public
    check_no_attributes_set_in_init("KerasClassifier", clf)
    params = clf.get_params()
    assert params["hidden_layer_dim"] == 16 and params["optimizer__momentum"] == 0.9
    assert clone(clf).get_params()["hidden_layer_dim"] == 16
    assert clf.hidden_layer_dim == 16  # read as an attribute, as in scikeras
    clf.set_params(hidden_layer_dim=4, optimizer__momentum=0.5)
    assert clf.get_params()["hidden_layer_dim"] == 4
    assert clf.optimizer__momentum == 0.5
    with pytest.raises(AttributeError):
        clf.not_a_parameter  # noqa: B018
    with pytest.raises(NotFittedError):  # a fitted view's own error
        clf.model_  # noqa: B018
    mlp = KerasMLPClassifier(optimizer__momentum=0.9)
    check_no_attributes_set_in_init("KerasMLPClassifier", mlp)
    assert clone(mlp).get_params()["optimizer__momentum"] == 0.9


@pytest.mark.parametrize(
    "loss, multilabel",
    [
        (None, True),
        ("binary_crossentropy", True),
        ("sparse_categorical_crossentropy", False),
        (keras.losses.CategoricalCrossentropy(), False),
        (sparse_ce, False),
    ],
    ids=["none", "bce", "sparse", "cce-object", "custom"],
)
def test_tags_follow_the_configured_loss(loss, multilabel):
    tags = KerasClassifier(get_model, loss=loss).__sklearn_tags__()
    assert tags.classifier_tags.multi_label is multilabel


@pytest.mark.parametrize(
    "loss, multilabel",
    [("auto", True), ("hinge", True), ("categorical_crossentropy", False)],
)
def test_mlp_tags_follow_the_loss(loss, multilabel):
    tags = KerasMLPClassifier(loss=loss).__sklearn_tags__()
    assert tags.classifier_tags.multi_label is multilabel


def test_run_eagerly_is_accepted_and_changes_nothing(data):
    X, y = data
    eager = KerasClassifier(get_model, run_eagerly=True, **FAST).fit(X, y)
    compiled = KerasClassifier(get_model, **FAST).fit(X, y)
    np.testing.assert_array_equal(eager.weights_[0], compiled.weights_[0])
    with pytest.raises(ValueError, match="run_eagerly"):
        KerasClassifier(get_model, run_eagerly="yes", **FAST).fit(X, y)


# -- arguments of fit and predict ------------------------------------------------
def test_fit_and_predict_keyword_arguments(data):
    X, y = data
    clf = KerasClassifier(get_model, n_iter_no_change=50, **FAST)
    assert clf.fit(X, y, epochs=3, batch_size=16).n_iter_ == 3
    assert clf.get_params()["epochs"] == 8  # for this call only
    assert clf.fit(X, y).n_iter_ == 8
    with pytest.raises(ValueError, match="'initial_epoch'"):
        clf.fit(X, y, initial_epoch=2)
    stopper = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: setattr(stopper.model, "stop_training", True)
    )
    assert clf.fit(X, y, callbacks=[stopper], validation_split=0.2).n_iter_ == 1
    assert len(clf.history_["val_loss"]) == 1  # the call's validation data
    assert clf.fit(X, y).n_iter_ == 8 and "val_loss" not in clf.history_
    with pytest.raises(TypeError, match="always trains for 1 epoch"):
        clf.partial_fit(X, y, epochs=3)
    with pytest.raises(TypeError, match="`initial_epoch`.*always trains for 1"):
        clf.partial_fit(X, y, initial_epoch=1)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(clf.predict_proba(X, batch_size=7), proba, rtol=1e-6)
    np.testing.assert_array_equal(clf.predict(X, batch_size=-1), clf.predict(X))
    routed = clone(clf).set_params(predict__batch_size=5).fit(X, y)
    np.testing.assert_allclose(routed.predict_proba(X), proba, rtol=1e-6)
    with pytest.raises(ValueError, match="'steps'"):
        clf.predict(X, steps=2)


def test_partial_fit_infers_classes_on_the_first_call(data):
    X, y = data
    clf = KerasClassifier(get_model, random_state=0)
    assert clf.current_epoch == 0
    clf.partial_fit(X, y)
    assert list(clf.classes_) == ["ant", "bee", "cat"]
    clf.partial_fit(X[y != "cat"], y[y != "cat"])  # a subset is fine
    assert clf.current_epoch == 2 == len(clf.history_["loss"])
    with pytest.raises(ValueError, match="classes not in"):
        clf.partial_fit(X[:3], np.array(["ant", "bee", "dog"]))
    first_two = KerasClassifier(get_model, random_state=0)
    first_two.partial_fit(X[y != "cat"], y[y != "cat"])
    assert list(first_two.classes_) == ["ant", "bee"]
    with pytest.raises(ValueError, match="classes not in"):
        first_two.partial_fit(X, y)
    # KerasMLPClassifier keeps scikit-learn's rule
    with pytest.raises(ValueError, match="classes must be passed"):
        KerasMLPClassifier().partial_fit(X, y)


def test_current_epoch_counts_every_epoch(data):
    X, y = data
    clf = KerasClassifier(get_model, n_iter_no_change=50, **FAST).fit(X, y)
    assert clf.current_epoch == 8
    clf.partial_fit(X, y)
    assert clf.current_epoch == 9


# -- the compiled model_ and metrics -------------------------------------------------
def test_model_is_compiled_with_what_trained_it(data):
    X, y = data
    clf = KerasClassifier(
        get_model,
        optimizer="sgd",
        optimizer__momentum=0.9,
        learning_rate=0.05,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        **FAST,
    ).fit(X, y)
    model = clf.model_
    assert isinstance(model.optimizer, keras.optimizers.SGD)
    assert model.optimizer.momentum == 0.9
    assert float(model.optimizer.learning_rate) == pytest.approx(0.05)
    assert int(model.optimizer.iterations) > 0  # the state that trained it
    assert isinstance(model.loss, keras.losses.SparseCategoricalCrossentropy)
    np.testing.assert_allclose(
        model.predict(X, verbose=0), clf.predict_proba(X), rtol=1e-5, atol=1e-6
    )
    logs = model.evaluate(X, clf._target_encoder.codes(y), verbose=0, return_dict=True)
    assert logs["accuracy"] == pytest.approx(clf.score(X, y), abs=1e-6)


def test_metrics_reach_the_builder_and_are_validated(data):
    X, y = data
    seen = []

    def builder(meta, compile_kwargs):
        seen.append(compile_kwargs["metrics"])
        return get_model(meta)

    KerasClassifier(builder, metrics=["accuracy"], **FAST).fit(X, y)
    assert seen == [["accuracy"]]
    with pytest.raises(ValueError, match="Unknown metric 'not_a_metric'"):
        KerasClassifier(get_model, metrics=["not_a_metric"], **FAST).fit(X, y)
    with pytest.raises(ValueError, match="metrics"):
        KerasClassifier(get_model, metrics="accuracy", **FAST).fit(X, y)


# -- custom losses and one-hot targets ---------------------------------------------
def test_custom_loss_function_trains_as_keras_own(data):
    X, y = data
    own = KerasClassifier(get_model, loss="sparse_categorical_crossentropy", **FAST)
    custom = KerasClassifier(get_model, loss=sparse_ce, **FAST)
    own.fit(X, y)
    custom.fit(X, y)
    for a, b in zip(own.weights_, custom.weights_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert custom.model_.loss.fn is sparse_ce


def test_custom_loss_class_with_routed_arguments(data):
    X, y = data
    clf = KerasClassifier(
        get_model, loss=ScaledCrossentropy, loss__scale=2.0, **FAST
    ).fit(X, y)
    assert isinstance(clf.model_.loss, ScaledCrossentropy)
    assert clf.model_.loss.scale == 2.0
    # twice the loss: the same descent as Keras' own loss at twice the rate (SGD)
    sgd = {"optimizer": "sgd", **FAST}
    scaled = KerasClassifier(
        get_model, loss=ScaledCrossentropy(scale=2.0), learning_rate=0.01, **sgd
    ).fit(X, y)
    plain = KerasClassifier(
        get_model, loss="sparse_categorical_crossentropy", learning_rate=0.02, **sgd
    ).fit(X, y)
    np.testing.assert_allclose(scaled.weights_[0], plain.weights_[0], atol=1e-5)


def test_one_hot_target_with_categorical_crossentropy(data):
    X, y = data
    classes, codes = np.unique(y, return_inverse=True)
    onehot = np.eye(3, dtype=int)[codes]
    kwargs = {"loss": "categorical_crossentropy", **FAST}
    clf = KerasClassifier(get_model, **kwargs).fit(X, onehot)
    labels = KerasClassifier(get_model, **kwargs).fit(X, codes)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    np.testing.assert_allclose(clf.weights_[0], labels.weights_[0], rtol=1e-6)
    pred = clf.predict(X)
    assert pred.shape == (len(X), 3) and (pred.sum(axis=1) == 1).all()
    np.testing.assert_array_equal(pred.argmax(axis=1), labels.predict(X))
    assert clf.predict_proba(X).shape == (len(X), 3)
    assert clf.score(X, onehot) == labels.score(X, codes)
    # rows with several 1s stay a multilabel target, which this loss cannot fit
    multi = onehot.copy()
    multi[0] = 1
    with pytest.raises(ValueError, match="cannot fit a multilabel target"):
        KerasClassifier(get_model, **kwargs).fit(X, multi)


# -- keras.Model subclasses ----------------------------------------------------------
def test_unregistered_subclassed_model_from_a_builder(data):
    X, y = data
    clf = KerasClassifier(subclassed_model, loss="sparse_categorical_crossentropy")
    clf.set_params(**FAST, class_weight="balanced").fit(X, y)
    assert clf.predict_proba(X).shape == (len(X), 3)
    assert isinstance(clf.model_, Subclassed)
    again = clone(clf).fit(X, y)
    np.testing.assert_array_equal(clf.weights_[0], again.weights_[0])


def test_unregistered_sequential_subclass(data):
    # a subclass of Sequential is not Keras' own class: its JSON names a class
    # Keras cannot locate, so it is rebuilt by its builder
    X, y = data

    class MySequential(keras.Sequential):
        pass

    def builder(meta):
        return MySequential(
            [keras.Input((meta["n_features_in_"],)), keras.layers.Dense(3)]
        )

    clf = KerasClassifier(builder, loss="sparse_categorical_crossentropy", **FAST)
    assert clf.fit(X, y).predict_proba(X).shape == (len(X), 3)
    assert isinstance(clf.model_, MySequential)


def test_unregistered_subclassed_model_instance(data):
    X, y = data
    model = Subclassed(3)
    model(X[:1])  # builds its layers
    start = [w.copy() for w in model.get_weights()]
    clf = KerasClassifier(model, loss="sparse_categorical_crossentropy", **FAST)
    clf.fit(X, y)
    for before, after in zip(start, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    assert clf.score(X, y) > 0


def test_several_outputs_are_rejected_with_the_reason(data):
    X, y = data

    def two_outputs(meta):
        inputs = keras.Input((meta["n_features_in_"],))
        outputs = [keras.layers.Dense(3, activation="softmax")(inputs)] * 2
        return keras.Model(inputs, outputs)

    with pytest.raises(ValueError, match="one array each"):
        KerasClassifier(two_outputs, **FAST).fit(X, y)


# -- initialize: a trained model as a fitted classifier -----------------------------
def test_initialize_wraps_a_trained_model_without_training(data):
    X, y = data
    classes, codes = np.unique(y, return_inverse=True)
    model = get_model({"n_features_in_": 4, "n_classes_": 3})
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(X, codes, epochs=3, verbose=0)
    expected = model.predict(X, verbose=0)
    clf = KerasClassifier(model).initialize(X, y)
    assert clf.n_iter_ == 0 and clf.current_epoch == 0
    np.testing.assert_allclose(clf.predict_proba(X), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(clf.predict(X), classes[expected.argmax(axis=1)])
    for kept, given in zip(clf.weights_, model.get_weights(), strict=True):
        np.testing.assert_array_equal(kept, given)
    assert isinstance(clf.model_.loss, keras.losses.SparseCategoricalCrossentropy)
    clf.partial_fit(X, y)  # training continues from the wrapped weights
    assert clf.current_epoch == 1
    with pytest.raises(ValueError, match="3 output unit"):
        KerasClassifier(model).initialize(X[y != "cat"], y[y != "cat"])


def test_initialize_keeps_a_trained_models_batch_norm_statistics(data):
    X, y = data
    codes = np.unique(y, return_inverse=True)[1]
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(X * 5 + 3, codes, epochs=2, verbose=0)  # moving statistics move
    clf = KerasClassifier(model).initialize(X, y)
    np.testing.assert_allclose(
        clf.predict_proba(X), model.predict(X, verbose=0), rtol=1e-5, atol=1e-6
    )
