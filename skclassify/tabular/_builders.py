"""What each model of ``skclassify compare`` is, for a training fold's size.

One builder per registry entry of :data:`skclassify.tabular.MODELS`:
``build(n_train, params) -> Built`` and, for ``--tune``, ``grid(n_train,
params) -> dict``. Large folds switch to documented approximations (the
constants below); each :class:`Built` says what it approximated.
"""

from typing import Any, NamedTuple

__all__ = [
    "Built",
    "batch_rows",
    "build_dummy",
    "build_hgb",
    "build_knn",
    "build_lr",
    "build_mlp",
    "build_svc",
    "knn_grid",
    "svc_grid",
]

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


def build_dummy(n_train, params):
    from sklearn.dummy import DummyClassifier

    return Built(DummyClassifier(strategy="prior"), seeded=False, cost_exponent=1.0)


def build_lr(n_train, params):
    from sklearn.linear_model import LogisticRegression

    # lbfgs is deterministic: random_state is unused.
    return Built(LogisticRegression(max_iter=5000), seeded=False, cost_exponent=1.0)


def svc_is_exact(n_train, params) -> bool:
    return params.get("exact_svc", False) or n_train <= SVC_EXACT_MAX_ROWS


def build_svc(n_train, params):
    from sklearn.kernel_approximation import Nystroem
    from sklearn.linear_model import RidgeClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.svm import SVC

    if svc_is_exact(n_train, params):
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


def svc_grid(n_train, params):
    if svc_is_exact(n_train, params):
        return {"C": [0.1, 1, 10, 100], "gamma": ["scale", 0.01, 0.1, 1]}
    # None: Nystroem's default, 1 / n_features (every grid holds the default).
    return {
        "ridge__alpha": [0.1, 1, 10, 100],
        "nystroem__gamma": [None, 0.01, 0.1, 1],
    }


def build_knn(n_train, params):
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


def knn_grid(n_train, params):
    prefix = "" if n_train <= KNN_MAX_ROWS else "estimator__"
    # The inner folds of the search train on about 2/3 of a training fold.
    inner = max(1, min(n_train, KNN_MAX_ROWS) * 2 // 3)
    return {
        f"{prefix}n_neighbors": [k for k in (1, 5, 15, 45) if k <= inner] or [1],
        f"{prefix}weights": ["uniform", "distance"],
    }


def build_hgb(n_train, params):
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


def build_mlp(n_train, params):
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
