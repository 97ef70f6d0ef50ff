"""Build the Keras MLP behind :class:`KerasMLPClassifier` and draw its weights."""

import numpy as np

from .._backend import import_keras
from ..activations import get_activation

keras = import_keras()

__all__ = ["build_mlp", "initial_weights"]


def build_mlp(
    n_features: int,
    n_outputs: int,
    *,
    hidden_layer_sizes=(100,),
    activation="relu",
    output_activation="softmax",
    alpha=0.0,
    dropout=0.0,
    use_bias=True,
    dtype="float32",
    seed=0,
):
    """Build (but do not compile) a fully connected Keras network.

    Parameters
    ----------
    n_features : int
        Width of the input.
    n_outputs : int
        Units of the output layer.
    hidden_layer_sizes : tuple of int, default=(100,)
        Units of each hidden layer; ``()`` builds a network without one.
    activation : str, default="relu"
        Hidden activation, a key of :data:`skclassify.activations.ACTIVATIONS`.
    output_activation : str, default="softmax"
        Output activation.
    alpha : float, default=0.0
        L2 penalty on every kernel (``keras.regularizers.L2(alpha)``).
    dropout : float, default=0.0
        Dropout rate after every hidden layer.
    use_bias : bool, default=True
        Whether the layers have biases.
    dtype : {"float32", "float64"}, default="float32"
        Dtype of weights and computation.
    seed : int, default=0
        Seed of the initializers and dropout layers; the global Keras and
        TensorFlow random state is never used.

    Returns
    -------
    keras.Sequential
        The network, built for inputs of ``n_features`` columns.
    """
    regularizer = keras.regularizers.L2(alpha) if alpha > 0 else None
    layers = [keras.Input(shape=(n_features,), dtype=dtype)]
    for i, units in enumerate(hidden_layer_sizes):
        layers.append(
            keras.layers.Dense(
                units,
                activation=get_activation(activation),
                use_bias=use_bias,
                kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i),
                kernel_regularizer=regularizer,
                dtype=dtype,
                name=f"hidden_{i}",
            )
        )
        if dropout > 0:
            layers.append(
                keras.layers.Dropout(
                    dropout, seed=seed + 1000 + i, dtype=dtype, name=f"dropout_{i}"
                )
            )
    layers.append(
        keras.layers.Dense(
            n_outputs,
            activation=get_activation(output_activation),
            use_bias=use_bias,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 999),
            kernel_regularizer=regularizer,
            dtype=dtype,
            name="output",
        )
    )
    return keras.Sequential(layers, name="mlp")


def initial_weights(model, random_state: np.random.RandomState) -> list[np.ndarray]:
    """Draw Glorot-uniform kernels and zero biases for ``model``'s weights.

    Drawn with numpy from ``random_state``, so that a seed gives the same
    weights in every process and the global framework random state is left
    alone.

    Parameters
    ----------
    model : keras.Model
        A built model whose trainable weights are kernels and biases.
    random_state : numpy.random.RandomState
        Source of randomness.

    Returns
    -------
    list of ndarray
        One array per trainable weight, in ``model.trainable_weights`` order.
    """
    weights = []
    for var in model.trainable_weights:
        shape = tuple(var.shape)
        dtype = keras.backend.standardize_dtype(var.dtype)
        if len(shape) == 2:
            limit = np.sqrt(6.0 / (shape[0] + shape[1]))
            weights.append(random_state.uniform(-limit, limit, shape).astype(dtype))
        else:
            weights.append(np.zeros(shape, dtype=dtype))
    return weights
