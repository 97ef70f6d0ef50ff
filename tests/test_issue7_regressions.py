"""Regression tests for the bugs listed under "Why" in issue 7.

One test (or a few) per bullet; each failed on skclassify 0.1. Where sklearn's
semantics are the specification, MLPClassifier is run beside ours on the same
data from the same initial weights (float64, full batches, no shuffling), so
that the two must agree to rounding.
"""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_digits, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import MinMaxScaler

from skclassify import KerasMLPClassifier

X_digits, y_digits = load_digits(n_class=3, return_X_y=True)
X_multi = MinMaxScaler().fit_transform(X_digits[:90])
y_multi = y_digits[:90]
X_binary = X_multi[y_multi < 2][:60]
y_binary = y_multi[y_multi < 2][:60]

SMALL = {"hidden_layer_sizes": (5,), "epochs": 5, "random_state": 0}


def _quiet_fit(clf, X, y, **fit_params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X, y, **fit_params)


def _initial_weights(layer_units, seed=0):
    rng = np.random.RandomState(seed)
    coefs = [
        rng.uniform(-0.3, 0.3, (fan_in, fan_out))
        for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:], strict=True)
    ]
    intercepts = [rng.uniform(-0.3, 0.3, fan_out) for fan_out in layer_units[1:]]
    return coefs, intercepts


def _sgd_pair(*, batch_size, alpha=1e-4, max_iter=200, **params):
    """Ours and MLPClassifier with the same full-batch, momentum-free SGD.

    The learning rate 0.125 is exact in float32: Keras keeps an optimizer's
    learning rate in a float32 variable even in a float64 model, and 0.1 would
    put the two models 1e-8 apart after one step.
    """
    common = dict(
        hidden_layer_sizes=(5,),
        activation="tanh",
        alpha=alpha,
        batch_size=batch_size,
        shuffle=False,
        random_state=0,
    )
    common.update(params)
    ours = KerasMLPClassifier(
        optimizer="sgd",
        optimizer__momentum=0.0,
        learning_rate=0.125,
        epochs=max_iter,
        dtype="float64",
        **common,
    )
    theirs = MLPClassifier(
        solver="sgd",
        momentum=0.0,
        learning_rate_init=0.125,
        max_iter=max_iter,
        **common,
    )
    return ours, theirs


def _step_from(clf, coefs, intercepts, X, y, **fit_params):
    """One partial_fit from the given weights (MLPClassifier needs a first call)."""
    if isinstance(clf, MLPClassifier):
        clf.partial_fit(X, y, classes=np.unique(y))
    clf.coefs_ = [c.copy() for c in coefs]
    clf.intercepts_ = [b.copy() for b in intercepts]
    return clf.partial_fit(X, y, classes=np.unique(y), **fit_params)


# -- warm start
def test_warm_start_keeps_classes_and_fitted_api():
    clf = KerasMLPClassifier(warm_start=True, **SMALL)
    _quiet_fit(clf, X_multi, y_multi)
    _quiet_fit(clf, X_multi, y_multi)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    pred = clf.predict(X_multi)
    assert set(pred) <= {0, 1, 2}
    assert 0 <= clf.score(X_multi, y_multi) <= 1
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(clf)).predict(X_multi), pred
    )


# -- random_state
def test_random_state_instances_are_honoured():
    def coefs(random_state):
        clf = KerasMLPClassifier(
            hidden_layer_sizes=(5,), epochs=2, random_state=random_state
        )
        return np.concatenate(
            [c.ravel() for c in _quiet_fit(clf, X_multi, y_multi).coefs_]
        )

    one = coefs(np.random.RandomState(1))
    np.testing.assert_array_equal(one, coefs(np.random.RandomState(1)))
    assert not np.array_equal(one, coefs(np.random.RandomState(2)))
    assert not np.array_equal(one, coefs(0))


# -- sample weights
def test_negative_sample_weight_raises():
    sample_weight = np.ones(len(y_multi))
    sample_weight[3] = -1.0
    with pytest.raises(ValueError, match="(?i)negative"):
        KerasMLPClassifier(**SMALL).fit(X_multi, y_multi, sample_weight=sample_weight)


def test_float64_keeps_weights_and_sample_weights_in_float64():
    # Sample weights that float32 cannot hold: a float32 cast would change the
    # step by about 1e-8 relative; MLPClassifier agrees to rounding.
    X, y = X_multi, y_multi
    sample_weight = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    coefs, intercepts = _initial_weights([X.shape[1], 5, 3])
    ours, theirs = _sgd_pair(batch_size=len(y), alpha=0.1)
    _step_from(ours, coefs, intercepts, X, y, sample_weight=sample_weight)
    _step_from(theirs, coefs, intercepts, X, y, sample_weight=sample_weight)
    assert all(c.dtype == np.float64 for c in ours.coefs_ + ours.intercepts_)
    np.testing.assert_allclose(ours.loss_, theirs.loss_, rtol=1e-10)
    for mine, ref in zip(
        ours.coefs_ + ours.intercepts_,
        theirs.coefs_ + theirs.intercepts_,
        strict=True,
    ):
        np.testing.assert_allclose(mine, ref, rtol=1e-10, atol=1e-12)


# -- diverged training
def test_diverged_training_raises():
    clf = KerasMLPClassifier(
        hidden_layer_sizes=(5,),
        optimizer="sgd",
        learning_rate=1e30,
        epochs=20,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overflow warnings on the way
        with pytest.raises(ValueError, match="finite"):
            clf.fit(X_binary, y_binary)


# -- stopping without early_stopping
def test_plateau_stops_training_without_warning():
    clf = KerasMLPClassifier(
        hidden_layer_sizes=(5,),
        optimizer="sgd",
        tol=1e9,
        n_iter_no_change=3,
        epochs=50,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf.fit(X_binary, y_binary)
    # the first epoch improves on inf; the next n_iter_no_change + 1 do not
    assert clf.n_iter_ == 3 + 2


def test_convergence_warning_when_epochs_run_out():
    clf = KerasMLPClassifier(
        hidden_layer_sizes=(5,), tol=0.0, n_iter_no_change=100, epochs=4, random_state=0
    )
    with pytest.warns(ConvergenceWarning):
        clf.fit(X_binary, y_binary)
    assert clf.n_iter_ == 4


# -- parameters and semantics
def test_int_hidden_layer_sizes():
    clf = KerasMLPClassifier(hidden_layer_sizes=7, epochs=2, random_state=0)
    _quiet_fit(clf, X_multi, y_multi)
    assert [c.shape for c in clf.coefs_] == [(X_multi.shape[1], 7), (7, 3)]


def test_alpha_on_sklearn_scale():
    # One full-batch SGD step from identical weights: the penalised loss and the
    # updated weights equal MLPClassifier's, and the loss is sklearn's formula.
    X, y = X_multi, y_multi
    layer_units = [X.shape[1], 5, 3]
    coefs, intercepts = _initial_weights(layer_units)
    ours, theirs = _sgd_pair(batch_size=len(y), alpha=1.0)
    _step_from(ours, coefs, intercepts, X, y)
    _step_from(theirs, coefs, intercepts, X, y)

    hidden = np.tanh(X @ coefs[0] + intercepts[0])
    logits = hidden @ coefs[1] + intercepts[1]
    log_proba = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    data_loss = -log_proba[np.arange(len(y)), y].mean()
    penalty = 0.5 * 1.0 * sum((c**2).sum() for c in coefs) / len(y)
    np.testing.assert_allclose(ours.loss_, data_loss + penalty, rtol=1e-10)
    np.testing.assert_allclose(ours.loss_, theirs.loss_, rtol=1e-10)
    for mine, ref in zip(
        ours.coefs_ + ours.intercepts_,
        theirs.coefs_ + theirs.intercepts_,
        strict=True,
    ):
        np.testing.assert_allclose(mine, ref, rtol=1e-10, atol=1e-12)


def test_n_iter_and_patience_match_sklearn():
    # A deterministic trajectory (full batch, no shuffling, float64, same initial
    # weights); training stops on the loss plateau at the same epoch.
    X, y = X_binary, y_binary
    coefs, intercepts = _initial_weights([X.shape[1], 5, 1])
    ours, theirs = _sgd_pair(
        batch_size=len(y), tol=1e-3, n_iter_no_change=5, max_iter=2000
    )
    for clf in (ours, theirs):
        _step_from(clf, coefs, intercepts, X, y)
        clf.set_params(warm_start=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            clf.fit(X, y)
    assert theirs.n_iter_ < 2000
    assert ours.n_iter_ == theirs.n_iter_
    # MLPClassifier's curve starts with the throwaway step of _step_from
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_[1:], rtol=1e-8)
    np.testing.assert_allclose(ours.best_loss_, theirs.best_loss_, rtol=1e-8)


def test_changed_class_set_raises():
    clf = KerasMLPClassifier(**SMALL)
    clf.partial_fit(X_binary, y_binary, classes=[0, 1])
    with pytest.raises(ValueError, match="classes"):
        clf.partial_fit(X_multi, y_multi)

    clf = _quiet_fit(KerasMLPClassifier(warm_start=True, **SMALL), X_multi, y_multi)
    with pytest.raises(ValueError, match="classes"):
        clf.fit(X_binary, y_binary)


def test_best_validation_score_is_the_best_epoch():
    clf = KerasMLPClassifier(
        hidden_layer_sizes=(5,),
        early_stopping=True,
        validation_fraction=0.3,
        n_iter_no_change=3,
        epochs=30,
        random_state=0,
    )
    _quiet_fit(clf, X_multi, y_multi)
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None


# -- missing features
def test_multilabel_targets():
    X, Y = make_multilabel_classification(n_samples=40, n_classes=4, random_state=0)
    clf = _quiet_fit(KerasMLPClassifier(**SMALL), X, Y)
    assert clf.out_activation_ == "sigmoid"
    assert clf.n_outputs_ == 4
    assert clf.predict(X).shape == Y.shape
    assert set(np.unique(clf.predict(X))) <= {0, 1}
    proba = clf.predict_proba(X)
    assert proba.shape == Y.shape
    assert not np.allclose(proba.sum(axis=1), 1)


def test_sparse_input_gives_the_dense_model():
    params = dict(
        hidden_layer_sizes=(5,),
        epochs=3,
        shuffle=False,
        dtype="float64",
        random_state=0,
    )
    dense = _quiet_fit(KerasMLPClassifier(**params), X_multi, y_multi)
    sparse = _quiet_fit(KerasMLPClassifier(**params), sp.csr_matrix(X_multi), y_multi)
    for mine, ref in zip(sparse.coefs_, dense.coefs_, strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(
        sparse.predict(sp.csr_matrix(X_multi)), dense.predict(X_multi)
    )


@pytest.mark.parametrize(
    "X,y,n_outputs,out_activation",
    [(X_binary, y_binary, 1, "sigmoid"), (X_multi, y_multi, 3, "softmax")],
    ids=["binary", "multiclass"],
)
def test_fitted_attributes(X, y, n_outputs, out_activation):
    clf = KerasMLPClassifier(hidden_layer_sizes=(6, 4), epochs=3, random_state=0)
    _quiet_fit(clf, X, y)
    units = [X.shape[1], 6, 4, n_outputs]
    assert [c.shape for c in clf.coefs_] == list(
        zip(units[:-1], units[1:], strict=True)
    )
    assert [b.shape for b in clf.intercepts_] == [(u,) for u in units[1:]]
    assert all(isinstance(c, np.ndarray) for c in clf.coefs_ + clf.intercepts_)
    assert clf.n_layers_ == 4
    assert clf.n_outputs_ == n_outputs
    assert clf.out_activation_ == out_activation
    assert clf.n_iter_ == 3
    assert len(clf.loss_curve_) == 3
    assert clf.loss_ == clf.loss_curve_[-1]
    assert clf.best_loss_ == min(clf.loss_curve_)
    assert clf.t_ == 3 * X.shape[0]
    assert clf.validation_scores_ is None
    assert clf.best_validation_score_ is None
