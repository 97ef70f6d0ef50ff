"""The models that ``skclassify compare`` cross-validates: a registry of records."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

__all__ = ["MODELS", "Built", "Contender", "ModelSpec", "make_models"]

#: Above this many training rows, the RBF-SVC becomes Nystroem + a linear SVM:
#: an exact SVC costs about (rows)^2, some 20 minutes a fit at 160,000 rows.
SVC_EXACT_MAX_ROWS = 20_000

#: Kernel features of the Nystroem approximation of the RBF-SVC.
NYSTROEM_COMPONENTS = 300

#: Gradient steps of the net at most when the data is large (the epochs are
#: cut to fit, see ``make_models``).
MLP_MAX_STEPS = 10_000

#: Above this many training rows, kNN searches a stratified sample of them:
#: its predictions cost (test rows) x (searched rows).
KNN_MAX_ROWS = 20_000

#: Folds of the inner cross-validation of ``--tune``.
INNER_CV = 3


class Built(NamedTuple):
    """What a registry entry builds for a given size of training fold.

    Attributes
    ----------
    estimator : estimator
        The unfitted classifier.
    seeded : bool
        Whether its scores depend on its ``random_state``. An unseeded model
        runs once per fold; its scores stand for every seed.
    cost_exponent : float
        How the time of a fit and a prediction grows with the rows:
        time ~ a + b * rows ** cost_exponent (for the cost estimate).
    note : str
        What was approximated ("" if nothing).
    preprocessor : transformer or None
        Its own preprocessing, instead of the shared one (the trees').
    """

    estimator: Any
    seeded: bool
    cost_exponent: float
    note: str = ""
    preprocessor: Any = None


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
        ``--tune`` (parameter names of the built estimator); empty for
        nothing to tune.
    """

    description: str
    build: Callable[[int, Mapping[str, Any]], Built]
    grid: Callable[[int, Mapping[str, Any]], dict]


def _dummy(n_train, params):
    from sklearn.dummy import DummyClassifier

    return Built(DummyClassifier(strategy="prior"), seeded=False, cost_exponent=1.0)


def _lr(n_train, params):
    from sklearn.linear_model import LogisticRegression

    # lbfgs is deterministic: random_state is unused.
    return Built(LogisticRegression(max_iter=5000), seeded=False, cost_exponent=1.0)


def _svc_is_exact(n_train, params) -> bool:
    return params.get("exact_svc", False) or n_train <= SVC_EXACT_MAX_ROWS


def _svc(n_train, params):
    from sklearn.kernel_approximation import Nystroem
    from sklearn.linear_model import RidgeClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.svm import SVC

    if _svc_is_exact(n_train, params):
        # Without probability=True, SVC does not use its random_state.
        return Built(SVC(kernel="rbf"), seeded=False, cost_exponent=2.0)
    approximation = Pipeline(
        [
            ("nystroem", Nystroem(kernel="rbf", n_components=NYSTROEM_COMPONENTS)),
            # Least squares on the kernel features: a closed-form solve, some
            # 50 times faster than a hinge-loss solver at 160,000 rows.
            ("ridge", RidgeClassifier(alpha=1.0)),
        ]
    )
    note = (
        f"RBF-SVC approximated: {n_train:,} training rows are more than "
        f"{SVC_EXACT_MAX_ROWS:,}, so the RBF kernel is approximated with "
        f"Nystroem({NYSTROEM_COMPONENTS} components, gamma=1/n_features) and a "
        "linear classifier on those features (RidgeClassifier, alpha=1); "
        "--exact-svc forces the exact SVC"
    )
    return Built(approximation, seeded=True, cost_exponent=1.0, note=note)


def _svc_grid(n_train, params):
    if _svc_is_exact(n_train, params):
        return {"C": [0.1, 1, 10, 100], "gamma": ["scale", 0.01, 0.1, 1]}
    return {"ridge__alpha": [0.1, 1, 10, 100], "nystroem__gamma": [0.01, 0.1, 1]}


def _knn(n_train, params):
    from sklearn.neighbors import KNeighborsClassifier

    if n_train <= KNN_MAX_ROWS:
        return Built(KNeighborsClassifier(), seeded=False, cost_exponent=2.0)
    from ._subsample import SubsampledClassifier

    note = (
        f"kNN approximated: it searches a stratified sample of {KNN_MAX_ROWS:,} "
        f"of the {n_train:,} training rows (a prediction compares every test "
        "row with every searched row)"
    )
    return Built(
        SubsampledClassifier(KNeighborsClassifier(), max_samples=KNN_MAX_ROWS),
        seeded=False,
        cost_exponent=1.0,
        note=note,
    )


def _knn_grid(n_train, params):
    prefix = "" if n_train <= KNN_MAX_ROWS else "estimator__"
    return {
        f"{prefix}n_neighbors": [1, 5, 15, 45],
        f"{prefix}weights": ["uniform", "distance"],
    }


def _hgb(n_train, params):
    from sklearn.ensemble import HistGradientBoostingClassifier

    from ._preprocess import make_tree_preprocessor

    preprocessor, mask = None, "from_dtype"
    if params.get("treatments") is not None:
        # Native categorical splits on integer codes: no one-hot, no scaling.
        preprocessor, mask = make_tree_preprocessor(params["treatments"])
    # Its random_state only draws the early-stopping split, which is on
    # ("auto") above 10,000 rows.
    return Built(
        HistGradientBoostingClassifier(categorical_features=mask),
        seeded=n_train > 10_000,
        cost_exponent=1.0,
        preprocessor=preprocessor,
    )


def batch_rows(batch_size, n_rows: int) -> int:
    """Rows per batch of the net: ``"auto"`` is min(200, rows), None all rows."""
    if batch_size is None:
        return n_rows
    if batch_size == "auto":
        return min(200, n_rows)
    return min(int(batch_size), n_rows)


#: The net's defaults in ``compare``: sklearn's MLPClassifier batch size.
MLP_DEFAULTS = {"hidden_layer_sizes": (100,), "batch_size": 200, "epochs": 200}


def _mlp(n_train, params):
    from skclassify import KerasMLPClassifier

    settings = {**MLP_DEFAULTS, **params.get("mlp", {})}
    note = ""
    steps_per_epoch = -(-n_train // batch_rows(settings["batch_size"], n_train))
    if "epochs" not in params.get("mlp", {}) and (
        settings["epochs"] * steps_per_epoch > MLP_MAX_STEPS
    ):
        settings["epochs"] = max(1, MLP_MAX_STEPS // steps_per_epoch)
        note = (
            f"net's budget capped: at most {MLP_MAX_STEPS:,} gradient steps, so "
            f"{settings['epochs']} epochs of {steps_per_epoch:,} batches instead "
            f"of {MLP_DEFAULTS['epochs']} (set --mlp epochs=N to choose)"
        )
    return Built(KerasMLPClassifier(**settings), True, 1.0, note)


MODELS: dict[str, ModelSpec] = {
    "dummy": ModelSpec(
        "chance: always the training fold's class frequencies",
        _dummy,
        lambda n, p: {},
    ),
    "lr": ModelSpec(
        "LogisticRegression (lbfgs, run to convergence)",
        _lr,
        lambda n, p: {"C": [0.01, 0.1, 1, 10, 100]},
    ),
    "svc": ModelSpec(
        f"RBF-SVC (above {SVC_EXACT_MAX_ROWS:,} training rows: Nystroem + "
        "RidgeClassifier)",
        _svc,
        _svc_grid,
    ),
    "knn": ModelSpec(
        f"KNeighborsClassifier (5 neighbours; above {KNN_MAX_ROWS:,} training "
        "rows, among a stratified sample of them)",
        _knn,
        _knn_grid,
    ),
    "hgb": ModelSpec(
        "HistGradientBoostingClassifier (native categorical splits, early "
        "stopping above 10,000 rows)",
        _hgb,
        lambda n, p: {
            "learning_rate": [0.03, 0.1, 0.3],
            "max_leaf_nodes": [15, 31, 63],
        },
    ),
    "mlp": ModelSpec(
        "KerasMLPClassifier: one hidden layer of 100 relu units, adam, batches of 200",
        _mlp,
        lambda n, p: {
            "learning_rate": [1e-3, 1e-2],
            "alpha": [1e-4, 1e-2],
            "hidden_layer_sizes": [(100,), (256, 256)],
        },
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
        Add the tuned twin of every model.

    exact_svc : bool, default=False
        Keep the exact RBF-SVC at any size.

    treatments : list of ColumnTreatment, default=None
        The column treatments behind ``preprocessor``; with them, the
        gradient boosting gets its own preprocessing (native categorical
        splits, see :func:`make_tree_preprocessor`).

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
        if tune and grid:
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
