"""The compiled training loops: reuse across fits, batching, both backends."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from skclassify import KerasMLPClassifier
from skclassify.training import batch_indices, get_trainer


def test_batch_indices_cover_every_row_once_per_epoch():
    idx = batch_indices(10, 4, 3, True, np.random.RandomState(0))
    padded = batch_indices(10, 4, 2, True, np.random.RandomState(0), (5, 4, 4))
    assert padded.shape == (5, 4, 4) and (padded[2:] == -1).all()
    assert idx.shape == (3, 3, 4)
    for epoch in idx:
        rows = epoch.ravel()
        np.testing.assert_array_equal(np.sort(rows[rows >= 0]), np.arange(10))
        assert (rows < 0).sum() == 2  # the last batch is padded
    ordered = batch_indices(5, None, 2, False, np.random.RandomState(0))
    np.testing.assert_array_equal(ordered, [[[0, 1, 2, 3, 4]]] * 2)


def test_same_architecture_reuses_one_compiled_trainer(sum_data):
    X, y, _, _ = sum_data
    first = KerasMLPClassifier((7,), epochs=3, random_state=0).fit(X, y)
    second = KerasMLPClassifier((7,), epochs=40, batch_size=16, random_state=1)
    second.fit(X[:100], y[:100])
    spec = first._spec  # the structure key is what this test is about
    assert spec == second._spec
    trainer = get_trainer(spec)
    assert get_trainer(spec) is trainer
    if hasattr(trainer._train, "experimental_get_tracing_count"):  # TensorFlow
        # one trace serves every data size, batch size, epoch count and chunk
        assert trainer._train.experimental_get_tracing_count() == 1


def test_one_sgd_step_matches_keras_train_on_batch(sum_data):
    """A full-batch epoch of SGD equals one Keras train_on_batch step."""
    import keras

    from skclassify.model import init_coefs, to_keras_weights

    X, y, _, _ = sum_data
    clf = KerasMLPClassifier(
        (5,),
        loss="categorical_crossentropy",
        optimizer="sgd",
        alpha=0.0,
        batch_size=None,
        epochs=1,
        shuffle=False,
        random_state=0,
    ).fit(X, y)
    model = clf.model_  # the same architecture, given the seed's weights below
    coefs, intercepts = init_coefs([5, 5, 2], np.random.RandomState(0))
    for var, value in zip(
        model.trainable_variables, to_keras_weights(coefs, intercepts), strict=True
    ):
        var.assign(value)  # the seed's draw
    model.compile(optimizer=keras.optimizers.SGD(), loss="categorical_crossentropy")
    model.train_on_batch(X.astype("float32"), np.eye(2, dtype="float32")[y])
    for ours, theirs in zip(clf._get_weights(), model.trainable_variables, strict=True):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-5, atol=1e-6)


_JAX_SCRIPT = textwrap.dedent(
    """
    import numpy as np
    import keras
    from skclassify import KerasMLPClassifier
    from skclassify.datasets import make_sum_threshold
    assert keras.backend.backend() == "jax"
    X, y = make_sum_threshold(n_samples=450, random_state=0)
    clf = KerasMLPClassifier((20,), epochs=150, dropout=0.1, batch_size=32,
                             random_state=0)
    clf.fit(X[:250], y[:250])
    assert clf.score(X[250:], y[250:]) >= 0.9, clf.score(X[250:], y[250:])
    again = KerasMLPClassifier((20,), epochs=150, dropout=0.1, batch_size=32,
                               random_state=0)
    again.fit(X[:250], y[:250])
    assert np.array_equal(again.predict_proba(X), clf.predict_proba(X))
    hinge = KerasMLPClassifier((20,), activation="tanh", loss="hinge", epochs=150,
                               early_stopping=True, random_state=0)
    hinge.fit(X[:250], y[:250] * 2 - 1)
    assert hinge.validation_scores_ is not None
    print("ok")
    """
)


@pytest.mark.slow  # a fresh process imports JAX and Keras
def test_jax_backend():
    pytest.importorskip("jax")
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    done = subprocess.run(
        [sys.executable, "-c", _JAX_SCRIPT], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok"
