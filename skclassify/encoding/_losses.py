"""Registries of the losses and optimizers a :class:`KerasMLPClassifier` accepts."""

from .._backend import import_keras

keras = import_keras()

__all__ = ["LOSSES", "OPTIMIZERS"]

LOSSES = {
    "categorical_crossentropy": (
        keras.losses.CategoricalCrossentropy,
        "onehot",
        "softmax",
    ),
    "sparse_categorical_crossentropy": (
        keras.losses.SparseCategoricalCrossentropy,
        "integer",
        "softmax",
    ),
    "binary_crossentropy": (keras.losses.BinaryCrossentropy, "binary", "sigmoid"),
    "hinge": (keras.losses.Hinge, "signed", "tanh"),
    "squared_hinge": (keras.losses.SquaredHinge, "signed", "tanh"),
    "categorical_hinge": (keras.losses.CategoricalHinge, "onehot", "tanh"),
    "kl_divergence": (keras.losses.KLDivergence, "onehot", "softmax"),
    "cosine_similarity": (keras.losses.CosineSimilarity, "onehot", "softmax"),
    "mean_squared_error": (keras.losses.MeanSquaredError, "onehot", "softmax"),
    "mean_absolute_error": (keras.losses.MeanAbsoluteError, "onehot", "softmax"),
    "poisson": (keras.losses.Poisson, "onehot", "softmax"),
}
"""Loss name -> (Keras loss class, target encoding, "auto" output activation).

Encodings: ``"onehot"`` (0/1 indicator per class), ``"integer"`` (class index),
``"binary"`` (one 0/1 column for two classes, one-hot otherwise) and
``"signed"`` (one -1/+1 column for two classes, -1/+1 indicators otherwise).
"""

OPTIMIZERS = {
    "sgd": keras.optimizers.SGD,
    "rmsprop": keras.optimizers.RMSprop,
    "adagrad": keras.optimizers.Adagrad,
    "adadelta": keras.optimizers.Adadelta,
    "adam": keras.optimizers.Adam,
    "adamax": keras.optimizers.Adamax,
    "nadam": keras.optimizers.Nadam,
}
"""Optimizer name -> Keras optimizer class."""
