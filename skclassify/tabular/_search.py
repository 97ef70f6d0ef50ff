"""Tuning by successive halving, with the default configuration always a candidate."""

import math

from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

__all__ = ["DefaultOrTuned", "halving_cost", "halving_search"]

#: Settings drawn by every halving search: at least 20, as a search worth the
#: name needs (with ``factor=3``, 27 make four rounds of 27, 9, 3 and 1).
N_HALVING_CANDIDATES = 27


def _best_has(method):
    def check(self):
        return hasattr(self.best_estimator_, method)

    return check


class DefaultOrTuned(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """The default model or a search's pick, whichever scores better inside.

    The default is cross-validated at its full budget on the same inner
    folds as the search, so it is never eliminated early; the one with the
    better inner mean score is refitted on all the rows it is given. A tuned
    model built this way cannot be worse than its default by construction
    of the search (only by the noise of the inner folds).

    Parameters
    ----------
    default : estimator
        The default configuration.

    search : search estimator
        E.g. a :class:`~sklearn.model_selection.HalvingRandomSearchCV`; its
        ``cv`` must be the same integer as ``cv``.

    cv : int, default=3
        Inner stratified folds of the default.

    Attributes
    ----------
    best_estimator_ : estimator
        The chosen model, fitted on all the rows.

    chose_default_ : bool
        Whether the default won.

    default_score_ : float
        The default's inner mean score.

    search_ : search estimator
        The fitted search.

    classes_ : ndarray of shape (n_classes,)
        The class labels.

    Examples
    --------
    >>> from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import HalvingRandomSearchCV
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> search = HalvingRandomSearchCV(
    ...     LogisticRegression(max_iter=1000), {"C": [0.01, 0.1]}, cv=3,
    ...     random_state=0)
    >>> model = DefaultOrTuned(LogisticRegression(max_iter=1000), search).fit(X, y)
    >>> model.chose_default_
    True
    """

    def __init__(self, default, search, cv=3):
        self.default = default
        self.search = search
        self.cv = cv

    def fit(self, X, y, **fit_params):
        """Score the default and run the search on ``X, y``; refit the better one.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,)
            Target labels.

        **fit_params : dict
            Passed to the default's and the search's ``fit``.

        Returns
        -------
        self : DefaultOrTuned
            Fitted.
        """
        from sklearn.model_selection import cross_val_score

        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        self.default_score_ = float(
            cross_val_score(
                clone(self.default), X, y, cv=self.cv, params=fit_params
            ).mean()
        )
        self.search_ = clone(self.search).fit(X, y, **fit_params)
        self.chose_default_ = bool(self.default_score_ >= self.search_.best_score_)
        if self.chose_default_:
            self.best_estimator_ = clone(self.default).fit(X, y, **fit_params)
        else:
            self.best_estimator_ = self.search_.best_estimator_
        self.classes_ = self.best_estimator_.classes_
        return self

    @property
    def n_features_in_(self):
        """Number of features seen during fit (the chosen model's)."""
        check_is_fitted(self)
        return self.best_estimator_.n_features_in_

    def predict(self, X):
        """Labels predicted by the chosen model."""
        check_is_fitted(self)
        return self.best_estimator_.predict(X)

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the chosen model."""
        check_is_fitted(self)
        return self.best_estimator_.predict_proba(X)

    @available_if(_best_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the chosen model."""
        check_is_fitted(self)
        return self.best_estimator_.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = get_tags(self.default).input_tags.sparse
        tags.non_deterministic = True
        return tags


def halving_search(
    estimator,
    space,
    *,
    resource,
    max_resources,
    n_candidates=N_HALVING_CANDIDATES,
    factor=3,
    cv=3,
):
    """A successive-halving random search with ``estimator`` itself a candidate.

    Parameters
    ----------
    estimator : estimator
        The default configuration (e.g. a pipeline whose last step is a net).

    space : dict
        Distributions or lists by parameter name of ``estimator``.

    resource : str
        The parameter that grows over the rounds (e.g. ``"model__epochs"``).

    max_resources : int
        Its value in the last round, and the default's.

    n_candidates : int, default=27
        Settings drawn at random.

    factor : int, default=3
        The best ``1 / factor`` of the candidates go on to each next round,
        with ``factor`` times the resource.

    cv : int, default=3
        Inner folds.

    Returns
    -------
    DefaultOrTuned
        The default at ``max_resources``, or the search's pick.
    """
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingRandomSearchCV

    search = HalvingRandomSearchCV(
        clone(estimator),
        space,
        n_candidates=n_candidates,
        factor=factor,
        cv=cv,
        resource=resource,
        max_resources=max_resources,
        min_resources="exhaust",
        error_score="raise",
    )
    default = clone(estimator).set_params(**{resource: max_resources})
    return DefaultOrTuned(default, search, cv=cv)


def halving_cost(n_candidates, factor=3):
    """Full-budget fits of one halving search, per inner fold.

    Round ``i`` fits ``ceil(n / factor**i)`` candidates with ``factor**i``
    times the first round's resource; with ``min_resources="exhaust"`` the
    last round has the full budget.

    Examples
    --------
    >>> halving_cost(27)
    4.0
    """
    rounds = 1 + math.floor(math.log(n_candidates, factor) + 1e-9)
    return float(
        sum(
            math.ceil(n_candidates / factor**i) * factor ** (i - rounds + 1)
            for i in range(rounds)
        )
    )
