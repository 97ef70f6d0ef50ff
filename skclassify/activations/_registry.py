"""Registry of the hidden-layer activations a :class:`KerasMLPClassifier` accepts."""

from .._backend import import_keras

keras = import_keras()

__all__ = ["ACTIVATIONS", "OUTPUT_ACTIVATIONS", "gaussian", "get_activation"]


@keras.saving.register_keras_serializable(package="skclassify")
def gaussian(x):
    """Gaussian activation ``exp(-x**2)``.

    A bell-shaped unit that responds to one narrow band of its input: with one
    such unit per class, a single hidden layer can carve the real line into
    intervals, which is what the "wave" task needs (the answer in the source
    document suggests it). Registered with Keras, so models that use it can be
    saved, loaded and pickled.

    Parameters
    ----------
    x : tensor
        Pre-activation values.

    Returns
    -------
    tensor
        ``exp(-x**2)``, in (0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from skclassify.activations import gaussian
    >>> np.round(np.asarray(gaussian(np.array([0.0, 1.0, 2.0], dtype="float32"))), 4)
    array([1.    , 0.3679, 0.0183], dtype=float32)
    """
    x = keras.ops.convert_to_tensor(x)
    return keras.ops.exp(-keras.ops.square(x))


ACTIVATIONS = {
    "relu": "relu",
    "leaky_relu": "leaky_relu",
    "elu": "elu",
    "selu": "selu",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "hard_sigmoid": "hard_sigmoid",
    "softsign": "softsign",
    "softplus": "softplus",
    "linear": "linear",
    "swish": "silu",
    "silu": "silu",
    "gelu": "gelu",
    "gaussian": gaussian,
}
"""Hidden-layer activations by name.

A value is anything ``keras.layers.Dense`` accepts as ``activation``; adding an
activation is adding one entry (checked at ``fit`` time).
"""

OUTPUT_ACTIVATIONS = {
    "softmax": (0.0, 1.0),
    "sigmoid": (0.0, 1.0),
    "hard_sigmoid": (0.0, 1.0),
    "gaussian": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "softsign": (-1.0, 1.0),
    "relu": (0.0, None),
    "softplus": (0.0, None),
    "linear": (None, None),
    "leaky_relu": (None, None),
    "elu": (-1.0, None),
    "selu": (None, None),
    "swish": (None, None),
    "silu": (None, None),
    "gelu": (None, None),
}
"""Output activations (the hidden ones plus softmax) -> their range ``(lo, hi)``.

The range decides how outputs become probabilities (``None``: unbounded); see
:func:`skclassify.encoding.outputs_to_proba`.
"""


def get_activation(name: str):
    """Return the Keras activation registered under ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`ACTIVATIONS`, or ``"softmax"``.

    Returns
    -------
    str or callable
        Something ``keras.layers.Dense(activation=...)`` accepts.

    Raises
    ------
    ValueError
        If ``name`` is not registered; the message lists the valid names.
    """
    if name == "softmax":
        return "softmax"
    try:
        return ACTIVATIONS[name]
    except KeyError:
        valid = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(
            f"Unknown activation {name!r}. Valid activations are: {valid}."
        ) from None
