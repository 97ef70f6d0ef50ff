"""Encode class labels into the targets a loss expects, and decode outputs."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from ..activations import ACTIVATIONS
from ._losses import LOSSES

__all__ = [
    "LossTargetEncoder",
    "encode_targets",
    "outputs_to_proba",
    "resolve_loss",
    "suits_multilabel",
]

# Losses that score each output unit on its own, so they suit multilabel targets.
_ELEMENTWISE = {"binary", "signed"}
_ELEMENTWISE_LOSSES = {"mean_squared_error", "mean_absolute_error"}


def resolve_loss(loss, multilabel, n_classes):
    """The loss ``"auto"`` stands for, as scikit-learn's ``MLPClassifier`` picks it.

    Binary cross-entropy (one sigmoid unit) for two classes and for multilabel
    targets, categorical cross-entropy (softmax) otherwise. Any other name is
    checked against the target type and returned; a custom loss (not a
    string) is returned as is.
    """
    if loss == "auto":
        if multilabel or n_classes <= 2:
            return "binary_crossentropy"
        return "categorical_crossentropy"
    if multilabel and not suits_multilabel(loss):
        raise ValueError(
            f"loss={loss!r} treats the outputs as one distribution over classes and "
            "cannot fit a multilabel target (a 0/1 matrix with one 1 per row is "
            "read as one-hot classes only by KerasClassifier); use 'auto', "
            "'binary_crossentropy', 'hinge', 'squared_hinge', 'mean_squared_error' "
            "or 'mean_absolute_error'."
        )
    return loss


def suits_multilabel(loss):
    """Whether a loss scores each output unit on its own (custom losses: yes)."""
    if not isinstance(loss, str):
        return True
    return LOSSES[loss].encoding in _ELEMENTWISE or loss in _ELEMENTWISE_LOSSES


def encode_targets(codes, encoding, n_outputs, multilabel=False, dtype="float32"):
    """Dense targets for a loss from compact ones (class indices or indicators).

    The training loops do the same per mini-batch inside the compiled graph;
    this is the numpy reference (and what :meth:`LossTargetEncoder.transform`
    returns).
    """
    codes = np.asarray(codes)
    if multilabel:
        dense = codes.astype(dtype)
    elif encoding == "integer":
        return codes.astype(np.int32)
    elif n_outputs == 1:
        dense = codes.reshape(-1, 1).astype(dtype)
    else:
        dense = np.eye(n_outputs, dtype=dtype)[codes]
    return dense * 2 - 1 if encoding == "signed" else dense


class LossTargetEncoder(TransformerMixin, BaseEstimator):
    """Encode labels for a Keras loss; decode network outputs to labels.

    Built on scikit-learn's :class:`~sklearn.preprocessing.LabelEncoder`, so any
    hashable labels (strings, ints, -1/+1, ...) round-trip; a 2-D 0/1 indicator
    matrix is a multilabel target.

    Parameters
    ----------
    loss : str, default="categorical_crossentropy"
        A key of :data:`skclassify.objectives.LOSSES`; it decides the encoding.
    output_activation : str, default="softmax"
        Activation of the output layer; it decides how outputs become
        probabilities (see :func:`outputs_to_proba`).
    classes : array-like or None, default=None
        All classes, when ``y`` given to :meth:`fit` may lack some of them
        (``partial_fit``).
    encoding : str or None, default=None
        The target encoding; ``None`` takes the loss' from :data:`LOSSES`
        (needed for a custom loss, which is not there).
    onehot : bool, default=False
        Read a 0/1 matrix with one 1 in each row as one-hot classes (scikeras'
        "multiclass-onehot") rather than as multilabel, when the loss treats
        the outputs as one distribution (categorical cross-entropy, ...);
        ``predict`` then returns one-hot rows.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels (``0 .. n_labels - 1`` for multilabel targets).
    multilabel_ : bool
        Whether the target is a multilabel indicator matrix.
    onehot_ : bool
        Whether the target is a one-hot matrix of classes.
    encoding_ : str
        The loss' encoding (see :data:`skclassify.objectives.LOSSES`).
    n_outputs_expected_ : int
        Units of the output layer: 1 for a two-class problem with a
        single-column encoding (``"binary"``, ``"signed"``), else the number of
        classes (or labels).

    Examples
    --------
    >>> from skclassify.objectives import LossTargetEncoder
    >>> enc = LossTargetEncoder(loss="hinge", output_activation="tanh")
    >>> enc.fit_transform(["no", "yes", "yes"]).ravel()
    array([-1.,  1.,  1.], dtype=float32)
    >>> enc.inverse_transform([[0.7], [-0.2]])
    array(['yes', 'no'], dtype='<U3')
    """

    def __init__(
        self,
        loss="categorical_crossentropy",
        output_activation="softmax",
        classes=None,
        encoding=None,
        onehot=False,
    ):
        self.loss = loss
        self.output_activation = output_activation
        self.classes = classes
        self.encoding = encoding
        self.onehot = onehot

    def fit(self, y):
        """Learn the classes.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.

        Returns
        -------
        self : LossTargetEncoder
            The fitted encoder.
        """
        y = np.asarray(y)
        self.encoding_ = self.encoding or LOSSES[self.loss].encoding
        indicator = type_of_target(y).startswith("multilabel")
        self.onehot_ = bool(
            indicator
            and self.onehot
            and self.encoding_ not in _ELEMENTWISE
            and not (isinstance(self.loss, str) and suits_multilabel(self.loss))
            and (y.sum(axis=1) == 1).all()
        )
        self.multilabel_ = indicator and not self.onehot_
        if indicator:
            self.label_encoder_ = None
            self.classes_ = np.arange(y.shape[1])
        else:
            labels = y if self.classes is None else np.asarray(self.classes)
            self.label_encoder_ = LabelEncoder().fit(labels)
            self.classes_ = self.label_encoder_.classes_
        single = (
            not self.multilabel_
            and self.encoding_ in _ELEMENTWISE
            and len(self.classes_) == 2
        )
        self.n_outputs_expected_ = 1 if single else len(self.classes_)
        return self

    def codes(self, y):
        """Compact targets: class indices (int32), or the indicator matrix.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, all among ``classes_``.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_labels)
        """
        check_is_fitted(self)
        if self.multilabel_:
            return np.asarray(y)
        if self.onehot_:
            return np.argmax(np.asarray(y), axis=1).astype(np.int32)
        try:
            return self.label_encoder_.transform(y).astype(np.int32)
        except ValueError:
            unknown = np.setdiff1d(np.unique(y), self.classes_)
            raise ValueError(
                f"y contains labels {unknown.tolist()} that are not among the "
                f"classes {self.classes_.tolist()}."
            ) from None

    def transform(self, y):
        """Encode labels as the loss expects them (float32, or int32 indices).

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, all among ``classes_``.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs_expected_)
            The encoded targets.
        """
        return encode_targets(
            self.codes(y), self.encoding_, self.n_outputs_expected_, self.multilabel_
        )

    def inverse_transform(self, outputs, return_proba=False):
        """Decode network outputs to labels, or to class probabilities.

        Parameters
        ----------
        outputs : array-like of shape (n_samples, n_outputs_expected_)
            Raw outputs of the network.
        return_proba : bool, default=False
            Return probabilities (see :func:`outputs_to_proba`) instead of labels.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_classes)
            Labels (an indicator matrix for multilabel targets), or
            probabilities.
        """
        check_is_fitted(self)
        proba = outputs_to_proba(
            outputs, self.output_activation, multilabel=self.multilabel_
        )
        if return_proba:
            return proba
        if self.multilabel_:
            return (proba > 0.5).astype(int)
        if self.onehot_:
            return np.eye(len(self.classes_), dtype=int)[np.argmax(proba, axis=1)]
        return self.classes_[np.argmax(proba, axis=1)]


def outputs_to_proba(outputs, activation, multilabel=False):
    """Turn raw network outputs into probabilities.

    * ``softmax`` outputs already are probabilities.
    * A single output unit (two classes) gives ``P(class 1)``: an output with a
      bounded range ``[lo, hi]`` (sigmoid: [0, 1]; tanh, softsign: [-1, 1], as
      with hinge losses) is mapped linearly, ``(out - lo) / (hi - lo)``, so the
      decision threshold ``(lo + hi) / 2`` becomes 0.5; an unbounded output is
      passed through the logistic function. Multilabel outputs are mapped so,
      unit by unit.
    * Several units with a bounded or bounded-below range are shifted to be
      non-negative and normalised to sum to 1 (uniform if all are zero); with
      an unbounded range they go through a softmax.

    Every map is monotone, so ``argmax`` of the probabilities is ``argmax`` of
    the outputs: ``predict`` and ``predict_proba`` always agree.

    Parameters
    ----------
    outputs : array-like of shape (n_samples, n_units)
        Raw network outputs.
    activation : str
        Output activation, a key of :data:`skclassify.activations.ACTIVATIONS`.
    multilabel : bool, default=False
        Treat each unit as the probability of its own label.

    Returns
    -------
    ndarray of shape (n_samples, max(n_units, 2)) or (n_samples, n_units)
        Probabilities; rows sum to 1 unless ``multilabel``.

    Examples
    --------
    >>> from skclassify.objectives import outputs_to_proba
    >>> outputs_to_proba([[0.5], [-1.0]], "tanh")
    array([[0.25, 0.75],
           [1.  , 0.  ]])
    """
    out = np.asarray(outputs, dtype=np.float64)
    if out.ndim == 1:
        out = out.reshape(-1, 1)
    record = ACTIVATIONS[activation]
    lo, hi = record.lo, record.hi
    if multilabel or out.shape[1] == 1:
        if lo is not None and hi is not None:
            p1 = (np.clip(out, lo, hi) - lo) / (hi - lo)
        else:
            p1 = 1.0 / (1.0 + np.exp(-out))
        return p1 if multilabel else np.column_stack([1.0 - p1[:, 0], p1[:, 0]])
    if record.name == "softmax":
        proba = np.clip(out, 0.0, None)
    elif lo is not None:
        proba = np.clip(out, lo, hi) - lo
    else:
        proba = np.exp(out - out.max(axis=1, keepdims=True))
    total = proba.sum(axis=1, keepdims=True)
    zero = total[:, 0] <= 0
    proba[zero] = 1.0
    total[zero] = proba.shape[1]
    return proba / total
