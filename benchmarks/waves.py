"""Benchmark: how many steps and seconds a net needs to match an SVC on the wave task.

Every sample of class ``i`` is a constant "waveform" at level ``i / (k - 1)``
plus tiny noise (:func:`skclassify.datasets.make_waves`), rows in the source's
interleaved order. For each class count ``k``:

- the simple models (dummy, LR, RBF-SVC, kNN and their tuned twins, from
  ``skclassify compare``'s registry) and two nets at a fixed budget of
  gradient steps are cross-validated over seeds x 5 folds (the fixed-budget
  tables);
- budget curves: three nets (the source's as written, the source's with the
  answer's fixes combined, the source's layers trained as the independent
  check did) train once per (split, seed), scored on the held-out fold at
  growing step counts, until they reach the best simple model's accuracy,
  plateau or hit the cap (:class:`skclassify.evaluation.CurveRule`).

The headline: per class count, the steps and seconds the best net needs to
match the best simple model, against that model's fit time.

Usage::

    python benchmarks/waves.py --quick         # README's job: k = 8, < 2 min
    python benchmarks/waves.py                 # standard size: k = 4, 16, 32
    python benchmarks/waves.py --full --output-dir docs/benchmarks --resume
    python benchmarks/waves.py --from-cells docs/benchmarks/waves.cells.jsonl.gz

Full size, estimated on 2 cores (``--n-jobs 2``), not measured (the
estimate's parts: a ``partial_fit`` epoch costs about 6 ms of call overhead
on an idle core, measured on this machine at quick size; one step of the
(256, 512) net on 2,048 rows about 2.8 ms, from the issue's 111 s for
40,000 steps):

- curves, worst case (no curve stops before the 50,000-step cap): about
  300 s a run at 4 and 16 classes (one step an epoch), 165 s at 64, 175 s at
  256; 3 runs of 4 nets at each k: 3.1 CPU-hours, 1.6 h on 2 cores. At
  quick size every curve met its target within 2,000 steps, so the curves
  at 4 and 16 classes are expected to cost minutes, not hours;
- the tuned architecture's search before each of its 12 curve runs: as
  one fixed-budget cell, about 10 minutes on 2 cores in all;
- fixed-budget tables: the tuned net's search (27 candidates by halving,
  the default at the full budget, 3 inner folds) is some 16 fits of the full
  budget a cell; at 256 classes about 3 minutes a cell, 15 cells: about
  25 minutes on 2 cores; the other class counts less than half of that.

So at most about 2.3 h if no curve stopped early, about 1.5 h expected. A
stopped run resumes (``--resume``) without recomputing finished cells or
curves.
"""

import sys
from pathlib import Path

import pandas as pd
from _cells import CurveStore
from _common import (
    DUMMY,
    KNN,
    LR,
    SVC_NAME,
    TUNED_KNN,
    TUNED_LR,
    TUNED_NET,
    TUNED_SVC,
    Budget,
    Run,
    baselines,
    computed_or_loaded,
    parse_args,
    verdict,
)
from _waves import (
    BATCH_SIZE,
    N_SAMPLES_PER_CLASS,
    best_simple,
    checked_source_net,
    describe_source_net,
    epochs_for,
    fixed_source_net,
    n_train_rows,
    plot_curves,
    run_curves,
    source_net,
    to_match,
    tuned_wave_net,
    wave_data,
)

from skclassify.evaluation import CurveRule
from skclassify.reporting import mean_std_table, split_columns, summarize

NAME = "waves"

#: Sizes: class counts, features, the fixed budget of the tables (gradient
#: steps), the tuned net's search, and the curves: their cap in steps, their
#: least steps before a plateau stop and their runs per class count.
SIZES = {
    "quick": {
        "class_counts": (8,),
        "n_features": 20,
        "steps": 40,
        "budget": Budget(n_candidates=3),
        "widths": (2,),
        "activations": ("relu",),
        "max_steps": 2000,
        "min_steps": 300,
        "curve_runs": {8: 2},
    },
    "standard": {
        "class_counts": (4, 16, 32),
        "n_features": 200,
        "steps": 300,
        "budget": Budget(n_candidates=3),
        "widths": (1, 8),
        "activations": ("relu", "gaussian"),
        "max_steps": 20_000,
        "min_steps": 1000,
        "curve_runs": {4: 3, 16: 3, 32: 3},
    },
    "full": {
        "class_counts": (4, 16, 64, 256),
        "n_features": 200,
        "steps": 1200,
        # at least 20 candidates; with the default, 28 (DefaultOrTuned)
        "budget": Budget(n_candidates=27),
        "widths": (1, 2, 4),
        "activations": ("relu", "tanh", "sigmoid", "gaussian"),
        "batch_sizes": (64, 128, 256),
        "max_steps": 50_000,
        "min_steps": 5000,
        "curve_runs": {4: 3, 16: 3, 64: 3, 256: 3},
        # Converged LR fits at large C cost minutes from 128 classes on: the
        # tuned LR runs up to this class count, the default LR everywhere.
        "tuned_lr_max_classes": 64,
    },
}
SOURCE, FIXED, CHECKED, TUNED_ARCH = (
    "source's net, as written",
    "source's net, answer's fixes combined",
    "source's layers, as the check trained them",
    "tuned architecture",
)


def curve_nets(k, size):
    """The nets of the budget curves at ``k`` classes, by name.

    The tuned architecture is the tuned net's pick (the search of the
    fixed-budget tables, the default among its candidates), made on each
    run's training part before its curve.
    """
    return {
        SOURCE: source_net(k, 1),
        FIXED: fixed_source_net(k),
        CHECKED: checked_source_net(k),
        TUNED_ARCH: tuned_wave_net(k, size, epochs_for(size["steps"], k, 5)),
    }


CURVE_NAMES = (SOURCE, FIXED, CHECKED, TUNED_ARCH)
#: The order of the models in the tables.
MODELS = (DUMMY, LR, TUNED_LR, SVC_NAME, TUNED_SVC, KNN, TUNED_KNN, SOURCE, TUNED_NET)
NETS = (SOURCE, TUNED_NET)
#: A verdict's outcome in words ("ties" is never written).
WORDS = {
    "beats": "beats",
    "loses to": "loses to",
    "no significant difference": "shows no significant difference from",
}


def make_models(k, size):
    """The models of the fixed-budget tables at ``k`` classes, by name."""
    epochs = epochs_for(size["steps"], k, 5)
    models = baselines(n_train_rows(k, 5), tune=True)
    if k > size.get("tuned_lr_max_classes", k):
        del models[TUNED_LR]
    return {
        **models,
        SOURCE: source_net(k, epochs),
        TUNED_NET: tuned_wave_net(k, size, epochs),
    }


def curve_rule(size, target):
    return CurveRule(
        max_steps=size["max_steps"], target=target, min_steps=size["min_steps"]
    )


# -- the curves, summed up ------------------------------------------------------------
def best_net(match, k):
    rows = match[match["n_classes"] == k]
    return rows.sort_values(
        ["matched", "steps", "best_accuracy"], ascending=[False, True, False]
    ).iloc[0]


def match_text(summary, match, k, max_steps):
    simple = best_simple(summary, k)
    net = best_net(match, k)
    head = (
        f"k={k}: {simple['model']} {simple['accuracy_mean']:.3f} in "
        f"{simple['fit_time_mean']:.3f} s"
    )
    if net["matched"] == 0:
        return (
            f"{head}; no net comes within 0.01 of it within {max_steps:,} steps "
            f"(best: {net['model']}, median best {net['best_accuracy']:.3f})"
        )
    return (
        f"{head}; {net['model']} matches it in {net['matched']} of {net['runs']} "
        f"runs, median {net['steps']:,.0f} steps, {net['fit_seconds']:.3g} s "
        "(one fit)"
    )


def findings(results, summary, curves, match, size):
    ks = sorted(int(k) for k in summary["n_classes"].unique())
    headline = (
        "On the wave task the nets' shortfall is a matter of budget, and the "
        "budget is the finding: per class count, the best net against the best "
        "simple model (held-out accuracy, within 0.01): "
        + "; ".join(match_text(summary, match, k, size["max_steps"]) for k in ks)
        + "."
    )
    bullets = [
        "Budget curves (steps to match, median over the runs that match; stop "
        "rules per run): "
        + "; ".join(
            f"k={r.n_classes} {r.model}: {r.matched}/{r.runs} match"
            + (f" at {r.steps:,.0f} steps, {r.fit_seconds:.3g} s" if r.matched else "")
            + f" ({r.stops})"
            for r in match.itertuples()
        )
        + "."
    ]
    fixed = []
    for k in ks:
        rows = results[results["n_classes"] == k]
        simple = best_simple(summary, k)
        sk = summary[(summary["n_classes"] == k) & summary["model"].isin(NETS)]
        net = sk.loc[sk["accuracy_mean"].idxmax()]
        test = verdict(rows, simple["model"], net["model"])
        fixed.append(
            f"k={k}: {simple['model']} {WORDS[test['outcome']]} {net['model']} "
            f"{test['text']}"
        )
    bullets.append(
        f"At the fixed budget of {size['steps']:,} steps (the tables below), "
        "which is not enough for the nets: " + "; ".join(fixed) + "."
    )
    if "chosen" in curves:
        picks = curves.dropna(subset=["chosen"]).drop_duplicates("key")
        bullets.append(
            "The tuned architecture, picked on each run's training part (median "
            "search time per run in brackets): "
            + "; ".join(
                f"k={k}: "
                + " | ".join(sorted(set(rows["chosen"])))
                + f" ({rows['search_seconds'].median():.1f} s)"
                for k, rows in picks.groupby("n_classes")
            )
            + "."
        )
    spread = summary[summary["model"].isin(NETS)].nlargest(1, "accuracy_seed_std")
    if not spread.empty:
        row = spread.iloc[0]
        bullets.append(
            f"The seed matters for the nets at the fixed budget: the largest "
            f"spread over seeds of a cross-validated mean is ± "
            f"{row['accuracy_seed_std']:.3f} ({row['model']} at "
            f"k={row['n_classes']}, mean {row['accuracy_mean']:.3f})."
        )
    return headline, bullets


# -- tables and figures ---------------------------------------------------------------
def match_table(match, summary):
    rows = []
    for r in match.itertuples():
        simple = best_simple(summary, r.n_classes)
        rows.append(
            {
                "k": r.n_classes,
                "net": r.model,
                "target": f"{simple['model']} {simple['accuracy_mean']:.3f}",
                "matched": f"{r.matched}/{r.runs}",
                "steps": "-" if not r.matched else f"{r.steps:,.0f}",
                "s, one fit": "-" if not r.matched else f"{r.fit_seconds:.3g} s",
                "s, curve": "-" if not r.matched else f"{r.seconds:.3g} s",
                "best acc.": f"{r.best_accuracy:.3f}",
            }
        )
    return pd.DataFrame(rows).set_index("k")


# -- main -----------------------------------------------------------------------------
def compute(run, size):
    """The fixed-budget cells and the curves, resuming what is done."""
    args = run.args
    store = CurveStore(Path(args.results_dir) / f"{NAME}.curves.jsonl", args.resume)
    frames, curves = [], []
    for k in size["class_counts"]:
        X, y = wave_data(k, size["n_features"], args.data_seed)
        run.say(f"{k} classes: {X.shape[0]} rows x {X.shape[1]} features")
        frames.append(
            run.compare(
                make_models(k, size), X, y, n_classes=k, n_features=size["n_features"]
            )
        )
        summary = summarize(frames[-1], by=["n_classes", "model"])
        target = float(best_simple(summary, k)["accuracy_mean"])
        run.say(f"{k} classes: budget curves to {target:.3f}")
        curves.append(
            run_curves(
                store,
                curve_nets(k, size),
                X,
                y,
                runs=size["curve_runs"][k],
                rule=curve_rule(size, target),
                data_seed=args.data_seed,
                n_jobs=args.n_jobs,
                commit=run.commit,
                n_classes=k,
                n_features=size["n_features"],
            )
        )
    results = pd.concat(frames, ignore_index=True)
    curves = pd.concat(curves, ignore_index=True)
    return results, curves


def main(argv=None):
    argv = sys.argv[1:] if argv is None else [str(arg) for arg in argv]
    args = parse_args(NAME, __doc__.split("\n\n")[0], SIZES, argv)
    run = Run(NAME, args, argv)
    size = args.size
    results, curves = computed_or_loaded(run, args, compute)
    summary = summarize(results, by=["n_classes", "model"])
    match = to_match(curves)
    headline, bullets = findings(results, summary, curves, match, size)

    ks = list(size["class_counts"])
    k_max = max(ks)
    rule = curve_rule(size, None)
    setup = [
        f"Data: `make_waves(n_samples_per_class={N_SAMPLES_PER_CLASS}, n_classes=k, "
        f"n_features={size['n_features']}, order='interleaved', "
        f"random_state={args.data_seed})` for k in {ks}.",
        f"Budget curves: {SOURCE}: {describe_source_net(k_max, 1)} at k={k_max} "
        f"(docs/source_net.md); {FIXED}: `StandardScaler`, one hidden layer of "
        "8k gaussian units, shuffled batches, Adam at 1e-3; "
        f"{CHECKED}: `StandardScaler`, the source's `(k, 2k)` sigmoid layers, "
        f"shuffled batches of {BATCH_SIZE}, Adam at 1e-3; {TUNED_ARCH}: the "
        "tuned net's pick (its search below, the default among the "
        "candidates), made on each run's training part before the curve (the "
        "search's time is not in the curve's seconds). Runs per k: "
        f"{size['curve_runs']}; run i trains with model seed i on the training "
        "part of fold i of 5 stratified, shuffled folds and is scored on its "
        "held-out part, one `partial_fit` epoch at a time (the optimizer state "
        "carries on) with checkpoints at steps growing by sqrt(2). "
        + rule.describe()
        + " The target is the best simple model's cross-validated mean accuracy "
        "at k. Seconds: training wall time summed over the run's epochs, each "
        "a `partial_fit` call (its overhead included), scoring excluded; "
        "*one fit*: the wall time of one `fit` of the same net for the epochs "
        "at which the run stopped, the second of two such fits after the curve "
        "(the training loop compiled; a first fit in a fresh process pays the "
        "compilation once more, a few seconds).",
        f"Fixed-budget tables: model seeds {args.seeds} x 5 stratified folds; "
        f"simple models from `skclassify compare`'s registry behind a "
        f"`StandardScaler`, their tuned twins its grid searches (3 inner "
        f"folds, the default in each grid); the source's net and the tuned net "
        f"({size['budget'].describe()}) get {size['steps']:,} gradient steps "
        f"(epochs "
        + ", ".join(f"{epochs_for(size['steps'], k, 5)} at k={k}" for k in ks)
        + "). Mean ± std over all runs, then (seeds ± s) the spread of the "
        "seeds' means. Fit time: one run's fit, search included.",
    ]
    sections = {
        "Setup": "\n\n".join(setup),
        "Steps and seconds to match the best simple model": match_table(match, summary),
        **{
            f"Budget curves, {k} classes": plot_curves(
                curves, summary, k, list(CURVE_NAMES)
            )
            for k in sorted(curves["n_classes"].unique())
        },
        f"Accuracy at a fixed budget of {size['steps']:,} steps": split_columns(
            mean_std_table(summary, columns="n_classes", order=MODELS), 3
        ),
        f"Fit time in seconds at a fixed budget of {size['steps']:,} steps": (
            split_columns(
                mean_std_table(
                    summary,
                    "fit_time",
                    columns="n_classes",
                    fmt=".2f",
                    seed_std=False,
                    order=MODELS,
                ),
                4,
            )
        ),
    }
    run.write(
        title="Wave task: the steps and seconds a net needs to match an SVC",
        headline=headline,
        findings=bullets,
        sections=sections,
        curves=curves,
    )
    return summary


if __name__ == "__main__":
    main()
