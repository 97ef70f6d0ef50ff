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
    name = keras.saving.get_registered_name(gaussian)
    assert keras.saving.get_registered_object(name) is gaussian


def test_get_activation_names_valid_options():
    assert get_activation("softmax") == "softmax"
    with pytest.raises(ValueError, match="gaussian"):
        get_activation("bogus")
