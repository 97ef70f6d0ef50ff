"""The baselines of speed.py and its scaling sweep: fit time against size.

The sweep fits one net -- Dense(64, relu) -> Dense(k, softmax), adam,
2 epochs, batch_size "auto" (``min(200, n)``) -- on the wave task at several
numbers of training rows (at a fixed number of classes) and of classes (at a
fixed number of rows), with three ways to train it:

* skclassify, warm: one untimed fit of each configuration compiles its loop;
* scikit-learn's ``MLPClassifier`` with the same settings (:func:`sklearn_mlp`);
* Keras ``model.fit`` (:func:`keras_fit`), which builds and compiles a new
  model for every fit, as a cross-validation fold would.

:func:`bench_scaling` measures, :func:`scaling_sections` and
:func:`scaling_finding` report.
"""

import time

import numpy as np
import pandas as pd

from skclassify import KerasMLPClassifier
from skclassify.datasets import make_waves
from skclassify.reporting import plot_metric

#: The swept net: hidden layers, activation, epochs.
HIDDEN, ACTIVATION, EPOCHS = (64,), "relu", 2
#: Table columns of the three ways to train, in their timing order.
METHODS = {
    "skclassify": "skclassify (s)",
    "MLPClassifier": "MLPClassifier (s)",
    "Keras model.fit": "Keras fit (s)",
}


def sklearn_mlp(hidden, epochs, batch_size, activation, seed):
    """An ``MLPClassifier`` that runs exactly ``epochs`` passes, as the nets do."""
    from sklearn.neural_network import MLPClassifier

    # tol=0 and a huge patience: exactly `epochs` passes, as the nets do.
    return MLPClassifier(
        hidden,
        activation=activation,
        solver="adam",
        batch_size=batch_size,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=10**9,
        random_state=seed,
    )


def keras_fit(X, y, hidden, epochs, batch_size, activation):
    """Build, compile and fit a new Keras model, as a user's CV fold would."""
    import keras

    n_classes = int(y.max()) + 1
    model = keras.Sequential(
        [keras.Input((X.shape[1],))]
        + [keras.layers.Dense(units, activation=activation) for units in hidden]
        + [keras.layers.Dense(n_classes, activation="softmax")]
    )
    model.compile("adam", "categorical_crossentropy")
    Y = np.eye(n_classes, dtype="float32")[y]
    model.fit(X.astype("float32"), Y, epochs=epochs, batch_size=batch_size, verbose=0)
    return model


def sweep_data(n_rows, n_classes, seed):
    """Exactly ``n_rows`` wave rows (200 features), every class, shuffled."""
    per_class = -(-n_rows // n_classes)
    X, y = make_waves(
        per_class, n_classes=n_classes, order="interleaved", random_state=seed
    )
    # interleaved rows cut anywhere keep every class, balanced within one row
    order = np.random.RandomState(seed).permutation(n_rows)
    return X[:n_rows][order], y[:n_rows][order]


def _configurations(sweep):
    """(rows, classes) of both sweeps, the shared one once, smallest first."""
    configs = [(n, sweep["at_classes"]) for n in sweep["rows"]]
    configs += [(sweep["at_rows"], k) for k in sweep["classes"]]
    return sorted(set(configs))


def _time_configuration(n_rows, n_classes, repeats, seed):
    """Median fit seconds of each way to train, over interleaved repeats."""
    X, y = sweep_data(n_rows, n_classes, seed)
    ours = KerasMLPClassifier(
        HIDDEN, activation=ACTIVATION, epochs=EPOCHS, tol=0, random_state=seed
    )
    ours.fit(X, y)  # compiles the loop: the warm cost is measured
    mlp = sklearn_mlp(HIDDEN, EPOCHS, "auto", ACTIVATION, seed)
    fits = {
        "skclassify": lambda: ours.fit(X, y),
        "MLPClassifier": lambda: mlp.fit(X, y),
        "Keras model.fit": lambda: keras_fit(
            X, y, HIDDEN, EPOCHS, min(200, n_rows), ACTIVATION
        ),
    }
    times = {name: [] for name in fits}
    for _ in range(repeats):  # interleaved, so load affects all alike
        for name, fit in fits.items():
            start = time.perf_counter()
            fit()
            times[name].append(time.perf_counter() - start)
    return {METHODS[name]: float(np.median(t)) for name, t in times.items()}


def bench_scaling(sweep, seed):
    """Fit times of the sweep: one row per (rows, classes) configuration.

    Parameters
    ----------
    sweep : dict
        ``rows`` (swept at ``at_classes`` classes), ``classes`` (swept at
        ``at_rows`` rows) and ``repeats`` (fits per median).

    seed : int
        The seed of the data and of every net.

    Returns
    -------
    table : DataFrame
        Columns ``rows``, ``classes``, the median seconds of each way to
        train and their ratios to MLPClassifier's.
    """
    # Keras's one-off start-up (first model, first trace) is timed nowhere
    keras_fit(*sweep_data(64, 2, seed), HIDDEN, 1, 32, ACTIVATION)
    rows = [
        {"rows": n, "classes": k, **_time_configuration(n, k, sweep["repeats"], seed)}
        for n, k in _configurations(sweep)
    ]
    table = pd.DataFrame(rows)
    mlp = table[METHODS["MLPClassifier"]]
    table["skclassify / MLP"] = table[METHODS["skclassify"]] / mlp
    table["Keras / MLP"] = table[METHODS["Keras model.fit"]] / mlp
    return table


def _sweep_table(table, sweep, axis):
    """The rows of one sweep, indexed by the swept setting (rows or classes)."""
    fixed, at = ("classes", "at_classes") if axis == "rows" else ("rows", "at_rows")
    part = table[(table[fixed] == sweep[at]) & table[axis].isin(sweep[axis])]
    return part.drop(columns=fixed).sort_values(axis).set_index(axis)


def plot_scaling(part, title, repeats):
    """Log-log fit time against the swept setting, one line per way to train."""
    axis = part.index.name
    long = (
        part[list(METHODS.values())]
        .rename(columns={column: name for name, column in METHODS.items()})
        .reset_index()
        .melt(id_vars=axis, var_name="method", value_name="fit time")
    )
    fig = plot_metric(
        long,
        x=axis,
        y="fit time",
        hue="method",
        logx=True,
        log_base=2 if axis == "classes" else 10,
        title=title,
        ylabel="fit time (s)" + ("" if repeats == 1 else f", median of {repeats} fits"),
    )
    ax = fig.axes[0]
    ax.set_yscale("log")
    ax.set_xticks(part.index, [f"{n:,}" for n in part.index], minor=False)
    ax.set_xticks([], minor=True)
    ax.set_xlabel(f"training {axis}" if axis == "rows" else axis)
    return fig


def scaling_sections(table, sweep):
    """Two report sections: fit time against rows, and against classes."""
    repeats = sweep["repeats"]
    net = (
        f"Dense(64, relu) -> Dense(k, softmax) for k classes, adam, {EPOCHS} "
        "epochs, batch_size 'auto' (min(200, n)) and tol=0 for all three ways "
        "to train. skclassify is warm (one untimed fit of each configuration "
        "compiles its loop first); MLPClassifier has the same settings; Keras "
        "model.fit (numpy "
        "input, verbose=0) builds and compiles a new model for every fit, as a "
        "cross-validation fold would, so its times include that. Each time is "
        + ("1 fit." if repeats == 1 else f"the median of {repeats} interleaved fits.")
    )
    if sweep["at_rows"] in sweep["rows"] and sweep["at_classes"] in sweep["classes"]:
        net += (
            f" The {sweep['at_rows']:,}-row, {sweep['at_classes']:,}-class "
            "configuration belongs to both sweeps and is measured once."
        )
    task = "The wave task (make_waves, shuffled rows, every class present)"
    fixed = {
        "rows": f"200 features, {sweep['at_classes']:,} classes",
        "classes": f"{sweep['at_rows']:,} training rows x 200 features",
    }
    sections = {}
    for axis in ("rows", "classes"):
        part = _sweep_table(table, sweep, axis)
        values = ", ".join(f"{n:,}" for n in part.index)
        times = part[list(METHODS.values())]
        growth = times.iloc[-1] / times.iloc[0]
        first, last = part.index[0], part.index[-1]
        shown = part.set_axis([f"{n:,}" for n in part.index]).rename_axis(axis)
        sections[f"Fit time against the number of {axis}"] = [
            f"{task}, {fixed[axis]}, at {values} {axis}; {net} From {first:,} to "
            f"{last:,} {axis} ({last / first:,.0f}x), fit time grows "
            f"{growth.iloc[0]:.1f}x "
            f"for skclassify, {growth.iloc[1]:.1f}x for MLPClassifier and "
            f"{growth.iloc[2]:.1f}x for Keras model.fit.",
            shown,
            plot_scaling(part, f"Fit time against {axis} ({fixed[axis]})", repeats),
        ]
    return sections


def scaling_finding(table):
    """One finding: the range of skclassify's and Keras's ratios to MLP's."""
    ratio, keras = table["skclassify / MLP"], table["Keras / MLP"]
    worst = table.loc[ratio.idxmax()]
    return (
        f"Scaling sweep ({table['rows'].min():,} to {table['rows'].max():,} rows, "
        f"{table['classes'].min():,} to {table['classes'].max():,} classes): "
        f"skclassify takes {ratio.min():.2f}x to {ratio.max():.2f}x "
        f"MLPClassifier's time (the most at {int(worst['rows']):,} rows, "
        f"{int(worst['classes']):,} classes); Keras model.fit, a new model per "
        f"fit, {keras.min():.1f}x to {keras.max():.1f}x."
    )
