"""Seeds of a repetition: the model's ``random_state`` and the split's shuffle."""

from collections.abc import Mapping
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils import check_random_state

__all__ = ["repeated_splits", "set_random_state", "split_seed"]


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


def split_seed(random_state: int, seed: int) -> int:
    """The shuffling seed of the folds of the repetition with model seed ``seed``.

    Derived from both with :class:`numpy.random.SeedSequence`, so that each
    repetition draws its own split, the same one whatever other seeds run
    beside it (a run extended by more seeds reuses its finished cells).

    Examples
    --------
    >>> from skclassify.evaluation import split_seed
    >>> split_seed(0, 1) == split_seed(0, 1), split_seed(0, 1) == split_seed(0, 2)
    (True, False)
    """
    state = np.random.SeedSequence([int(random_state), int(seed)]).generate_state(1)
    return int(state[0] % (2**31 - 1))


def repeated_splits(
    X, y, *, cv=5, seeds=(0,), random_state: int | np.random.RandomState | None = 0
) -> dict[int, list[tuple[np.ndarray, np.ndarray]]]:
    """The train/test splits of every repetition, one repetition per seed.

    With an int ``cv``, the repetition of model seed ``s`` is a
    ``StratifiedKFold(n_splits=cv, shuffle=True,
    random_state=split_seed(random_state, s))``: repeated stratified k-fold,
    where each repetition draws its own split (and, in
    :func:`compare_models`, its own model seed). Any other ``cv`` (a
    splitter or an iterable of splits, see
    :func:`sklearn.model_selection.check_cv`) gives the same splits to every
    seed.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The input samples.
    y : array-like of shape (n_samples,)
        The class labels.
    cv : int, cross-validation generator or iterable, default=5
        The folds of one repetition; ``None`` means 5.
    seeds : sequence of int, default=(0,)
        The model seeds, one repetition each.
    random_state : int, RandomState instance or None, default=0
        With an int ``cv``, the base of every repetition's shuffling seed.
        Only an int makes the splits reproducible.

    Returns
    -------
    splits : dict of int to list of (train, test)
        By seed, the repetition's folds as index arrays.

    Examples
    --------
    >>> import numpy as np
    >>> from skclassify.evaluation import repeated_splits
    >>> X, y = np.zeros((20, 1)), np.array([0, 1] * 10)
    >>> splits = repeated_splits(X, y, cv=5, seeds=[0, 1])
    >>> [len(splits[s]) for s in (0, 1)]
    [5, 5]
    >>> bool((splits[0][0][1] == splits[1][0][1]).all())  # own split each
    False
    """
    if cv is None or isinstance(cv, Integral):
        if not isinstance(random_state, Integral):
            random_state = check_random_state(random_state).randint(2**31 - 1)
        return {
            seed: list(
                StratifiedKFold(
                    n_splits=5 if cv is None else cv,
                    shuffle=True,
                    random_state=split_seed(random_state, seed),
                ).split(X, y)
            )
            for seed in seeds
        }
    shared = list(check_cv(cv, y, classifier=True).split(X, y))
    return dict.fromkeys(seeds, shared)
