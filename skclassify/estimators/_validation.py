"""Validation data given as Keras' ``fit`` takes them (scikeras' ``fit__``).

``fit__validation_split=0.2`` holds out the *last* 20% of the rows, before
any shuffling, as Keras' ``Model.fit`` does; ``fit__validation_data=(X_val,
y_val)`` or ``(X_val, y_val, sample_weight_val)`` gives them explicitly (it
wins, as in Keras). Their loss and accuracy are logged every epoch
(``history_["val_loss"]``, ``history_["val_accuracy"]``), and
``early_stopping`` watches them instead of holding out a stratified
``validation_fraction``.
"""

import math
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_array, column_or_1d

from .._compat._sklearn import check_sample_weight

__all__ = ["given_validation"]


def given_validation(estimator, X, Y, W, fit_params):
    """``(X, Y, W, validation)`` after taking out the validation data asked for.

    Parameters
    ----------
    estimator : BaseKerasClassifier
        The estimator being fitted (its target encoder is fitted).
    X, Y, W : ndarray
        Training inputs, encoded targets and sample weights.
    fit_params : dict
        The ``fit__`` parameters.

    Returns
    -------
    X, Y, W : ndarray
        The training rows left.
    validation : tuple (X_val, Y_val, W_val) or None
    """
    data = fit_params.get("validation_data")
    split = fit_params.get("validation_split", 0.0)
    if data is not None:
        return X, Y, W, _encode(estimator, data)
    if split is None or split == 0:
        return X, Y, W, None
    if not isinstance(split, Real) or isinstance(split, bool) or not 0 < split < 1:
        raise ValueError(
            f"fit__validation_split must be a float in (0, 1); got {split!r}."
        )
    cut = int(math.floor(X.shape[0] * (1.0 - split)))  # Keras' rule
    if cut < 1 or cut == X.shape[0]:
        raise ValueError(
            f"fit__validation_split={split} of {X.shape[0]} samples leaves no "
            "training or no validation rows."
        )
    return X[:cut], Y[:cut], W[:cut], (X[cut:], Y[cut:], W[cut:])


def _encode(estimator, data):
    if not isinstance(data, tuple | list) or len(data) not in (2, 3):
        raise ValueError(
            "fit__validation_data must be a tuple (X_val, y_val) or "
            f"(X_val, y_val, sample_weight_val); got {type(data).__name__}."
        )
    X_val, y_val = data[0], np.asarray(data[1])
    X_val = check_array(
        X_val, accept_sparse=["csr", "csc"], dtype=(np.float64, np.float32)
    )
    if X_val.shape[1] != estimator.n_features_in_:
        raise ValueError(
            f"fit__validation_data has {X_val.shape[1]} features; the training "
            f"data have {estimator.n_features_in_}."
        )
    X_val = X_val.toarray() if sp.issparse(X_val) else X_val
    X_val = np.asarray(X_val, dtype=estimator.dtype)
    if y_val.ndim == 2 and y_val.shape[1] == 1:
        y_val = column_or_1d(y_val)
    unknown = (
        np.setdiff1d(np.unique(y_val), estimator.classes_) if y_val.ndim == 1 else []
    )
    if len(unknown):
        raise ValueError(
            f"fit__validation_data has classes {unknown.tolist()} that the "
            f"training data do not have ({estimator.classes_.tolist()})."
        )
    Y_val = estimator._target_encoder.codes(y_val)
    if Y_val.ndim == 2:
        Y_val = Y_val.astype(estimator.dtype)
    W_val = check_sample_weight(
        data[2] if len(data) == 3 else None,
        X_val,
        dtype=np.dtype(estimator.dtype),
        ensure_non_negative=True,
    )
    return X_val, Y_val, W_val
