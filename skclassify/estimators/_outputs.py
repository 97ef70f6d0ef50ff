"""The prediction API shared by skclassify's classifiers.

Every method goes from the fitted numpy state down: ``_forward`` (the
subclass' network outputs) and the target encoder's decoding rules.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["ClassifierOutputsMixin"]


class ClassifierOutputsMixin:
    """``predict_proba``, ``predict_log_proba``, ``predict``, ``decision_function``.

    Needs ``_forward(X)`` (raw network outputs) and the fitted
    ``_target_encoder``.
    """

    def _outputs(self, X, **forward_kwargs):
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            reset=False,
            accept_sparse=["csr", "csc"],
            dtype=(np.float64, np.float32),
        )
        return self._forward(X, **forward_kwargs)

    def predict_proba(self, X):
        """Class probabilities for X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Probabilities in [0, 1]; each row sums to 1 (for multilabel
            targets, each column is the probability of its label).
        """
        outputs = self._outputs(X)
        return self._target_encoder.inverse_transform(outputs, return_proba=True)

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities for X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))`` (``-inf`` where a probability is 0).
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predicted class labels for X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_labels)
            Labels of the same kind as the ``y`` given to ``fit`` (an indicator
            matrix for multilabel targets).
        """
        outputs = self._outputs(X)
        return self._target_encoder.inverse_transform(outputs)

    def decision_function(self, X):
        """Confidence scores: log-odds (two classes, labels) or log-probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_classes)
            Positive values (two classes) or the largest column (more classes)
            mark the predicted class.
        """
        proba = self.predict_proba(X)
        tiny = np.finfo(np.float64).tiny
        if self._target_encoder.multilabel_:
            return np.log(np.clip(proba, tiny, None)) - np.log(
                np.clip(1 - proba, tiny, None)
            )
        log_proba = np.log(np.clip(proba, tiny, None))
        if len(self.classes_) == 2:
            return log_proba[:, 1] - log_proba[:, 0]
        return log_proba
