"""The models that ``skclassify compare`` cross-validates: a registry of records."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from scipy.stats import loguniform

from skclassify.tabular._builders import (
    KNN_MAX_ROWS,
    SVC_EXACT_MAX_ROWS,
    Built,
    build_dummy,
    build_hgb,
    build_knn,
    build_lr,
    build_mlp,
    build_svc,
    knn_grid,
    svc_grid,
)
from skclassify.tabular._search import N_HALVING_CANDIDATES, halving_search

__all__ = ["MODELS", "Built", "Contender", "Halving", "ModelSpec", "make_models"]

#: Folds of the inner cross-validation of ``--tune``.
INNER_CV = 3


class ModelSpec(NamedTuple):
    """One entry of :data:`MODELS`.

    Attributes
    ----------
    description : str
        What the model is, in a few words.
    build : callable
        ``build(n_train, params) -> Built``: the classifier for training
        folds of ``n_train`` rows (``params``: ``{"mlp": {...}, "exact_svc":
        bool}``).
    grid : callable
        ``grid(n_train, params) -> dict``: the small search space of
        ``--tune`` (parameter names of the built estimator), searched
        exhaustively; empty for nothing to tune.
    halving : Halving, default=None
        Instead of ``grid``: the space of a successive-halving random search
        (:func:`~skclassify.tabular.halving_search`, the built estimator at
        its full budget always a candidate), for models with a budget that
        can grow over rounds.
    """

    description: str
    build: Callable[[int, Mapping[str, Any]], Built]
    grid: Callable[[int, Mapping[str, Any]], dict]
    halving: "Halving | None" = None


class Halving(NamedTuple):
    """The search space of a model tuned by successive halving.

    Attributes
    ----------
    space : dict
        Distributions or lists by parameter name of the built estimator.
    resource : str
        The built estimator's parameter that grows over the rounds (its
        value in the built estimator is the last round's).
    n_candidates : int
        Settings drawn at random.
    """

    space: dict
    resource: str
    n_candidates: int = N_HALVING_CANDIDATES


MODELS: dict[str, ModelSpec] = {
    "dummy": ModelSpec(
        "chance: always the training fold's class frequencies",
        build_dummy,
        lambda n, p: {},
    ),
    "lr": ModelSpec(
        "LogisticRegression (lbfgs, run to convergence)",
        build_lr,
        lambda n, p: {"C": [0.01, 0.1, 1, 10, 100]},
    ),
    "svc": ModelSpec(
        f"RBF-SVC (above {SVC_EXACT_MAX_ROWS:,} training rows: Nystroem + "
        "RidgeClassifier)",
        build_svc,
        svc_grid,
    ),
    "knn": ModelSpec(
        f"KNeighborsClassifier (5 neighbours; above {KNN_MAX_ROWS:,} training "
        "rows, among a stratified sample of them)",
        build_knn,
        knn_grid,
    ),
    "hgb": ModelSpec(
        "HistGradientBoostingClassifier (native categorical splits, early "
        "stopping above 10,000 rows)",
        build_hgb,
        lambda n, p: {
            "learning_rate": [0.03, 0.1, 0.3],
            "max_leaf_nodes": [15, 31, 63],
        },
    ),
    "mlp": ModelSpec(
        "KerasMLPClassifier: one hidden layer of 100 relu units, adam, batches of 200",
        build_mlp,
        lambda n, p: {},
        Halving(
            {
                # each shape compiles its own loop (about 1 s); the rate and
                # the penalty are free to vary
                "hidden_layer_sizes": [(32,), (100,), (256,), (64, 64), (256, 256)],
                "activation": ["relu", "tanh"],
                "learning_rate": loguniform(1e-4, 1e-1),
                "alpha": loguniform(1e-6, 1e-1),
            },
            "epochs",
        ),
    ),
}


class Contender(NamedTuple):
    """One model of a comparison, as :func:`make_models` returns it.

    Attributes
    ----------
    estimator : sklearn.pipeline.Pipeline
        The preprocessing, then the model (or a grid search over both).
    key : str
        The registry entry it comes from.
    tuned : bool
        Whether it is the ``GridSearchCV`` of the entry's grid.
    n_candidates : int
        Parameter settings tried by the search (1 when not tuned).
    seeded : bool
        Whether its scores depend on the model seed (see :class:`Built`).
    cost_exponent : float
        See :class:`Built`.
    note : str
        What was approximated ("" if nothing).
    """

    estimator: Any
    key: str
    tuned: bool
    n_candidates: int
    seeded: bool
    cost_exponent: float
    note: str


def _check_mlp_params(params: Mapping[str, Any]) -> None:
    if not params:
        return
    from skclassify import KerasMLPClassifier

    valid = KerasMLPClassifier().get_params()
    unknown = sorted(set(params) - set(valid))
    if unknown:
        raise ValueError(
            f"unknown parameter(s) of the net: {', '.join(unknown)}; "
            f"KerasMLPClassifier takes: {', '.join(sorted(valid))}."
        )


def make_models(
    names: Iterable[str],
    preprocessor,
    *,
    n_train: int,
    mlp: Mapping[str, Any] | None = None,
    tune: bool = False,
    exact_svc: bool = False,
    treatments=None,
    n_candidates: int | None = None,
) -> dict[str, Contender]:
    """The contenders of a comparison: ``dummy`` first, then ``names``.

    Every model is a pipeline ``preprocessor -> model``, so the
    preprocessing is fitted inside each training fold. With ``tune``, each
    model that has a search space also runs as ``<name>_tuned``: a
    ``GridSearchCV`` over the pipeline with ``INNER_CV`` inner folds (a
    nested cross-validation when the result is cross-validated).

    Parameters
    ----------
    names : iterable of str
        Keys of :data:`MODELS`; ``"dummy"`` is always added.

    preprocessor : transformer
        The preprocessing, e.g. from :func:`make_preprocessor`; cloned.

    n_train : int
        Rows of a training fold. Large folds switch the RBF-SVC to a kernel
        approximation and cap the net's epochs (see each note).

    mlp : dict, default=None
        Parameters of the net, e.g. ``{"hidden_layer_sizes": (64, 32)}``.

    tune : bool, default=False
        Add the tuned twin of every model: a ``GridSearchCV`` over its grid,
        or for the net a successive-halving search over epochs
        (:class:`Halving`, :func:`halving_search`) whose candidates always
        include the default at its full budget.

    exact_svc : bool, default=False
        Keep the exact RBF-SVC at any size.

    treatments : list of ColumnTreatment, default=None
        The column treatments behind ``preprocessor``; with them, the
        gradient boosting gets its own preprocessing (native categorical
        splits, see :func:`make_tree_preprocessor`).

    n_candidates : int, default=None
        Settings drawn by the halving searches (default: each entry's own,
        27 for the net); fewer make a smoke test, not a tuned model.

    Returns
    -------
    contenders : dict of str to Contender
        By name, in the order: dummy, then ``names`` (each followed by its
        tuned twin).

    Raises
    ------
    ValueError
        For an unknown model name or net parameter.

    Examples
    --------
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skclassify.tabular import make_models
    >>> models = make_models(["lr"], StandardScaler(), n_train=100, tune=True)
    >>> list(models)
    ['dummy', 'lr', 'lr_tuned']
    >>> models["lr_tuned"].n_candidates
    5
    """
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, ParameterGrid
    from sklearn.pipeline import Pipeline

    names = list(dict.fromkeys(["dummy", *names]))
    if unknown := [name for name in names if name not in MODELS]:
        raise ValueError(
            f"unknown model(s) {', '.join(unknown)}; choose among "
            f"{', '.join(name for name in MODELS if name != 'dummy')}."
        )
    params = {"mlp": dict(mlp or {}), "exact_svc": exact_svc, "treatments": treatments}
    if "mlp" in names:
        _check_mlp_params(params["mlp"])
    contenders = {}
    for name in names:
        spec = MODELS[name]
        built = spec.build(n_train, params)
        own = built.preprocessor
        pipeline = Pipeline(
            [
                ("preprocess", clone(preprocessor) if own is None else own),
                ("model", built.estimator),
            ]
        )
        contenders[name] = Contender(
            pipeline, name, False, 1, built.seeded, built.cost_exponent, built.note
        )
        grid = spec.grid(n_train, params)
        if tune and spec.halving is not None:
            drawn = n_candidates or spec.halving.n_candidates
            resource = f"model__{spec.halving.resource}"
            search = halving_search(
                pipeline,
                {f"model__{key}": value for key, value in spec.halving.space.items()},
                resource=resource,
                max_resources=pipeline.get_params()[resource],
                n_candidates=drawn,
                cv=INNER_CV,
            )
            contenders[f"{name}_tuned"] = contenders[name]._replace(
                estimator=search, tuned=True, n_candidates=drawn
            )
        elif tune and grid:
            search = GridSearchCV(
                clone(pipeline),
                {f"model__{key}": values for key, values in grid.items()},
                cv=INNER_CV,
                error_score="raise",
            )
            n_candidates = len(ParameterGrid(grid))
            contenders[f"{name}_tuned"] = contenders[name]._replace(
                estimator=search, tuned=True, n_candidates=n_candidates
            )
    return contenders
