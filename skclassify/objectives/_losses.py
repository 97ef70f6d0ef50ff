"""Registries of the losses and optimizers skclassify's estimators accept.

Both are plain dicts of named records that hold Keras *class names*, resolved
when a network is built, so importing this module does not import Keras.
"""

from typing import NamedTuple

__all__ = ["LOSSES", "OPTIMIZERS", "Loss", "Optimizer", "make_loss", "make_optimizer"]


class Loss(NamedTuple):
    """A Keras loss and the target encoding and output activation it needs."""

    #: class name in ``keras.losses``
    keras_class: str
    #: "onehot", "integer", "binary" or "signed" (see LossTargetEncoder)
    encoding: str
    #: the output activation that ``output_activation="auto"`` picks
    output_activation: str


class Optimizer(NamedTuple):
    """A Keras optimizer."""

    #: class name in ``keras.optimizers``
    keras_class: str


LOSSES = {
    "categorical_crossentropy": Loss("CategoricalCrossentropy", "onehot", "softmax"),
    "sparse_categorical_crossentropy": Loss(
        "SparseCategoricalCrossentropy", "integer", "softmax"
    ),
    "binary_crossentropy": Loss("BinaryCrossentropy", "binary", "sigmoid"),
    "hinge": Loss("Hinge", "signed", "tanh"),
    "squared_hinge": Loss("SquaredHinge", "signed", "tanh"),
    "categorical_hinge": Loss("CategoricalHinge", "onehot", "tanh"),
    "kl_divergence": Loss("KLDivergence", "onehot", "softmax"),
    "cosine_similarity": Loss("CosineSimilarity", "onehot", "softmax"),
    "mean_squared_error": Loss("MeanSquaredError", "onehot", "softmax"),
    "mean_absolute_error": Loss("MeanAbsoluteError", "onehot", "softmax"),
    "poisson": Loss("Poisson", "onehot", "softmax"),
}
"""Loss name -> :class:`Loss`.

Encodings: ``"onehot"`` (0/1 indicator per class), ``"integer"`` (class index),
``"binary"`` (one 0/1 column for two classes, one-hot otherwise) and
``"signed"`` (one -1/+1 column for two classes, -1/+1 indicators otherwise).
``loss="auto"`` chooses as scikit-learn's ``MLPClassifier`` does: binary
cross-entropy for two classes and for multilabel targets, categorical
cross-entropy otherwise.
"""

OPTIMIZERS = {
    "sgd": Optimizer("SGD"),
    "rmsprop": Optimizer("RMSprop"),
    "adagrad": Optimizer("Adagrad"),
    "adadelta": Optimizer("Adadelta"),
    "adam": Optimizer("Adam"),
    "adamax": Optimizer("Adamax"),
    "nadam": Optimizer("Nadam"),
}
"""Optimizer name -> :class:`Optimizer`."""


def make_loss(name, kwargs=(), dtype="float32"):
    """A Keras loss object, unreduced (one value per row), with routed arguments.

    Parameters
    ----------
    name : str or object
        A key of :data:`LOSSES`, or a user's loss function, ``Loss`` class or
        instance (see :func:`make_custom_loss`).
    kwargs : iterable of (str, object), default=()
        Routed ``loss__<name>`` arguments.
    dtype : str, default="float32"
        Dtype of the computation.

    Returns
    -------
    keras.losses.Loss
    """
    from .._compat._keras import import_keras

    if not isinstance(name, str):
        from ._keras import make_custom_loss

        return make_custom_loss(name, kwargs, dtype)
    cls = getattr(import_keras().losses, LOSSES[name].keras_class)
    return _instantiate(cls, "loss", dict(kwargs), reduction=None, dtype=dtype)


def make_optimizer(name, kwargs=()):
    """A Keras optimizer object with routed arguments.

    Parameters
    ----------
    name : str
        A key of :data:`OPTIMIZERS`.
    kwargs : iterable of (str, object), default=()
        Routed ``optimizer__<name>`` arguments.

    Returns
    -------
    keras.optimizers.Optimizer
    """
    from .._compat._keras import import_keras

    cls = getattr(import_keras().optimizers, OPTIMIZERS[name].keras_class)
    return _instantiate(cls, "optimizer", dict(kwargs))


def _instantiate(cls, prefix, routed, **fixed):
    try:
        return cls(**fixed, **routed)
    except (TypeError, ValueError) as exc:
        names = ", ".join(f"{prefix}__{key}" for key in routed) or "(none)"
        raise ValueError(
            f"Invalid routed parameter(s) {names} for {cls.__name__}: {exc}"
        ) from None
