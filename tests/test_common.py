"""scikit-learn's common estimator checks, with no expected failures."""

import functools

import pytest
from sklearn.utils.estimator_checks import estimator_checks_generator

from skclassify import KerasClassifier, KerasMLPClassifier


def common_checks_net(meta, hidden=16):
    """The builder of the common checks: sized from ``meta`` for every target."""
    import keras

    multilabel = meta["target_type_"] == "multilabel-indicator"
    units = 1 if meta["target_type_"] == "binary" else meta["n_classes_"]
    output = "sigmoid" if units == 1 or multilabel else "softmax"
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(units, activation=output),
        ]
    )


# Full batches in float64: integer sample weights are then exactly equivalent
# to repeated rows (check_sample_weight_equivalence_on_dense_data); with
# mini-batches, repeating a row changes which rows share a batch.
ESTIMATORS = [
    KerasMLPClassifier(
        hidden_layer_sizes=(16,),
        epochs=60,
        batch_size=None,
        learning_rate=0.02,
        dtype="float64",
        random_state=0,
    ),
    # The same configuration for a user's model (uncompiled: the loss follows
    # its output units; the optimizer is adam, as the MLP's).
    KerasClassifier(
        common_checks_net,
        optimizer="adam",
        epochs=60,
        batch_size=None,
        learning_rate=0.02,
        dtype="float64",
        random_state=0,
    ),
]


def _check_id(obj):
    """A test id that is the same in every process (pytest-xdist compares them).

    scikit-learn's own ids print the estimator, and with it the address of
    the KerasClassifier's builder function.
    """
    if isinstance(obj, functools.partial):
        keywords = ",".join(f"{key}={value}" for key, value in obj.keywords.items())
        return f"{obj.func.__name__}({keywords})" if keywords else obj.func.__name__
    return getattr(obj, "__name__", type(obj).__name__)


def _cases(estimator, expected_failed_checks=None):
    """parametrize_with_checks' cases for one estimator, with stable ids."""
    return pytest.mark.parametrize(
        "estimator, check",
        list(
            estimator_checks_generator(
                estimator,
                mark="xfail",
                expected_failed_checks=expected_failed_checks,
            )
        ),
        ids=_check_id,
    )


# One class per estimator: pytest-xdist (--dist loadscope) runs each on a
# worker of its own, and the checks of one estimator share its compiled nets.
class TestKerasMLPClassifier:
    @_cases(ESTIMATORS[0])
    def test_sklearn_compatible_estimator(self, estimator, check):
        check(estimator)


class TestKerasClassifier:
    @_cases(ESTIMATORS[1])
    def test_sklearn_compatible_estimator(self, estimator, check):
        check(estimator)


# -- the documented scikeras-style configurations ----------------------------------
def get_model(meta, hidden_layer_dim):
    """A scikeras user's builder: bare parameter, softmax over ``n_classes_``."""
    import keras

    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(hidden_layer_dim, activation="relu"),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )


# Bare and routed parameters as scikeras users pass them (defaults otherwise:
# mini-batches of 32 in float32). The loss decides the tags: sparse categorical
# cross-entropy cannot fit a multilabel target, so the multilabel checks are
# skipped for KerasClassifier.
SCIKERAS_STYLE = [
    KerasMLPClassifier(
        hidden_layer_sizes=(16,),
        optimizer="sgd",
        learning_rate=0.02,
        optimizer__momentum=0.9,
        optimizer__nesterov=True,
        loss__label_smoothing=0.01,
    ),
    KerasClassifier(
        model=get_model,
        hidden_layer_dim=16,
        optimizer__learning_rate=0.02,
        loss="sparse_categorical_crossentropy",
    ),
]
# With mini-batches, repeating a row changes which rows share a batch (and so
# every later step), so integer weights are not equivalent to repeated rows;
# the full-batch float64 configurations above pass these checks.
MINI_BATCH_FAILURES = {
    check: "mini-batches: a repeated row changes the batches, a weight does not"
    for check in (
        "check_sample_weight_equivalence_on_dense_data",
        "check_sample_weight_equivalence_on_sparse_data",
    )
}


@pytest.mark.slow
class TestKerasMLPClassifierScikerasStyle:
    @_cases(SCIKERAS_STYLE[0], MINI_BATCH_FAILURES)
    def test_sklearn_compatible_estimator(self, estimator, check):
        check(estimator)


@pytest.mark.slow
class TestKerasClassifierScikerasStyle:
    @_cases(SCIKERAS_STYLE[1], MINI_BATCH_FAILURES)
    def test_sklearn_compatible_estimator(self, estimator, check):
        check(estimator)
