"""The MLP: Keras network, numpy weights in scikit-learn's layout, forward pass.

The fitted state of :class:`~skclassify.KerasMLPClassifier` is scikit-learn's
``coefs_`` (one ``(fan_in, fan_out)`` array per layer) and ``intercepts_``;
the Keras network is only a view built from them on demand. Prediction runs
this module's numpy :func:`forward` pass, as scikit-learn's MLP does.
"""

import numpy as np
from sklearn.utils.extmath import safe_sparse_dot

from ..activations import ACTIVATIONS, get_activation

__all__ = [
    "build_mlp",
    "forward",
    "from_keras_weights",
    "init_coefs",
    "to_keras_weights",
]


def build_mlp(spec):
    """Build (but do not compile) the fully connected Keras network of ``spec``.

    Parameters
    ----------
    spec : NetSpec
        The architecture. Regularisation is not part of the network: the
        training loop adds scikit-learn's ``alpha`` penalty to the loss.

    Returns
    -------
    keras.Sequential
        The network, built for inputs of ``spec.n_features`` columns. Dropout
        layers carry explicit seeds; the global Keras random state is unused.
    """
    from .._compat._keras import import_keras

    keras = import_keras()
    dtype = spec.dtype
    layers = [keras.Input(shape=(spec.n_features,), dtype=dtype)]
    for i, units in enumerate(spec.hidden_layer_sizes):
        layers.append(
            keras.layers.Dense(
                units,
                activation=get_activation(spec.activation),
                use_bias=spec.use_bias,
                dtype=dtype,
                name=f"hidden_{i}",
            )
        )
        if spec.dropout > 0:
            layers.append(
                keras.layers.Dropout(
                    spec.dropout, seed=1000 + i, dtype=dtype, name=f"dropout_{i}"
                )
            )
    layers.append(
        keras.layers.Dense(
            spec.n_outputs,
            activation=get_activation(spec.output_activation),
            use_bias=spec.use_bias,
            dtype=dtype,
            name="output",
        )
    )
    return keras.Sequential(layers, name="mlp")


def init_coefs(layer_units, random_state, dtype="float32"):
    """Glorot-uniform kernels and zero intercepts, drawn with numpy.

    Drawn from ``random_state`` only, so that a seed gives the same weights in
    every process and the global framework random state is left alone.

    Parameters
    ----------
    layer_units : sequence of int
        Units of every layer, input and output included.
    random_state : numpy.random.RandomState
        Source of randomness.
    dtype : str, default="float32"
        Dtype of the arrays.

    Returns
    -------
    coefs : list of ndarray of shape (fan_in, fan_out)
    intercepts : list of ndarray of shape (fan_out,)
    """
    coefs, intercepts = [], []
    for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:], strict=True):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        coefs.append(random_state.uniform(-limit, limit, (fan_in, fan_out)))
        intercepts.append(np.zeros(fan_out))
    return (
        [c.astype(dtype) for c in coefs],
        [b.astype(dtype) for b in intercepts],
    )


def to_keras_weights(coefs, intercepts, use_bias=True):
    """Trainable weights in Keras' order (kernel, bias, kernel, ...)."""
    if not use_bias:
        return list(coefs)
    return [w for pair in zip(coefs, intercepts, strict=True) for w in pair]


def from_keras_weights(weights, use_bias=True):
    """``(coefs, intercepts)`` from trainable weights in Keras' order."""
    weights = [np.asarray(w) for w in weights]
    if not use_bias:
        return weights, [np.zeros(w.shape[1], dtype=w.dtype) for w in weights]
    return weights[0::2], weights[1::2]


def forward(X, coefs, intercepts, activation, output_activation):
    """Outputs of the network for ``X`` (dense or sparse), in numpy.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Input data.
    coefs, intercepts : list of ndarray
        Weights in scikit-learn's layout.
    activation, output_activation : str
        Keys of :data:`skclassify.activations.ACTIVATIONS`.

    Returns
    -------
    ndarray of shape (n_samples, n_outputs)
    """
    hidden = ACTIVATIONS[activation].numpy
    out = X
    last = len(coefs) - 1
    for i, (coef, intercept) in enumerate(zip(coefs, intercepts, strict=True)):
        out = safe_sparse_dot(out, coef) + intercept
        if i < last:
            out = hidden(out)
    return ACTIVATIONS[output_activation].numpy(out)
