"""Benchmark: the "x/256 is class x" wave task against the number of classes.

Every sample of class ``i`` is a constant "waveform" at level ``i / (k - 1)``
plus tiny noise (:func:`skclassify.datasets.make_waves`), with the rows in the
source's interleaved order (every block of ``k`` rows holds each class once).
Linear and kernel baselines are cross-validated against the two networks of the
source document, each raw and behind a ``StandardScaler``:

- the question's net, ``Dense(k, sigmoid) -> Dense(2k, sigmoid) -> softmax``;
- the answer's net, ``Dense(8k, sigmoid) -> softmax``.

The nets train on batches of 256 rows in the given order (``shuffle=False``), as
the source's generator fed them. The report (tables, figures and findings
computed from the numbers) goes to ``docs/benchmarks/waves.md``.

Usage::

    python benchmarks/waves.py --n-jobs 2 --resume   # full size
    python benchmarks/waves.py --quick               # smoke test, seconds

``LogisticRegression`` keeps scikit-learn's defaults (``lbfgs``, 100
iterations), as a user would first try it; on the raw waves it stops before
converging (its warnings are silenced, the scores stand as measured).
"""

import math
import shlex
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
from _common import benchmark_parser, parallel_backend, run_header
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skclassify import KerasMLPClassifier
from skclassify.datasets import make_waves
from skclassify.evaluation import (
    compare_models,
    plot_metric,
    set_random_state,
    summarize,
    write_report,
)
from skclassify.reporting import join_names

NAME = "waves"
SCRIPT = f"benchmarks/{NAME}.py"
BENCHMARKS_DIR = Path(__file__).resolve().parent

#: Problem sizes: the full run and the ``--quick`` smoke test.
SIZES = {
    "full": {
        "class_counts": (2, 4, 8, 16, 32, 64, 128, 256),
        "n_features": 200,
        "steps": 2400,
        "cv": 5,
    },
    "quick": {"class_counts": (2, 8), "n_features": 20, "steps": 10, "cv": 3},
}
N_SAMPLES_PER_CLASS = 10
BATCH_SIZE = 256

#: Name prefix of the models behind a StandardScaler.
SCALED_PREFIX = "StandardScaler + "
#: Models whose name starts with one of these are the Keras nets.
NET_PREFIXES = ("MLP",)
#: Mean accuracies closer than this count as a tie.
TIE_TOLERANCE = 1e-9
#: The best net "falls behind" when it trails the best other model by more.
GAP_TOLERANCE = 0.02
#: A model "solves" a class count when its mean accuracy reaches this.
SOLVED = 0.9


def epochs_for(n_classes, size):
    """Epochs that give every class count the same number of gradient steps.

    With batches of 256 rows, a 2-class training fold is one batch and a
    256-class fold eight: equal epochs would give the small problems eight
    times fewer updates. The source's generator counted steps, not epochs.
    """
    batches = math.ceil(n_train_rows(n_classes, size["cv"]) / BATCH_SIZE)
    return math.ceil(size["steps"] / batches)


def make_models(n_classes, epochs):
    """The estimators compared at ``n_classes`` classes, by name."""
    net = {"batch_size": BATCH_SIZE, "epochs": epochs, "shuffle": False}
    k = n_classes
    raw = {
        "LogisticRegression": LogisticRegression(),
        "SVC": SVC(kernel="rbf"),
        "MLP (k, 2k) sigmoid": KerasMLPClassifier(
            hidden_layer_sizes=(k, 2 * k), activation="sigmoid", **net
        ),
        "MLP (8k,) sigmoid": KerasMLPClassifier(
            hidden_layer_sizes=(8 * k,), activation="sigmoid", **net
        ),
    }
    scaled = {
        f"{SCALED_PREFIX}{name}": make_pipeline(StandardScaler(), model)
        for name, model in raw.items()
    }
    return raw | scaled


def n_train_rows(n_classes, cv):
    """Rows in the training part of a stratified fold."""
    n_samples = N_SAMPLES_PER_CLASS * n_classes
    return n_samples - n_samples // cv


def is_net(name):
    """Whether the model called ``name`` is one of the Keras nets."""
    return name.removeprefix(SCALED_PREFIX).startswith(NET_PREFIXES)


def parse_args(argv=None):
    parser = benchmark_parser(__doc__.split("\n\n")[0], BENCHMARKS_DIR)
    return parser.parse_args(argv)


# -- report -------------------------------------------------------------------------
def _best(frame):
    """The models tied for the best mean accuracy in ``frame``, and that score."""
    top = frame["accuracy_mean"].max()
    tied = frame.loc[frame["accuracy_mean"] >= top - TIE_TOLERANCE, "model"]
    return list(tied), top


def findings(summary):
    """A paragraph of findings, computed from the summary table."""
    sentences = []
    winners = []
    gaps = {}
    for k, group in summary.groupby("n_classes", sort=True):
        names, top = _best(group)
        winners.append(f"{k}: {join_names(names)} ({top:.3f})")
        nets = group[group["model"].map(is_net)]
        others = group[~group["model"].map(is_net)]
        if len(nets) and len(others):
            gaps[k] = others["accuracy_mean"].max() - nets["accuracy_mean"].max()
    sentences.append(
        "Best mean accuracy per number of classes: " + "; ".join(winners) + "."
    )

    behind = [k for k, gap in gaps.items() if gap > GAP_TOLERANCE]
    if gaps and not behind:
        sentences.append(
            f"The best net stays within {GAP_TOLERANCE} of the best other model "
            "at every class count."
        )
    elif behind:
        first, last = behind[0], max(gaps)
        kept = [k for k in gaps if k < first]
        lead = (
            f"The best net stays within {GAP_TOLERANCE} of the best other model "
            f"up to {max(kept)} classes; at {first} classes"
            if kept
            else f"Already at {first} classes the best net"
        )
        tail = (
            f" and {gaps[last]:.3f} at {last} classes (chance: {1 / last:.4f})"
            if last != first
            else f" (chance: {1 / first:.4f})"
        )
        sentences.append(f"{lead} it trails by {gaps[first]:.3f}{tail}.")

    always, drops = [], {}
    for model, group in summary.groupby("model", sort=False):
        failing = group.loc[group["accuracy_mean"] < SOLVED, "n_classes"]
        if failing.empty:
            always.append(model)
        else:
            drops.setdefault(failing.min(), []).append(model)
    if always:
        sentences.append(
            f"Mean accuracy stays at or above {SOLVED} at every class count for "
            f"{join_names(always, limit=None)}."
        )
    if drops:
        parts = [
            f"at {k} classes for {join_names(drops[k], limit=None)}"
            for k in sorted(drops)
        ]
        sentences.append(f"It first drops below {SOLVED} " + "; ".join(parts) + ".")

    largest = summary[summary["n_classes"] == summary["n_classes"].max()]
    k_max = largest["n_classes"].iloc[0]
    accuracy = largest.set_index("model")["accuracy_mean"]
    effects = [
        f"{name} {accuracy[SCALED_PREFIX + name] - accuracy[name]:+.3f}"
        for name in accuracy.index
        if SCALED_PREFIX + name in accuracy.index
    ]
    if effects:
        sentences.append(
            f"At {k_max} classes a StandardScaler in front changes the accuracy "
            "by: " + "; ".join(effects) + "."
        )
    fastest = largest.loc[largest["fit_time_mean"].idxmin()]
    slowest = largest.loc[largest["fit_time_mean"].idxmax()]
    sentences.append(
        f"At {k_max} classes the fastest fit is "
        f"{fastest['model']} ({fastest['fit_time_mean']:.2f} s per fold), the "
        f"slowest {slowest['model']} ({slowest['fit_time_mean']:.2f} s)."
    )
    return " ".join(sentences)


def pivot(summary, models, metric, fmt):
    """Models x class counts table of ``metric`` as "mean ± std" strings."""
    cells = summary.assign(
        value=[
            f"{m:{fmt}} ± {s:{fmt}}"
            for m, s in zip(
                summary[f"{metric}_mean"],
                summary[f"{metric}_std"].fillna(0.0),
                strict=True,
            )
        ]
    )
    table = cells.pivot(index="model", columns="n_classes", values="value")
    table = table.reindex([m for m in models if m in table.index])
    table.columns = [f"k={k}" for k in table.columns]
    table.index.name = "model"
    return table


def plot_against_classes(
    summary, model_names, metric, *, title, ylabel, chance, error_bars
):
    """``metric`` against the class count: one colour per model, dashed if scaled."""
    order = {name: i for i, name in enumerate(model_names)}
    ordered = summary.sort_values(
        ["model", "n_classes"],
        key=lambda column: column.map(order) if column.name == "model" else column,
    )
    if not error_bars:
        ordered = ordered.drop(columns=f"{metric}_std")
    fig = plot_metric(
        ordered,
        x="n_classes",
        y=metric,
        logx=True,
        log_base=2,
        title=title,
        ylabel=ylabel,
        figsize=(9.5, 5.0),
    )
    ax = fig.axes[0]
    bases = list(dict.fromkeys(n.removeprefix(SCALED_PREFIX) for n in model_names))
    colors = {base: f"C{i}" for i, base in enumerate(bases)}
    for container in ax.containers:
        name = container.get_label()
        data_line, caps, bars = container.lines
        for artist in (data_line, *caps, *bars):
            artist.set_color(colors[name.removeprefix(SCALED_PREFIX)])
        if name.startswith(SCALED_PREFIX):
            data_line.set_linestyle("--")
            data_line.set_markerfacecolor("white")
    if chance:
        counts = sorted(summary["n_classes"].unique())
        ax.plot(counts, [1 / k for k in counts], "k:", label="chance (1/k)")
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    return fig


def make_report(args, summary, model_names, size, command, runtime):
    accuracy = plot_against_classes(
        summary,
        model_names,
        "accuracy",
        title="Wave task: cross-validated accuracy",
        ylabel="accuracy (mean ± std over folds)",
        chance=True,
        error_bars=True,
    )
    fit_time = plot_against_classes(
        summary,
        model_names,
        "fit_time",
        title="Wave task: fit time per fold",
        ylabel="fit time per fold (s)",
        chance=False,
        error_bars=False,  # the first fit of a net includes its compilation
    )
    fit_time.axes[0].set_yscale("log")

    epochs = ", ".join(f"{epochs_for(k, size)} at k={k}" for k in size["class_counts"])
    steps = f"{size['steps']} gradient steps for every k, i.e. epochs: {epochs}"
    setup = (
        f"`make_waves(n_samples_per_class={N_SAMPLES_PER_CLASS}, "
        f"n_classes=k, n_features={size['n_features']}, order='interleaved', "
        f"random_state={args.seed})` for k in {list(size['class_counts'])}; "
        f"{size['cv']}-fold stratified cross-validation (shuffled folds; the "
        "training rows keep their interleaved order). Nets: "
        f"`KerasMLPClassifier(activation='sigmoid', batch_size={BATCH_SIZE}, "
        f"shuffle=False)` ({steps}), softmax output, "
        "categorical cross-entropy, Adam with its Keras default learning rate "
        "(the estimator defaults); `(k, 2k)` is the question's net, `(8k,)` the "
        "answer's. `LogisticRegression()` (scikit-learn's defaults: lbfgs, 100 "
        "iterations, unconverged on the raw data), `SVC(kernel='rbf')` "
        "(no probabilities, so no log loss). Each model also runs behind a "
        "`StandardScaler`. Fit time is the wall time of one fold's fit "
        f"(this run: `n_jobs={args.n_jobs or 1}`; resumed cells keep the times "
        "of the run that computed them); a net's first fit in a process "
        "includes compiling its training loop (hence the large std)."
    )
    sections = {
        "Setup": setup,
        "Findings": findings(summary),
        "Accuracy (mean ± std over folds)": pivot(
            summary, model_names, "accuracy", ".3f"
        ),
        "Fit time in seconds (mean ± std over folds)": pivot(
            summary, model_names, "fit_time", ".2f"
        ),
        "Accuracy against the number of classes": accuracy,
        "Fit time against the number of classes": fit_time,
        "All results, best first per class count": summary,
    }
    return write_report(
        Path(args.output_dir) / f"{NAME}.md",
        title="Wave task: accuracy against the number of classes",
        sections=sections,
        command=command,
        seeds=[args.seed],
        runtime=runtime,
        extra_header=run_header(args, summary),
    )


def main(argv=None):
    argv = sys.argv[1:] if argv is None else [str(arg) for arg in argv]
    args = parse_args(argv)
    command = shlex.join(["python", SCRIPT, *argv])
    size = SIZES["quick" if args.quick else "full"]
    results_path = Path(args.results_dir) / f"{NAME}.jsonl"
    start = time.perf_counter()

    frames, model_names = [], []
    with parallel_backend(args.scheduler, args.n_jobs), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for k in size["class_counts"]:
            X, y = make_waves(
                N_SAMPLES_PER_CLASS,
                n_classes=k,
                n_features=size["n_features"],
                order="interleaved",
                random_state=args.seed,
            )
            epochs = epochs_for(k, size)
            models = set_random_state(make_models(k, epochs), args.seed)
            model_names = list(models)
            if not args.quiet:
                print(f"{k} classes: {X.shape[0]} samples x {X.shape[1]} features")
            frames.append(
                compare_models(
                    models,
                    X,
                    y,
                    cv=size["cv"],
                    seeds=[args.seed],
                    random_state=args.seed,
                    n_jobs=args.n_jobs,
                    results_path=results_path,
                    resume=args.resume,
                    progress=not args.quiet,
                    tags={
                        "n_classes": k,
                        "n_features": size["n_features"],
                        "epochs": epochs,
                    },
                )
            )
    results = pd.concat(frames, ignore_index=True)
    summary = summarize(results, by=["n_classes", "model"])
    runtime = time.perf_counter() - start

    report = make_report(args, summary, model_names, size, command, runtime)
    columns = ["n_classes", "model", "accuracy_mean", "accuracy_std", "fit_time_mean"]
    print(summary[columns].to_string(index=False, float_format="{:.4f}".format))
    print(f"Report written to {report}")
    return summary


if __name__ == "__main__":
    main()
