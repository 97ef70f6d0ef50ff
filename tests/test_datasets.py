import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skclassify.datasets import make_sum_threshold, make_waves


def test_make_sum_threshold_defaults():
    X, y = make_sum_threshold(random_state=0)

    assert X.shape == (250, 5) and X.dtype == np.float64
    assert y.shape == (250,) and np.issubdtype(y.dtype, np.integer)
    assert X.min() >= 0 and X.max() < 1
    np.testing.assert_array_equal(y, (X.sum(axis=1) > 2.5).astype(int))
    assert set(np.unique(y)) == {0, 1}


def test_make_sum_threshold_signed_matches_source():
    X, y_binary = make_sum_threshold(random_state=0)
    X_signed, y_signed = make_sum_threshold(labels="signed", random_state=0)

    np.testing.assert_array_equal(X, X_signed)
    np.testing.assert_array_equal(y_signed, (X.sum(axis=1) > 2.5) * 2 - 1)
    np.testing.assert_array_equal(y_signed, y_binary * 2 - 1)


@pytest.mark.parametrize(
    "n_features, threshold, expected",
    [(8, None, 4.0), (3, 0.0, 0.0), (3, 2.9, 2.9)],
)
def test_make_sum_threshold_threshold(n_features, threshold, expected):
    X, y = make_sum_threshold(100, n_features, threshold=threshold, random_state=1)

    assert X.shape == (100, n_features)
    np.testing.assert_array_equal(y, X.sum(axis=1) > expected)


def test_make_sum_threshold_random_state():
    X1, y1 = make_sum_threshold(random_state=3)
    X2, y2 = make_sum_threshold(random_state=np.random.RandomState(3))
    X3, _ = make_sum_threshold(random_state=4)

    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("order", ["grouped", "interleaved", "shuffled"])
def test_make_waves_shapes_and_balance(order):
    X, y = make_waves(3, n_classes=16, n_features=7, order=order, random_state=0)

    assert X.shape == (48, 7) and X.dtype == np.float64
    assert y.shape == (48,) and np.issubdtype(y.dtype, np.integer)
    np.testing.assert_array_equal(np.bincount(y), np.full(16, 3))


def test_make_waves_defaults():
    X, y = make_waves(1, random_state=0)

    assert X.shape == (256, 200)
    np.testing.assert_array_equal(y, np.arange(256))


def test_make_waves_grouped_order():
    _, y = make_waves(4, n_classes=5, n_features=2, random_state=0)

    np.testing.assert_array_equal(y, np.repeat(np.arange(5), 4))


def test_make_waves_interleaved_order():
    n_classes = 32
    _, y = make_waves(
        5, n_classes=n_classes, n_features=2, order="interleaved", random_state=0
    )

    blocks = y.reshape(-1, n_classes)
    assert blocks.shape == (5, n_classes)
    for block in blocks:
        np.testing.assert_array_equal(block, np.arange(n_classes))


def test_make_waves_shuffled_order():
    X, y = make_waves(5, n_classes=8, order="shuffled", random_state=0)
    X_grouped, y_grouped = make_waves(5, n_classes=8, random_state=0)

    assert not np.array_equal(y, y_grouped)
    # Every row still sits at its class level.
    np.testing.assert_allclose(X.mean(axis=1), y / 7, atol=1e-3)
    np.testing.assert_array_equal(np.sort(y), y_grouped)


@pytest.mark.parametrize("sigma", [1e-4, 0.01])
def test_make_waves_class_means_and_spread(sigma):
    n_classes, n_features = 256, 50
    X, y = make_waves(
        4, n_classes=n_classes, n_features=n_features, sigma=sigma, random_state=0
    )

    means = np.array([X[y == i].mean() for i in range(n_classes)])
    standard_error = sigma / np.sqrt(4 * n_features)
    np.testing.assert_allclose(
        means, np.arange(n_classes) / (n_classes - 1), atol=6 * standard_error
    )
    residuals = X - (y / (n_classes - 1))[:, np.newaxis]
    assert residuals.std() == pytest.approx(sigma, rel=0.05)


def test_make_waves_sigma_zero_is_exact():
    X, y = make_waves(2, n_classes=3, n_features=4, sigma=0.0, random_state=0)

    np.testing.assert_array_equal(X, np.repeat((y / 2)[:, None], 4, axis=1))


@pytest.mark.parametrize("order", ["grouped", "interleaved", "shuffled"])
def test_make_waves_random_state(order):
    X1, y1 = make_waves(2, n_classes=8, n_features=3, order=order, random_state=7)
    X2, y2 = make_waves(2, n_classes=8, n_features=3, order=order, random_state=7)
    X3, _ = make_waves(2, n_classes=8, n_features=3, order=order, random_state=8)

    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize(
    "func, kwargs, name",
    [
        (make_sum_threshold, {"n_samples": 0}, "n_samples"),
        (make_sum_threshold, {"n_features": 2.5}, "n_features"),
        (make_sum_threshold, {"threshold": "high"}, "threshold"),
        (make_sum_threshold, {"labels": "onehot"}, "labels"),
        (make_sum_threshold, {"random_state": "seed"}, "random_state"),
        (make_waves, {"n_samples_per_class": 0}, "n_samples_per_class"),
        (make_waves, {"n_classes": 1}, "n_classes"),
        (make_waves, {"n_features": 0}, "n_features"),
        (make_waves, {"sigma": -1.0}, "sigma"),
        (make_waves, {"order": "random"}, "order"),
    ],
)
def test_invalid_params(func, kwargs, name):
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        func(**kwargs)


@pytest.mark.parametrize("func", [make_sum_threshold, make_waves])
def test_options_are_keyword_only(func):
    with pytest.raises(TypeError):
        func(10, 2, 0.5)
