"""A classifier fitted on a stratified sample of its training rows."""

from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

__all__ = ["SubsampledClassifier"]


class SubsampledClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit ``estimator`` on at most ``max_samples`` stratified training rows.

    For models whose prediction cost grows with the training rows, such as
    k-nearest neighbours: on 160,000 rows a kNN prediction compares every test
    row with every training row.

    Parameters
    ----------
    estimator : classifier
        The classifier, cloned at fit.

    max_samples : int, default=20_000
        Training rows kept at most.

    random_state : int, default=0
        Seed of the sample. A fixed int keeps the model deterministic.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone.

    classes_ : ndarray
        The class labels.

    n_samples_fit_ : int
        The rows it was fitted on.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from skclassify.tabular import SubsampledClassifier
    >>> X, y = np.arange(100.0).reshape(-1, 1), np.arange(100) % 2
    >>> clf = SubsampledClassifier(KNeighborsClassifier(), max_samples=20).fit(X, y)
    >>> clf.n_samples_fit_, clf.predict(X[:2]).shape
    (20, (2,))
    """

    def __init__(self, estimator, max_samples=20_000, random_state=0):
        self.estimator = estimator
        self.max_samples = max_samples
        self.random_state = random_state

    def fit(self, X, y):
        if len(y) > self.max_samples:
            X, _, y, _ = train_test_split(
                X,
                y,
                train_size=self.max_samples,
                stratify=y,
                random_state=self.random_state,
            )
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = self.estimator_.classes_
        self.n_samples_fit_ = len(y)
        return self

    def predict(self, X):
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def predict_proba(self, X):
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)
