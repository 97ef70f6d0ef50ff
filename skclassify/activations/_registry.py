"""One registry of activations, for hidden and output layers alike.

Each entry is an :class:`Activation` record: the name Keras knows it by, its
range (which decides how outputs become probabilities) and a numpy version, so
that prediction from the fitted numpy weights needs no Keras call. Importing
this module does not import Keras or TensorFlow.
"""

from typing import NamedTuple

import numpy as np
from scipy.special import erf, expit

__all__ = ["ACTIVATIONS", "Activation", "gaussian", "get_activation"]


def _softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    out = np.exp(shifted)
    out /= out.sum(axis=1, keepdims=True)
    return out


def gaussian(x):
    """Gaussian activation ``exp(-x**2)``.

    A bell-shaped unit that responds to one narrow band of its input: with one
    such unit per class, a single hidden layer can carve the real line into
    intervals, which is what the "wave" task needs (the answer in the source
    document suggests it). Works on numpy arrays and on Keras tensors; Keras
    layers use it under the registered name ``"skclassify>gaussian"``.

    Parameters
    ----------
    x : array-like or tensor
        Pre-activation values.

    Returns
    -------
    array or tensor
        ``exp(-x**2)``, in (0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from skclassify.activations import gaussian
    >>> np.round(gaussian(np.array([0.0, 1.0, 2.0])), 4)
    array([1.    , 0.3679, 0.0183])
    """
    if isinstance(x, np.ndarray):
        return np.exp(-np.square(x))
    from .._compat._keras import import_keras

    ops = import_keras().ops
    x = ops.convert_to_tensor(x)
    return ops.exp(-ops.square(x))


class Activation(NamedTuple):
    """An activation: Keras name, output range and numpy implementation."""

    name: str
    #: what ``keras.layers.Dense(activation=...)`` receives (see get_activation)
    keras: str
    #: lower and upper bound of the outputs (None: unbounded)
    lo: float | None
    hi: float | None
    #: the same function on numpy arrays
    numpy: object


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805

_RECORDS = [
    Activation("relu", "relu", 0.0, None, lambda x: np.maximum(x, 0)),
    Activation(
        "leaky_relu", "leaky_relu", None, None, lambda x: np.where(x > 0, x, 0.2 * x)
    ),
    Activation("elu", "elu", -1.0, None, lambda x: np.where(x > 0, x, np.expm1(x))),
    Activation(
        "selu",
        "selu",
        None,
        None,
        lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(x)),
    ),
    Activation("tanh", "tanh", -1.0, 1.0, np.tanh),
    Activation("sigmoid", "sigmoid", 0.0, 1.0, expit),
    Activation(
        "hard_sigmoid",
        "hard_sigmoid",
        0.0,
        1.0,
        lambda x: np.clip((x + 3.0) / 6.0, 0.0, 1.0),
    ),
    Activation("softsign", "softsign", -1.0, 1.0, lambda x: x / (1.0 + np.abs(x))),
    Activation("softplus", "softplus", 0.0, None, lambda x: np.logaddexp(0.0, x)),
    Activation("linear", "linear", None, None, lambda x: x),
    Activation("silu", "silu", None, None, lambda x: x * expit(x)),
    Activation(
        "gelu", "gelu", None, None, lambda x: 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))
    ),
    Activation("gaussian", "skclassify>gaussian", 0.0, 1.0, gaussian),
    Activation("softmax", "softmax", 0.0, 1.0, _softmax),
]

ACTIVATIONS = {record.name: record for record in _RECORDS}
# scikit-learn's names for the same functions, and Keras' alias of silu
ACTIVATIONS |= {
    "logistic": ACTIVATIONS["sigmoid"],
    "identity": ACTIVATIONS["linear"],
    "swish": ACTIVATIONS["silu"],
}
"""Activation name -> :class:`Activation`; adding an activation is one entry.

``logistic`` and ``identity`` (scikit-learn's names) and ``swish`` are aliases:
their records carry the canonical name.
"""


def get_activation(name):
    """Return the registered activation ``name`` in a form Keras layers accept.

    The Gaussian activation is registered with Keras (as a serializable
    function) on first use, so that saved models that use it load again.

    Parameters
    ----------
    name : str
        A key of :data:`ACTIVATIONS`.

    Returns
    -------
    str or callable
        Something ``keras.layers.Dense(activation=...)`` accepts.

    Raises
    ------
    ValueError
        If ``name`` is not registered; the message lists the valid names.
    """
    try:
        record = ACTIVATIONS[name]
    except KeyError:
        valid = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(
            f"Unknown activation {name!r}. Valid activations are: {valid}."
        ) from None
    if record.name != "gaussian":
        return record.keras
    from .._compat._keras import import_keras

    keras = import_keras()
    registered = keras.saving.get_registered_object(record.keras)
    if registered is None:
        registered = keras.saving.register_keras_serializable(
            package="skclassify", name="gaussian"
        )(_keras_gaussian)
    return registered


def _keras_gaussian(x):
    return gaussian(x)
