"""Keras callbacks, validation data, stateful layers and schedules in training.

The reference is Keras' own ``Model.fit``: from identical initial weights, with
shuffling off and no dropout, the history and the weights agree to float32
round-off (plain SGD; Adam amplifies round-off in near-zero gradients, such as
a bias in front of BatchNormalization, so it is not the reference here).
"""

import keras
import numpy as np
import pytest

from skclassify import KerasClassifier, KerasMLPClassifier
from skclassify.datasets import make_sum_threshold

#: agreement with Keras' Model.fit (float32 round-off over a few epochs)
RTOL, ATOL = 1e-4, 1e-5


@pytest.fixture(scope="module")
def data():
    X, y = make_sum_threshold(n_samples=200, random_state=0)
    return X.astype("float32"), y


def get_model(meta):
    """The migration example's model: Dense + L2, BatchNormalization, softmax."""
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(
                16, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-3)
            ),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )


def _callbacks(path):
    return [
        keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=2, restore_best_weights=True
        ),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1),
        keras.callbacks.ModelCheckpoint(
            str(path / "best.keras"), monitor="val_loss", save_best_only=True
        ),
    ]


def _keras_fit(model, init, X, y, optimizer, callbacks, epochs):
    model.set_weights(init)
    model.compile(optimizer, "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        X,
        keras.utils.to_categorical(y, 2),
        epochs=epochs,
        batch_size=32,
        shuffle=False,
        validation_split=0.25,
        callbacks=callbacks,
        verbose=0,
    )
    return history.history


@pytest.mark.parametrize(
    "case", ["callbacks", pytest.param("schedule", marks=pytest.mark.slow)]
)
def test_migration_example_matches_keras_fit(data, tmp_path, case):
    X, y = data
    model = get_model({"n_features_in_": X.shape[1], "n_classes_": 2})
    init = model.get_weights()
    if case == "callbacks":

        def make(path):
            return keras.optimizers.SGD(0.1, momentum=0.9), _callbacks(path), 30

    else:

        def make(path):
            decay = keras.optimizers.schedules.ExponentialDecay(0.1, 5, 0.5)
            return keras.optimizers.SGD(decay), [], 4

    optimizer, callbacks, epochs = make(tmp_path / "ours")
    (tmp_path / "ours").mkdir()
    clf = KerasClassifier(
        model,
        loss="categorical_crossentropy",
        optimizer=optimizer,
        epochs=epochs,
        batch_size=32,
        shuffle=False,
        callbacks=callbacks,
        fit__validation_split=0.25,
    )
    if case == "schedule":
        with pytest.warns(Warning, match="Maximum iterations"):
            clf.fit(X, y)
    else:
        clf.fit(X, y)
    optimizer, callbacks, epochs = make(tmp_path)
    theirs = _keras_fit(model, init, X, y, optimizer, callbacks, epochs)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(
            clf.history_[key], theirs[key], rtol=RTOL, atol=ATOL, err_msg=key
        )
    for ours, keras_weights in zip(
        clf.model_.get_weights(), model.get_weights(), strict=True
    ):
        np.testing.assert_allclose(ours, keras_weights, rtol=RTOL, atol=ATOL)
    if case == "callbacks":  # the callbacks acted: stopped early, lowered the rate
        assert clf.n_iter_ < epochs and clf.n_iter_ == len(theirs["loss"])
        assert clf.learning_rate_ == pytest.approx(theirs["learning_rate"][-1] / 2)
        saved = keras.saving.load_model(tmp_path / "ours" / "best.keras")
        assert len(saved.get_weights()) == len(init)


def _small(meta):
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )


class StopAfter(keras.callbacks.Callback):
    """A user's callback: records what it sees, stops after ``epochs``."""

    def __init__(self, epochs=2):
        super().__init__()
        self.epochs = epochs
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        kernel = self.model.layers[0].kernel.numpy().copy()
        self.seen.append((epoch, dict(logs), kernel))
        if epoch + 1 >= self.epochs:
            self.model.stop_training = True


def test_user_callback_sees_logs_and_weights_and_stops(data):
    X, y = data
    stop = StopAfter(3)
    clf = KerasClassifier(_small, epochs=50, random_state=0, callbacks=stop)
    clf.fit(X, y)
    assert clf.n_iter_ == 3 and [e for e, _, _ in stop.seen] == [0, 1, 2]
    logs = stop.seen[-1][1]
    assert set(logs) == {"loss", "accuracy"}
    assert logs["loss"] == pytest.approx(clf.history_["loss"][-1])
    np.testing.assert_array_equal(stop.seen[-1][2], clf.weights_[0])
    assert not np.array_equal(stop.seen[0][2], stop.seen[1][2])


def test_callbacks_routing_and_fit_callbacks(data):
    X, y = data
    seen = []
    log = keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))
    clf = KerasClassifier(
        _small,
        epochs=40,
        random_state=0,
        n_iter_no_change=np.inf,
        callbacks={"stop": StopAfter},
        callbacks__stop__epochs=4,
        fit__callbacks=[log],
    )
    clf.fit(X, y)
    assert clf.n_iter_ == 4 and seen == [0, 1, 2, 3]
    with pytest.raises(TypeError, match="callbacks must be"):
        KerasClassifier(_small, epochs=2, callbacks=["early"]).fit(X, y)


def test_validation_split_takes_the_last_rows_and_data_agree(data):
    X, y = data
    kwargs = {"epochs": 5, "random_state": 0, "n_iter_no_change": np.inf}
    split = KerasClassifier(_small, fit__validation_split=0.25, **kwargs)
    given = KerasClassifier(_small, fit__validation_data=(X[150:], y[150:]), **kwargs)
    with pytest.warns(Warning, match="Maximum iterations"):
        split.fit(X, y)
        given.fit(X[:150], y[:150])
    assert len(split.history_["val_loss"]) == 5
    for key in ("loss", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(split.history_[key], given.history_[key], rtol=1e-6)


def test_early_stopping_watches_validation_loss(data):
    X, y = data
    clf = KerasMLPClassifier(
        (8,),
        epochs=200,
        early_stopping=True,
        early_stopping_monitor="val_loss",
        n_iter_no_change=3,
        tol=0.0,
        learning_rate=0.05,
        random_state=0,
    ).fit(X, y)
    val_loss = np.array(clf.history_["val_loss"])
    best = int(np.argmin(val_loss))
    # stopped once 4 epochs in a row did not beat the lowest validation loss
    assert clf.n_iter_ == best + 5
    assert clf.validation_scores_ == clf.history_["val_accuracy"]
    assert clf.best_validation_score_ == -val_loss[best]


def _frozen_and_dropout(meta):
    frozen = keras.layers.Dense(6, activation="tanh", trainable=False)
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            frozen,
            keras.layers.BatchNormalization(),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )


def test_frozen_layers_batch_statistics_and_inference_mode(data):
    X, y = data
    clf = KerasClassifier(_frozen_and_dropout, epochs=3, random_state=0)
    with pytest.warns(Warning, match="Maximum iterations"):
        clf.fit(X, y)
    model = _frozen_and_dropout({"n_features_in_": X.shape[1], "n_classes_": 2})
    # frozen kernel and bias, then the moving mean and variance
    assert [w.shape for w in clf.non_trainable_weights_] == [(5, 6), (6,), (6,), (6,)]
    assert len(clf.weights_) == len(model.trainable_variables)
    first = clf.non_trainable_weights_[:2]
    assert not np.allclose(clf.non_trainable_weights_[2], 0)  # statistics moved
    with pytest.warns(Warning, match="Maximum iterations"):
        clf.set_params(warm_start=True).fit(X, y)
    for before, after in zip(first, clf.non_trainable_weights_[:2], strict=True):
        np.testing.assert_array_equal(before, after)  # frozen stays frozen
    proba = clf.predict_proba(X)  # inference mode: no dropout, moving stats
    np.testing.assert_array_equal(proba, clf.predict_proba(X))
    np.testing.assert_allclose(proba, clf.model_(X, training=False), atol=1e-6)


def test_add_loss_enters_the_training_loss(data):
    X, y = data

    @keras.saving.register_keras_serializable(package="skclassify_tests")
    class Penalised(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(10.0 * keras.ops.mean(keras.ops.square(inputs)))
            return inputs

    def build(meta):
        return keras.Sequential(
            [
                keras.Input((meta["n_features_in_"],)),
                keras.layers.Dense(meta["n_classes_"], activation="softmax"),
                Penalised(),
            ]
        )

    kwargs = {"epochs": 1, "random_state": 0, "shuffle": False}
    with pytest.warns(Warning, match="Maximum iterations"):
        penalised = KerasClassifier(build, **kwargs).fit(X, y)
        plain = KerasClassifier(_small_linear, **kwargs).fit(X, y)
    assert penalised.history_["loss"][0] > plain.history_["loss"][0] + 1.0


def _small_linear(meta):
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )


def test_mlp_takes_keras_callbacks(data):
    X, y = data
    stop = StopAfter(2)
    clf = KerasMLPClassifier((5,), epochs=30, random_state=0, callbacks=[stop])
    clf.fit(X, y)
    assert clf.n_iter_ == 2
    np.testing.assert_array_equal(stop.seen[-1][2], clf.coefs_[0])


def test_sklearn_scoring_monitor_scores_every_epoch(data):
    callback = pytest.importorskip("sklearn.callback")
    X, y = data
    monitor = callback.ScoringMonitor(scoring="accuracy")
    clf = KerasMLPClassifier((8,), epochs=4, random_state=0).set_callbacks(monitor)
    with pytest.warns(Warning, match="Maximum iterations"):
        clf.fit(X, y)
    logs = monitor.get_logs().data_as_pandas
    epochs = logs[logs["task_id_path"].map(len) == 2]  # the fit's subtasks
    assert len(epochs) == 4
    assert epochs["accuracy"].iloc[-1] == pytest.approx(clf.score(X, y))


def test_sklearn_progress_bar_nests_epochs_under_a_pipeline(data, capsys):
    callback = pytest.importorskip("sklearn.callback")
    pytest.importorskip("rich")
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = data
    pipe = make_pipeline(
        StandardScaler(),
        KerasClassifier(_small, epochs=3, random_state=0, n_iter_no_change=np.inf),
    ).set_callbacks(callback.ProgressBar())
    with pytest.warns(Warning, match="Maximum iterations"):
        pipe.fit(X, y)
    assert pipe[-1].n_iter_ == 3
    assert "KerasClassifier - fit" in capsys.readouterr().out


def test_keras_callbacks_set_the_rate_and_write_files(data, tmp_path):
    X, y = data
    clf = KerasClassifier(
        _small,
        epochs=3,
        optimizer="sgd",
        n_iter_no_change=np.inf,
        random_state=0,
        callbacks=[
            keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1)),
            keras.callbacks.CSVLogger(str(tmp_path / "log.csv")),
        ],
    )
    with pytest.warns(Warning, match="Maximum iterations"):
        clf.fit(X, y)
    assert clf.learning_rate_ == pytest.approx(0.1 / 3)
    rows = (tmp_path / "log.csv").read_text().splitlines()
    assert rows[0].split(",")[:4] == ["epoch", "accuracy", "learning_rate", "loss"]
    assert len(rows) == 4
    decay = keras.optimizers.schedules.ExponentialDecay(0.1, 5, 0.5)
    with pytest.raises(ValueError, match="LearningRateSchedule"):
        KerasClassifier(
            _small, epochs=2, learning_rate=0.1, optimizer__learning_rate=decay
        ).fit(X, y)
