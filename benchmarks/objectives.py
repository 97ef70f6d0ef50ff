"""Benchmark: every loss x hidden activation x optimizer on the "sum > 2.5" task.

The tutorial's experiment "arrange the objective functions on the same data set"
trains ``Dense(20, tanh) -> Dense(1, tanh)`` with the hinge loss and Adam on 250
rows of five uniform features labelled ``sign(sum - 2.5)``
(:func:`skclassify.datasets.make_sum_threshold` with ``labels="signed"``). Here
every loss of :data:`skclassify.encoding.LOSSES` meets every hidden activation
of :data:`skclassify.activations.ACTIVATIONS` and every optimizer of
:data:`skclassify.encoding.OPTIMIZERS` (the estimator encodes the -1/+1 labels
to suit each loss and picks the output activation with ``"auto"``), each
cross-validated. The report goes to ``docs/benchmarks/objectives.md``.

Usage::

    python benchmarks/objectives.py --n-jobs 2 --resume   # full grid
    python benchmarks/objectives.py --max-configs 20      # time a random sample
    python benchmarks/objectives.py --quick               # smoke test, 2 x 2 x 2
"""

import itertools
import shlex
import sys
import time
from pathlib import Path

import numpy as np
from _common import benchmark_parser, parallel_backend, run_header
from sklearn.utils import check_random_state

from skclassify import KerasMLPClassifier
from skclassify.activations import ACTIVATIONS
from skclassify.datasets import make_sum_threshold
from skclassify.encoding import LOSSES, OPTIMIZERS
from skclassify.evaluation import (
    compare_models,
    plot_heatmap,
    set_random_state,
    summarize,
    write_report,
)
from skclassify.reporting import join_names

NAME = "objectives"
SCRIPT = f"benchmarks/{NAME}.py"
BENCHMARKS_DIR = Path(__file__).resolve().parent
FACTORS = ("loss", "activation", "optimizer")

#: Problem sizes: the full run and the ``--quick`` smoke test. ``None`` means
#: every entry of the registry.
SIZES = {
    "full": {
        "losses": None,
        "activations": None,
        "optimizers": None,
        "epochs": 150,
        "cv": 5,
    },
    "quick": {
        "losses": ("hinge", "categorical_crossentropy"),
        "activations": ("tanh", "relu"),
        "optimizers": ("adam", "rmsprop"),
        "epochs": 5,
        "cv": 2,
    },
}
N_SAMPLES = 250
HIDDEN_LAYER_SIZES = (20,)
BATCH_SIZE = 32
#: The tutorial's own configuration.
SOURCE_CONFIG = ("hinge", "tanh", "adam")
#: A configuration is "at chance" when its accuracy is at most this much above
#: the share of the majority class.
CHANCE_MARGIN = 0.05
#: Mean accuracies closer than this count as a tie.
TIE_TOLERANCE = 1e-9


def distinct_activations():
    """Activation names, skipping aliases of an earlier entry (same function)."""
    names, seen = [], {}
    aliases = {}
    for name, function in ACTIVATIONS.items():
        key = function if isinstance(function, str) else id(function)
        if key in seen:
            aliases[name] = seen[key]
        else:
            seen[key] = name
            names.append(name)
    return names, aliases


def config_name(loss, activation, optimizer):
    return f"{loss} / {activation} / {optimizer}"


def make_configs(size, max_configs=None, seed=0):
    """(loss, activation, optimizer) by model name, in registry order."""
    losses = size["losses"] or list(LOSSES)
    activations = size["activations"] or distinct_activations()[0]
    optimizers = size["optimizers"] or list(OPTIMIZERS)
    grid = list(itertools.product(losses, activations, optimizers))
    if max_configs is not None and max_configs < len(grid):
        rng = check_random_state(seed)
        grid = [grid[i] for i in sorted(rng.permutation(len(grid))[:max_configs])]
    return {config_name(*config): config for config in grid}


def make_models(configs, epochs):
    """One estimator per configuration, by name."""
    return {
        name: KerasMLPClassifier(
            hidden_layer_sizes=HIDDEN_LAYER_SIZES,
            activation=activation,
            loss=loss,
            optimizer=optimizer,
            epochs=epochs,
            batch_size=BATCH_SIZE,
        )
        for name, (loss, activation, optimizer) in configs.items()
    }


def parse_args(argv=None):
    parser = benchmark_parser(__doc__.split("\n\n")[0], BENCHMARKS_DIR)
    parser.add_argument(
        "--max-configs",
        type=int,
        default=None,
        help="run only this many configurations, drawn at random with the seed "
        "(to time a sample of the grid)",
    )
    return parser.parse_args(argv)


# -- report -------------------------------------------------------------------------
def marginal_table(results, rows, columns):
    """Mean accuracy over everything else, best rows and columns first."""
    table = results.pivot_table(
        index=rows, columns=columns, values="accuracy", aggfunc="mean"
    )
    table = table.loc[
        table.mean(axis=1).sort_values(ascending=False).index,
        table.mean(axis=0).sort_values(ascending=False).index,
    ]
    return table


def heatmap(table, title):
    """:func:`plot_heatmap` of mean accuracies, with slanted column labels."""
    fig = plot_heatmap(
        table, title=title, vmax=1.0, colorbar_label="mean accuracy", fmt=".2f"
    )
    for label in fig.axes[0].get_xticklabels():
        label.set_rotation(35)
        label.set_horizontalalignment("right")
    return fig


def findings(summary, results, majority):
    """A paragraph of findings, computed from the results."""
    sentences = []
    top = summary["accuracy_mean"].iloc[0]
    tied = summary.loc[summary["accuracy_mean"] >= top - TIE_TOLERANCE, "model"]
    sentences.append(
        f"The best mean accuracy, {top:.3f}, is reached by {join_names(tied)}"
        f" ({len(summary)} configurations in all)."
    )
    worst = summary.iloc[-1]
    sentences.append(
        f"The worst is {worst['model']} with {worst['accuracy_mean']:.3f}."
    )
    extremes = []
    for factor in FACTORS:
        means = results.groupby(factor)["accuracy"].mean().sort_values()
        if len(means) > 1:
            extremes.append(
                f"{factor} {means.index[-1]} ({means.iloc[-1]:.3f}) / "
                f"{means.index[0]} ({means.iloc[0]:.3f})"
            )
    if extremes:
        sentences.append(
            "Averaged over everything else, best / worst: " + "; ".join(extremes) + "."
        )
    at_chance = summary["accuracy_mean"] <= majority + CHANCE_MARGIN
    sentence = (
        f"{int(at_chance.sum())} of {len(summary)} configurations "
        f"({at_chance.mean():.0%}) stay within {CHANCE_MARGIN} of the "
        f"majority-class rate ({majority:.3f})"
    )
    if at_chance.any():
        worst_values = []
        for factor in FACTORS:
            share = at_chance.groupby(summary[factor]).mean().sort_values()
            worst_values.append(f"{factor} {share.index[-1]} ({share.iloc[-1]:.0%})")
        sentence += (
            "; the largest share of such configurations per factor: "
            + ", ".join(worst_values)
        )
    sentences.append(sentence + ".")
    source = config_name(*SOURCE_CONFIG)
    if source in set(summary["model"]):
        row = summary.index[summary["model"] == source][0]
        sentences.append(
            f"The tutorial's configuration ({source}) scores "
            f"{summary.loc[row, 'accuracy_mean']:.3f} and ranks {row + 1} of "
            f"{len(summary)}."
        )
    return " ".join(sentences)


def make_report(args, summary, results, majority, size, command, runtime):
    _, aliases = distinct_activations()
    alias_note = (
        " Aliases run once: "
        + ", ".join(f"`{a}` is `{b}`" for a, b in aliases.items())
        + "."
        if aliases and size["activations"] is None
        else ""
    )
    n_configs = len(summary)
    setup = (
        f"`make_sum_threshold(n_samples={N_SAMPLES}, labels='signed', "
        f"random_state={args.seed})`: five uniform features, label +1 when the "
        f"row sum exceeds 2.5, else -1 (majority class: {majority:.3f}). "
        f"{size['cv']}-fold stratified cross-validation (the tutorial used a "
        "validation split and 200 fresh rows instead). Every model is "
        f"`KerasMLPClassifier(hidden_layer_sizes={HIDDEN_LAYER_SIZES}, "
        f"activation=..., loss=..., optimizer=..., epochs={size['epochs']}, "
        f"batch_size={BATCH_SIZE})`, optimizers at their Keras default learning "
        "rates, `output_activation='auto'` (softmax for the cross-entropy, KL, "
        "cosine and regression-style losses, tanh for the hinge losses, "
        "sigmoid for binary cross-entropy); the estimator encodes the -1/+1 "
        f"labels to suit each loss. {n_configs} configurations"
        + (f" (a random sample of {args.max_configs})" if args.max_configs else "")
        + f".{alias_note}"
    )
    table = summary[
        [*FACTORS, "accuracy_mean", "accuracy_std", "log_loss_mean", "fit_time_mean"]
    ]
    sections = {
        "Setup": setup,
        "Findings": findings(summary, results, majority),
        "Loss x activation (mean over optimizers and folds)": heatmap(
            marginal_table(results, "loss", "activation"),
            title="Accuracy: loss x hidden activation",
        ),
        "Loss x optimizer (mean over activations and folds)": heatmap(
            marginal_table(results, "loss", "optimizer"),
            title="Accuracy: loss x optimizer",
        ),
        "All configurations, best first": table,
    }
    return write_report(
        Path(args.output_dir) / f"{NAME}.md",
        title='"Sum > 2.5": every loss x activation x optimizer',
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
    start = time.perf_counter()

    X, y = make_sum_threshold(
        n_samples=N_SAMPLES, labels="signed", random_state=args.seed
    )
    majority = np.unique(y, return_counts=True)[1].max() / len(y)
    configs = make_configs(size, args.max_configs, args.seed)
    models = set_random_state(make_models(configs, size["epochs"]), args.seed)
    with parallel_backend(args.scheduler, args.n_jobs):
        results = compare_models(
            models,
            X,
            y,
            cv=size["cv"],
            seeds=[args.seed],
            random_state=args.seed,
            n_jobs=args.n_jobs,
            results_path=Path(args.results_dir) / f"{NAME}.jsonl",
            resume=args.resume,
            progress=not args.quiet,
            tags={"n_samples": N_SAMPLES, "epochs": size["epochs"]},
        )
    for i, factor in enumerate(FACTORS):
        results[factor] = results["model"].map(lambda name, i=i: configs[name][i])
    summary = summarize(results)
    for i, factor in enumerate(FACTORS):
        summary[factor] = summary["model"].map(lambda name, i=i: configs[name][i])
    runtime = time.perf_counter() - start

    report = make_report(args, summary, results, majority, size, command, runtime)
    columns = ["model", "accuracy_mean", "accuracy_std", "fit_time_mean"]
    print(
        summary[columns].head(20).to_string(index=False, float_format="{:.4f}".format)
    )
    print(f"{len(summary)} configurations in {runtime:.1f} s; report: {report}")
    return summary


if __name__ == "__main__":
    main()
