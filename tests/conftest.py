import os
import shutil
import tempfile

import numpy as np
import pytest

from skclassify.datasets import make_sum_threshold

_OWN_CACHE = pytest.StashKey[str]()


def pytest_configure(config):
    """One compile cache per test run, shared by its xdist workers.

    Tests never write into the user's cache folder. The controller makes a
    temporary folder before it starts the workers, which inherit it (as do
    the processes tests start), so an architecture is compiled once per run
    rather than once per worker: the cache is safe under concurrent writers
    (see skclassify._compat._cache). Set before any test imports Keras.
    """
    folder = os.environ.get("SKCLASSIFY_TEST_CACHE")
    if not folder:
        folder = tempfile.mkdtemp(prefix="skclassify-test-cache-")
        os.environ["SKCLASSIFY_TEST_CACHE"] = folder
        config.stash[_OWN_CACHE] = folder
    os.environ["SKCLASSIFY_XLA_CACHE"] = folder
    if os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
        # TensorFlow's part of the cache is opt-in (skclassify._compat._cache):
        # the tests that need it set it themselves.
        os.environ["SKCLASSIFY_XLA_CACHE"] = "off"


def pytest_unconfigure(config):
    folder = config.stash.get(_OWN_CACHE, None)
    if folder:  # made by this process: the controller, after its workers
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("SKCLASSIFY_TEST_CACHE", None)


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
