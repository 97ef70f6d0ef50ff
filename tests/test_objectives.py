"""Loss-aware target encoding and probabilities from network outputs."""

import numpy as np
import pytest

from skclassify.activations import ACTIVATIONS
from skclassify.objectives import (
    LOSSES,
    OPTIMIZERS,
    LossTargetEncoder,
    outputs_to_proba,
)

SOURCE_LOSSES = {
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
    "kl_divergence",
    "cosine_similarity",
    "mean_squared_error",
    "mean_absolute_error",
    "poisson",
}


def test_registries_cover_the_source_catalogue():
    assert SOURCE_LOSSES <= set(LOSSES)
    assert {"sgd", "rmsprop", "adagrad", "adadelta", "adam", "adamax", "nadam"} <= set(
        OPTIMIZERS
    )


@pytest.mark.parametrize(
    "loss, expected, units",
    [
        ("categorical_crossentropy", [[1, 0], [0, 1], [0, 1]], 2),
        ("sparse_categorical_crossentropy", [0, 1, 1], 2),
        ("binary_crossentropy", [[0], [1], [1]], 1),
        ("hinge", [[-1], [1], [1]], 1),
    ],
)
def test_two_class_encodings(loss, expected, units):
    enc = LossTargetEncoder(loss=loss).fit(["no", "yes", "yes"])
    np.testing.assert_array_equal(enc.transform(["no", "yes", "yes"]), expected)
    assert enc.n_outputs_expected_ == units


def test_signed_multiclass_and_classes_argument():
    enc = LossTargetEncoder(loss="squared_hinge", classes=[3, 1, 2]).fit([1, 1])
    np.testing.assert_array_equal(enc.classes_, [1, 2, 3])
    np.testing.assert_array_equal(enc.transform([2]), [[-1, 1, -1]])


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("units", [1, 3])
def test_outputs_to_proba_is_a_distribution_and_keeps_argmax(activation, units):
    outputs = np.random.RandomState(0).randn(50, units) * 3
    if activation == "softmax":
        outputs = np.exp(outputs) / np.exp(outputs).sum(axis=1, keepdims=True)
    proba = outputs_to_proba(outputs, activation)
    assert proba.shape == (50, max(units, 2))
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    if units > 1 and ACTIVATIONS[activation].lo is None:
        np.testing.assert_array_equal(proba.argmax(1), outputs.argmax(1))


def test_single_tanh_unit_maps_threshold_to_one_half():
    np.testing.assert_allclose(outputs_to_proba([[0.0]], "tanh"), [[0.5, 0.5]])
    np.testing.assert_allclose(outputs_to_proba([[2.0]], "tanh"), [[0.0, 1.0]])
