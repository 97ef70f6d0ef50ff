"""scikit-learn's common estimator checks, with no expected failures."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skclassify import KerasMLPClassifier

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
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
