import numpy as np
import pytest

from skclassify.datasets import make_sum_threshold


@pytest.fixture(scope="module")
def sum_data():
    """The "sum > 2.5" task: 250 training rows and 200 fresh test rows."""
    X, y = make_sum_threshold(n_samples=450, random_state=0)
    return X[:250], y[:250], X[250:], y[250:]


@pytest.fixture(scope="module")
def multiclass_data():
    rng = np.random.RandomState(0)
    centers = rng.rand(3, 4) * 6
    y = np.repeat(np.array(["ant", "bee", "cat"]), 40)
    X = centers[np.repeat(np.arange(3), 40)] + rng.randn(120, 4)
    return X, y
