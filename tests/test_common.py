"""scikit-learn's common estimator checks, with no expected failures."""

from sklearn.utils.estimator_checks import parametrize_with_checks

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


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
