"""The wave task and the source's net, shared by waves.py and wave_fixes.py.

"The source's net" is defined once, in ``docs/source_net.md``; this module is
that definition as code (:data:`SOURCE_NET`, :func:`source_net`).
"""

import math
import time
import warnings

import matplotlib
import numpy as np
import pandas as pd
from _cells import curve_key
from _common import DUMMY, KNN, LR, SIMPLE_MODELS, SVC_NAME, tuned_net
from joblib import Parallel, delayed
from matplotlib.figure import Figure
from scipy.stats import loguniform
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold

from skclassify.datasets import make_waves
from skclassify.evaluation import budget_curve, set_random_state

#: Rows per class: the source's generator drew fresh rows for every batch;
#: a fixed data set of this size is the assumption (docs/source_net.md).
N_SAMPLES_PER_CLASS = 10
#: The source fed batches of 256 rows, every class once per batch.
BATCH_SIZE = 256
#: ``n_iter_no_change`` that never fires: nets train for all their epochs.
NO_PLATEAU = 1_000_000

#: The source's net, as KerasMLPClassifier parameters besides the layer sizes
#: (``(k, 2k)``) and the epochs: see docs/source_net.md for what the source
#: states and what is assumed.
SOURCE_NET = {
    "activation": "sigmoid",
    "loss": "categorical_crossentropy",
    "optimizer": "rmsprop",
    "learning_rate": 1e-3,
    "alpha": 0.0,
    "batch_size": BATCH_SIZE,
    "shuffle": False,
    "n_iter_no_change": NO_PLATEAU,
}


def wave_data(n_classes, n_features, seed=0):
    """The wave task in the source's interleaved order."""
    return make_waves(
        N_SAMPLES_PER_CLASS,
        n_classes=n_classes,
        n_features=n_features,
        order="interleaved",
        random_state=seed,
    )


def n_train_rows(n_classes, cv):
    """Rows in the training part of a stratified fold."""
    n_samples = N_SAMPLES_PER_CLASS * n_classes
    return n_samples - math.ceil(n_samples / cv)


def batches_per_epoch(n_classes, cv):
    return math.ceil(n_train_rows(n_classes, cv) / BATCH_SIZE)


def epochs_for(steps, n_classes, cv):
    """Epochs that give ``steps`` gradient steps on an outer training fold.

    With batches of 256 rows a 2-class training fold is one batch and a
    256-class fold eight: equal epochs would give the small problems eight
    times fewer updates. The source's generator counted steps, not epochs.
    """
    return max(1, math.ceil(steps / batches_per_epoch(n_classes, cv)))


def source_net(n_classes, epochs, **changes):
    """The source's net for ``n_classes`` classes, with optional changes."""
    from skclassify import KerasMLPClassifier

    k = n_classes
    params = {"hidden_layer_sizes": (k, 2 * k), **SOURCE_NET, "epochs": epochs}
    return KerasMLPClassifier(**(params | changes))


def answer_net(n_classes, epochs, **changes):
    """The answer's simpler net, ``Dense(8k, sigmoid) -> softmax``."""
    return source_net(n_classes, epochs, hidden_layer_sizes=(8 * n_classes,), **changes)


def describe_source_net(n_classes, epochs):
    params = ", ".join(f"{key}={value!r}" for key, value in SOURCE_NET.items())
    return (
        f"`KerasMLPClassifier(hidden_layer_sizes=({n_classes}, {2 * n_classes}), "
        f"{params}, epochs={epochs})`"
    )


def net_space(k, size):
    """The tuned net's search space at ``k`` classes: one or two hidden layers.

    ``size`` gives the widths (multiples of ``k``), the activations and the
    batch sizes (default: batches of 256 only).
    """
    widths = size["widths"]
    return {
        "learning_rate": loguniform(1e-4, 1e-1),
        "hidden_layer_sizes": [(w * k,) for w in widths]
        + [(w * k, w * k) for w in widths],
        "activation": list(size["activations"]),
        "batch_size": list(size.get("batch_sizes", (BATCH_SIZE,))),
    }


def net_space_text(size):
    """:func:`net_space` for a report, widths as multiples of k."""
    space = net_space(1, size)
    widths = size["widths"]
    space["hidden_layer_sizes"] = [f"({w}k,)" for w in widths] + [
        f"({w}k, {w}k)" for w in widths
    ]
    return space


def tuned_wave_net(k, size, epochs):
    """The tuned net of the wave reports: standardised, shuffled batches of 256.

    At most ``epochs`` epochs (the halving resource), the fixed nets' budget.
    """
    return tuned_net(
        size["budget"], net_space(k, size), epochs, batch_size=BATCH_SIZE, shuffle=True
    )


# -- budget curves ------------------------------------------------------------------
def fixed_source_net(n_classes, epochs=1):
    """The source's net with the answer's fixes combined.

    StandardScaler inputs, one hidden layer of 8k gaussian units, shuffled
    batches and Adam at its default rate (fixed in advance).
    """
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(),
        source_net(
            n_classes,
            epochs,
            hidden_layer_sizes=(8 * n_classes,),
            activation="gaussian",
            shuffle=True,
            optimizer="adam",
            learning_rate=1e-3,
        ),
    )


def checked_source_net(n_classes, epochs=1):
    """The source's layers as the independent check trained them.

    ``(k, 2k)`` sigmoid, standardised inputs, shuffled batches of 256, Adam
    at 1e-3.
    """
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(),
        source_net(
            n_classes, epochs, shuffle=True, optimizer="adam", learning_rate=1e-3
        ),
    )


def _curve_run(key, name, net, X, y, train, test, rule, seed, fields):
    search_seconds = 0.0
    if hasattr(net, "search"):  # a DefaultOrTuned: pick on the training part
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            chosen = set_random_state(clone(net), seed).fit(X[train], y[train])
        search_seconds = time.perf_counter() - start
        net = clone(chosen.best_estimator_)
        params = {
            k: v.item() if hasattr(v, "item") else v
            for k, v in net[-1].get_params().items()
        }
        chosen = ("hidden_layer_sizes", "activation", "learning_rate", "batch_size")
        fields = {
            **fields,
            "chosen": ", ".join(f"{k}={_short(params[k])}" for k in chosen),
        }
    rows = budget_curve(net, X[train], y[train], X[test], y[test], rule, seed=seed)
    return {
        "key": key,
        "model": name,
        "seed": seed,
        **fields,
        **_fit_seconds(net, X[train], y[train], rows[-1]["epochs"], seed),
        "search_seconds": search_seconds,
        "rows": rows,
    }


def _fit_seconds(net, X, y, epochs, seed):
    """Wall time of one ``fit`` of ``epochs`` epochs, and of its compilation.

    ``fit_seconds``: the second of two identical fits (the loop compiled);
    ``compile_seconds``: how much longer the first one took.
    """
    net = set_random_state(clone(net), seed)
    prefix = f"{net.steps[-1][0]}__" if hasattr(net, "steps") else ""
    net.set_params(**{f"{prefix}epochs": epochs})
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(2):
            start = time.perf_counter()
            net.fit(X, y)
            times.append(time.perf_counter() - start)
    return {"fit_seconds": times[1], "compile_seconds": max(0.0, times[0] - times[1])}


def run_curves(store, nets, X, y, *, runs, rule, data_seed, n_jobs, commit, **fields):
    """Budget curves of ``nets`` on ``runs`` (split, seed) pairs; resumable.

    Run ``i`` trains with model seed ``i`` on fold ``i`` of 5 stratified,
    shuffled folds (``random_state=data_seed``) and is scored on its
    held-out part (:func:`skclassify.evaluation.budget_curve`). Finished
    runs are appended to ``store`` and never recomputed.

    Returns
    -------
    DataFrame
        One row per checkpoint of each run.
    """
    splits = list(StratifiedKFold(5, shuffle=True, random_state=data_seed).split(X, y))
    jobs, keys = [], []
    for name, net in nets.items():
        for i in range(runs):
            cell = {**fields, "fold": i % 5, "data_seed": data_seed}
            key = curve_key(net, seed=i, rule=rule, **cell)
            keys.append(key)
            if key not in store.runs:
                cell["commit"] = commit
                jobs.append(
                    delayed(_curve_run)(
                        key, name, net, X, y, *splits[i % 5], rule, i, cell
                    )
                )
    for run in Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs):
        store.add(run)
    return store.frame(keys)


# -- the curves, summed up ------------------------------------------------------------
def best_simple(summary, k):
    """The row of the best simple model at ``k`` (fastest among equals)."""
    rows = summary[(summary["n_classes"] == k) & summary["model"].isin(SIMPLE_MODELS)]
    best = rows[rows["accuracy_mean"] >= rows["accuracy_mean"].max() - 1e-9]
    return best.loc[best["fit_time_mean"].idxmin()]


def to_match(curves):
    """Per (k, net): runs, runs that matched, median steps and seconds to match."""
    last = curves.sort_values("steps").groupby(["n_classes", "model", "seed"]).last()
    last = last.reset_index()
    rows = []
    for (k, name), runs in last.groupby(["n_classes", "model"], sort=False):
        hit = runs[runs["stop"] == "target"]
        rows.append(
            {
                "n_classes": int(k),
                "model": name,
                "runs": len(runs),
                "matched": len(hit),
                "steps": float(hit["steps"].median()) if len(hit) else np.nan,
                "seconds": float(hit["seconds"].median()) if len(hit) else np.nan,
                "fit_seconds": (
                    float(hit["fit_seconds"].median()) if len(hit) else np.nan
                ),
                "best_accuracy": float(
                    curves[(curves["n_classes"] == k) & (curves["model"] == name)]
                    .groupby("seed")["accuracy"]
                    .max()
                    .median()
                ),
                "stops": ", ".join(
                    f"{n} {reason}" for reason, n in runs["stop"].value_counts().items()
                ),
            }
        )
    order = {name: i for i, name in enumerate(dict.fromkeys(curves["model"]))}
    table = pd.DataFrame(rows)
    table["order"] = table["model"].map(order)
    return table.sort_values(["n_classes", "order"]).drop(columns="order")


def plot_curves(curves, summary, k, nets):
    """Held-out accuracy against steps and seconds; simple models as lines."""
    fig = Figure(figsize=(11 if len(nets) <= 4 else 14, 4.5), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    palette = matplotlib.colormaps["tab10" if len(nets) <= 10 else "tab20"]
    colours = {name: palette(i) for i, name in enumerate(nets)}
    at_k = curves[curves["n_classes"] == k]
    for x, ax in zip(("steps", "seconds"), axes, strict=True):
        for name, net in at_k.groupby("model", sort=False):
            for i, (_, run) in enumerate(net.groupby("seed")):
                ax.plot(
                    run[x],
                    run["accuracy"],
                    color=colours.get(name, "black"),
                    alpha=0.7,
                    lw=1,
                    label=name if i == 0 else None,
                )
        simple = summary[(summary["n_classes"] == k)].set_index("model")
        for name, style in ((SVC_NAME, "--"), (KNN, ":"), (LR, "-."), (DUMMY, "-")):
            if name in simple.index:
                acc, fit = simple.loc[name, ["accuracy_mean", "fit_time_mean"]]
                ax.axhline(
                    acc,
                    color="grey",
                    ls=style,
                    lw=1,
                    label=f"{name} {acc:.3f} (fit {fit:.3f} s)",
                )
                if x == "seconds":
                    ax.plot([fit], [acc], "o", color="grey", ms=4)
        ax.set_xscale("log")
        ax.set_xlabel({"steps": "gradient steps", "seconds": "training seconds"}[x])
        ax.set_ylim(0, 1.02)
    axes[0].set_ylabel("held-out accuracy (one line a run)")
    axes[1].legend(fontsize="x-small", loc="lower right")
    fig.suptitle(f"Wave task, {k} classes: budget curves")
    if len(nets) > 4:
        axes[1].get_legend().remove()
        fig.legend(fontsize="x-small", loc="outside right center")
    return fig


def _short(value):
    return f"{value:.3g}" if isinstance(value, float) else repr(value)
