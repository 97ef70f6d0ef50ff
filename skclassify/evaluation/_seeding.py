"""Push one seed into every ``random_state`` parameter of an estimator."""

from collections.abc import Mapping

from sklearn.base import BaseEstimator

__all__ = ["set_random_state"]


def set_random_state(models: Mapping[str, BaseEstimator] | BaseEstimator, seed: int):
    """Push ``seed`` into every ``*random_state`` parameter (as bench_mnist).

    Parameters
    ----------
    models : estimator or dict of str to estimator
        Estimators (pipelines and searches included), changed in place.
    seed : int
        The seed.

    Returns
    -------
    estimator or dict
        ``models``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.svm import SVC
    >>> from skclassify.evaluation import set_random_state
    >>> models = set_random_state({"svc": make_pipeline(StandardScaler(), SVC())}, 7)
    >>> models["svc"].get_params()["svc__random_state"]
    7
    """
    estimators = models.values() if isinstance(models, Mapping) else [models]
    for estimator in estimators:
        estimator.set_params(
            **{
                param: seed
                for param in estimator.get_params()
                if param.endswith("random_state")
            }
        )
    return models
