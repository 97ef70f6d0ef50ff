"""Encode class labels into the targets a loss expects, and decode outputs."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import LabelBinarizer, LabelEncoder
from sklearn.utils.validation import check_is_fitted

from ..activations import OUTPUT_ACTIVATIONS
from ._losses import LOSSES

__all__ = ["LossTargetEncoder", "outputs_to_proba"]


class LossTargetEncoder(TransformerMixin, BaseEstimator):
    """Encode labels for a Keras loss; decode network outputs to labels.

    Built on scikit-learn's :class:`~sklearn.preprocessing.LabelEncoder` and
    :class:`~sklearn.preprocessing.LabelBinarizer`, so any hashable labels
    (strings, ints, -1/+1, ...) round-trip.

    Parameters
    ----------
    loss : str, default="categorical_crossentropy"
        A key of :data:`skclassify.encoding.LOSSES`; it decides the encoding.
    output_activation : str, default="softmax"
        Activation of the output layer; it decides how outputs become
        probabilities (see :func:`outputs_to_proba`).
    classes : array-like or None, default=None
        All classes, when ``y`` given to :meth:`fit` may lack some of them
        (``partial_fit``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels.
    n_classes_ : int
        Number of classes.
    n_outputs_expected_ : int
        Units of the output layer: 1 for a two-class problem with a
        single-column encoding (``"binary"``, ``"signed"``), else ``n_classes_``.

    Examples
    --------
    >>> from skclassify.encoding import LossTargetEncoder
    >>> enc = LossTargetEncoder(loss="hinge", output_activation="tanh")
    >>> enc.fit_transform(["no", "yes", "yes"]).ravel()
    array([-1.,  1.,  1.], dtype=float32)
    >>> enc.inverse_transform([[0.7], [-0.2]])
    array(['yes', 'no'], dtype='<U3')
    """

    def __init__(
        self, loss="categorical_crossentropy", output_activation="softmax", classes=None
    ):
        self.loss = loss
        self.output_activation = output_activation
        self.classes = classes

    def fit(self, y):
        """Learn the classes.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : LossTargetEncoder
            The fitted encoder.
        """
        labels = y if self.classes is None else self.classes
        self.label_encoder_ = LabelEncoder().fit(labels)
        self.classes_ = self.label_encoder_.classes_
        self.n_classes_ = len(self.classes_)
        self.encoding_ = LOSSES[self.loss][1]
        single = self.encoding_ in ("binary", "signed") and self.n_classes_ == 2
        self.n_outputs_expected_ = 1 if single else self.n_classes_
        return self

    def transform(self, y):
        """Encode labels as the loss expects them (float32, or int32 indices).

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Class labels, all among ``classes_``.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs_expected_)
            The encoded targets.
        """
        check_is_fitted(self)
        codes = self.label_encoder_.transform(y).astype(np.int32)
        if self.encoding_ == "integer":
            return codes
        if self.encoding_ == "signed":
            binarizer = LabelBinarizer(neg_label=-1, pos_label=1)
            return (
                binarizer.fit(np.arange(self.n_classes_))
                .transform(codes)
                .astype(np.float32)
            )
        if self.n_outputs_expected_ == 1:
            return codes.reshape(-1, 1).astype(np.float32)
        return np.eye(self.n_classes_, dtype=np.float32)[codes]

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
        ndarray of shape (n_samples,) or (n_samples, n_classes_)
            Labels, or probabilities whose rows sum to 1.
        """
        check_is_fitted(self)
        proba = outputs_to_proba(outputs, self.output_activation)
        if return_proba:
            return proba
        return self.classes_[np.argmax(proba, axis=1)]

    def get_metadata(self):
        """Meta-parameters scikeras hands to the model builder."""
        check_is_fitted(self)
        return {
            "classes_": self.classes_,
            "n_classes_": self.n_classes_,
            "n_outputs_expected_": self.n_outputs_expected_,
        }


def outputs_to_proba(outputs, activation):
    """Turn raw network outputs into probabilities whose rows sum to 1.

    * ``softmax`` outputs already are probabilities.
    * A single output unit (two classes) gives ``P(class 1)``: an output with a
      bounded range ``[lo, hi]`` (sigmoid: [0, 1]; tanh, softsign: [-1, 1], as
      with hinge losses) is mapped linearly, ``(out - lo) / (hi - lo)``, so the
      decision threshold ``(lo + hi) / 2`` becomes 0.5; an unbounded output is
      passed through the logistic function.
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
        Output activation, a key of :data:`skclassify.activations.OUTPUT_ACTIVATIONS`.

    Returns
    -------
    ndarray of shape (n_samples, max(n_units, 2))
        Probabilities.

    Examples
    --------
    >>> from skclassify.encoding import outputs_to_proba
    >>> outputs_to_proba([[0.5], [-1.0]], "tanh")
    array([[0.25, 0.75],
           [1.  , 0.  ]])
    """
    out = np.asarray(outputs, dtype=np.float64)
    if out.ndim == 1:
        out = out.reshape(-1, 1)
    lo, hi = OUTPUT_ACTIVATIONS[activation]
    if out.shape[1] == 1:
        if lo is not None and hi is not None:
            p1 = (np.clip(out[:, 0], lo, hi) - lo) / (hi - lo)
        else:
            p1 = 1.0 / (1.0 + np.exp(-out[:, 0]))
        return np.column_stack([1.0 - p1, p1])
    if activation == "softmax":
        proba = np.clip(out, 0.0, None)
    elif lo is not None:
        proba = np.clip(out, lo, hi) - lo
    else:
        shifted = out - out.max(axis=1, keepdims=True)
        proba = np.exp(shifted)
    total = proba.sum(axis=1, keepdims=True)
    zero = total[:, 0] <= 0
    proba[zero] = 1.0
    total[zero] = proba.shape[1]
    return proba / total
