"""The activation registry and the Gaussian activation."""

import numpy as np
import pytest

from skclassify.activations import ACTIVATIONS, gaussian, get_activation


def test_registry_covers_required_activations():
    required = {
        "relu", "leaky_relu", "elu", "selu", "tanh", "sigmoid", "hard_sigmoid",
        "softsign", "softplus", "linear", "swish", "silu", "gelu", "gaussian",
    }  # fmt: skip
    assert required <= set(ACTIVATIONS)


def test_gaussian_values_and_serialization():
    import keras

    x = np.linspace(-3, 3, 7, dtype="float32")
    np.testing.assert_allclose(np.asarray(gaussian(x)), np.exp(-(x**2)), rtol=1e-6)
    keras_fn = get_activation("gaussian")
    name = keras.saving.get_registered_name(keras_fn)
    assert name == "skclassify>gaussian"
    assert keras.saving.get_registered_object(name) is keras_fn
    assert get_activation("gaussian") is keras_fn  # registered once


def test_get_activation_names_valid_options():
    assert get_activation("softmax") == "softmax"
    assert get_activation("logistic") == "sigmoid"  # scikit-learn's names
    with pytest.raises(ValueError, match="gaussian"):
        get_activation("bogus")


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_numpy_version_matches_keras(name):
    """Prediction uses the numpy versions; training uses Keras'."""
    import keras

    x = np.linspace(-4, 4, 24).reshape(4, 6)
    layer = keras.layers.Activation(get_activation(name), dtype="float64")
    expected = np.asarray(layer(x))
    np.testing.assert_allclose(ACTIVATIONS[name].numpy(x), expected, rtol=1e-6)
    record = ACTIVATIONS[name]
    if record.lo is not None:
        assert expected.min() >= record.lo - 1e-12
    if record.hi is not None:
        assert expected.max() <= record.hi + 1e-12


def test_importing_registries_does_not_import_tensorflow():
    import subprocess
    import sys

    code = (
        "import sys, skclassify.activations, skclassify.objectives, "
        "skclassify.datasets; print('tensorflow' in sys.modules, "
        "'keras' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "False"]
