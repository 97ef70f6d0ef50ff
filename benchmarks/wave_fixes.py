"""Benchmark: the answer's fixes for the source's net, as budget curves.

The source's net (docs/source_net.md) barely learns the many-class wave task
in a few hundred steps. The answer suggests: more epochs; another optimizer;
normalised inputs (``(x - 0.5) / 0.289``); a wider single hidden layer
``(8k,)`` or a Gaussian-like activation; randomly sampled batches. Each fix,
alone and combined with input scaling (a StandardScaler), is one budget curve
on the same axes: held-out accuracy against gradient steps and seconds, one
training run per (split, seed), until it reaches the best simple model's
accuracy, plateaus or hits the cap (:class:`skclassify.evaluation.CurveRule`).
"More epochs" is the source's net's own curve. Shuffled batches are left out
where one batch holds every training row (they cannot change anything there).
Beside them: dummy, LR, RBF-SVC, kNN, their tuned twins and the tuned net,
cross-validated at a fixed budget.

Usage::

    python benchmarks/wave_fixes.py                  # standard size, 32 classes
    python benchmarks/wave_fixes.py --full           # 256 classes
    python benchmarks/wave_fixes.py --quick          # smoke test
    python benchmarks/wave_fixes.py --full --output-dir docs/benchmarks --resume
    python benchmarks/wave_fixes.py \\
        --from-cells docs/benchmarks/wave_fixes.cells.jsonl.gz

Full size, estimated on 2 cores: at most about 1.5 hours of curves (16 nets x
3 runs at 256 classes; a run to the 50,000-step cap costs some 175 s for the
(256, 512) net, about 3 times that for the (2048,) nets: 2.9 CPU-hours if
none stops early) and about 25 minutes of fixed-budget cells. ``--resume``
keeps finished cells and curves.
"""

import sys
from pathlib import Path

import pandas as pd
from _cells import CurveStore
from _common import TUNED_NET, Budget, Run, baselines, computed_or_loaded, parse_args
from _waves import (
    BATCH_SIZE,
    N_SAMPLES_PER_CLASS,
    best_simple,
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
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from skclassify.evaluation import CurveRule
from skclassify.reporting import mean_std_table, summarize

NAME = "wave_fixes"

#: Sizes: the class count, the gradient steps of every variant, the learning
#: rates of the optimizer sweep and the search budget of the tuned contenders.
SIZES = {
    "quick": {
        "n_classes": 8,
        "n_features": 20,
        "steps": 40,
        "sweep": {"adam": (1e-3, 1e-2)},
        "budget": Budget(n_candidates=3),
        "widths": (2,),
        "activations": ("relu",),
        "max_steps": 400,
        "min_steps": 100,
        "runs": 1,
    },
    "standard": {
        "n_classes": 32,
        "n_features": 200,
        "steps": 300,
        "sweep": {"adam": (1e-4, 1e-3, 1e-2)},
        "budget": Budget(n_candidates=3),
        "widths": (1, 8),
        "activations": ("relu", "gaussian"),
        "max_steps": 20_000,
        "min_steps": 1000,
        "runs": 2,
    },
    "full": {
        "n_classes": 256,
        "n_features": 200,
        "steps": 1200,
        "sweep": {"adam": (1e-4, 1e-3, 1e-2)},
        # at least 20 candidates; with the default, 28 (DefaultOrTuned)
        "budget": Budget(n_candidates=27),
        "widths": (1, 2, 4),
        "activations": ("relu", "tanh", "sigmoid", "gaussian"),
        "batch_sizes": (64, 128, 256),
        "max_steps": 50_000,
        "min_steps": 5000,
        "runs": 3,
    },
}
SOURCE = "source's net (more epochs)"
COMBINED = "all fixes combined"
FIXED_BUDGET = "source's net, fixed budget"


def answer_normalisation(X):
    """The answer's fixed input normalisation, ``(X - 0.5) / 0.289``."""
    return (X - 0.5) / 0.289


def make_variants(k, sweep):
    """The source's net and its fixes, alone and with scaling (report order).

    Shuffled batches only where a training fold holds more than one batch.
    """

    def net(**changes):
        return source_net(k, 1, **changes)

    def scaled(model):
        return make_pipeline(StandardScaler(), model)

    fixes = {
        f"optimizer: {optimizer}, lr={lr:g}": {
            "optimizer": optimizer,
            "learning_rate": lr,
        }
        for optimizer, rates in sweep.items()
        for lr in rates
    }
    fixes["layers: (8k,)"] = {"hidden_layer_sizes": (8 * k,)}
    fixes["activation: gaussian"] = {"activation": "gaussian"}
    if n_train_rows(k, 5) > BATCH_SIZE:
        fixes["batches: shuffled"] = {"shuffle": True}
    variants = {
        SOURCE: net(),
        "inputs: StandardScaler": scaled(net()),
        "inputs: (x - 0.5) / 0.289": make_pipeline(
            FunctionTransformer(answer_normalisation), net()
        ),
    }
    for name, changes in fixes.items():
        variants[name] = net(**changes)
        variants[f"{name} + scaling"] = scaled(net(**changes))
    variants[COMBINED] = fixed_source_net(k)
    return variants


def make_contenders(k, size):
    """Simple models, their tuned twins, the source's net and the tuned net."""
    epochs = epochs_for(size["steps"], k, 5)
    return {
        **baselines(n_train_rows(k, 5), tune=True),
        FIXED_BUDGET: source_net(k, epochs),
        TUNED_NET: tuned_wave_net(k, size, epochs),
    }


def findings(summary, match, k, size):
    simple = best_simple(summary, k)
    acc = summary.set_index("model")["accuracy_mean"]
    hit = match[match["matched"] > 0].sort_values("steps")
    source = match.set_index("model").loc[SOURCE]
    target = f"{simple['model']} ({simple['accuracy_mean']:.3f})"
    if hit.empty:
        headline = (
            f"At {k} classes no variant of the source's net reaches {target} "
            f"within {size['max_steps']:,} steps."
        )
    else:
        first = hit.iloc[0]
        headline = (
            f"At {k} classes {len(hit)} of {len(match)} variants of the source's "
            f"net reach {target} within {size['max_steps']:,} steps; the "
            f"fastest, *{first['model']}*, in {first['steps']:,.0f} steps "
            f"({first['fit_seconds']:.3g} s for one fit) against "
            f"{simple['fit_time_mean']:.3f} s for the {simple['model']}."
        )
    more = (
        f"matches it in {source['matched']} of {source['runs']} runs, median "
        f"{source['steps']:,.0f} steps"
        if source["matched"]
        else f"does not match it (median best {source['best_accuracy']:.3f})"
    )
    bullets = [
        f"More epochs alone: the source's net as written {more}; its stops: "
        f"{source['stops']}.",
        "Each fix, steps to match (median over the runs that match) or the "
        "median best accuracy: "
        + "; ".join(
            f"*{r.model}* "
            + (f"{r.steps:,.0f} steps" if r.matched else f"best {r.best_accuracy:.3f}")
            for r in match.itertuples()
            if r.model != SOURCE
        )
        + ".",
        f"At the fixed budget of {size['steps']:,} steps the tuned net scores "
        f"{acc[TUNED_NET]:.3f} and the source's net {acc[FIXED_BUDGET]:.3f}.",
    ]
    return headline, bullets


def match_table(match):
    return pd.DataFrame(
        {
            "variant": match["model"],
            "matched": [
                f"{m}/{n}" for m, n in zip(match["matched"], match["runs"], strict=True)
            ],
            "steps": [
                "-" if not m else f"{s:,.0f}"
                for m, s in zip(match["matched"], match["steps"], strict=True)
            ],
            "s, one fit": [
                "-" if not m else f"{s:.2f} s"
                for m, s in zip(match["matched"], match["fit_seconds"], strict=True)
            ],
            "best acc.": [f"{a:.3f}" for a in match["best_accuracy"]],
            "stops": match["stops"],
        }
    ).set_index("variant")


# -- main -----------------------------------------------------------------------------
def compute(run, size):
    args = run.args
    k = size["n_classes"]
    X, y = wave_data(k, size["n_features"], args.data_seed)
    results = run.compare(
        make_contenders(k, size), X, y, n_classes=k, n_features=size["n_features"]
    )
    target = float(
        best_simple(summarize(results, by=["n_classes", "model"]), k)["accuracy_mean"]
    )
    run.say(f"budget curves to {target:.3f}")
    store = CurveStore(Path(args.results_dir) / f"{NAME}.curves.jsonl", args.resume)
    curves = run_curves(
        store,
        make_variants(k, size["sweep"]),
        X,
        y,
        runs=size["runs"],
        rule=CurveRule(
            max_steps=size["max_steps"], target=target, min_steps=size["min_steps"]
        ),
        data_seed=args.data_seed,
        n_jobs=args.n_jobs,
        commit=run.commit,
        n_classes=k,
        n_features=size["n_features"],
    )
    return results, curves


def main(argv=None):
    argv = sys.argv[1:] if argv is None else [str(arg) for arg in argv]
    args = parse_args(NAME, __doc__.split("\n\n")[0], SIZES, argv)
    run = Run(NAME, args, argv)
    size = args.size
    k = size["n_classes"]
    results, curves = computed_or_loaded(run, args, compute)
    summary = summarize(results, by=["n_classes", "model"])
    match = to_match(curves)
    headline, bullets = findings(summary, match, k, size)
    rule = CurveRule(max_steps=size["max_steps"], min_steps=size["min_steps"])
    setup = [
        f"Data: `make_waves(n_samples_per_class={N_SAMPLES_PER_CLASS}, "
        f"n_classes={k}, n_features={size['n_features']}, order='interleaved', "
        f"random_state={args.data_seed})`.",
        f"The source's net ([definition](../source_net.md)): "
        f"{describe_source_net(k, 1)}, trained one epoch at a time. Every "
        "variant changes one thing, and again with a `StandardScaler` in "
        "front (*+ scaling*); the optimizers are swept over "
        f"{size['sweep']}; *{COMBINED}*: StandardScaler, `(8k,)` Gaussian "
        "units, shuffled batches and Adam at 1e-3."
        + (
            ""
            if n_train_rows(k, 5) > BATCH_SIZE
            else f" Shuffled batches are left out: a training fold's "
            f"{n_train_rows(k, 5)} rows make one batch of {BATCH_SIZE}."
        ),
        f"Budget curves: {size['runs']} run(s) per variant; run i trains with "
        "model seed i on the training part of fold i of 5 stratified, shuffled "
        "folds and is scored on its held-out part at steps growing by "
        "sqrt(2), one `partial_fit` epoch at a time (the optimizer state "
        "carries on). "
        + rule.describe()
        + " The target is the best simple model's cross-validated mean "
        "accuracy. *s, one fit*: one `fit` of the epochs at which the run "
        "stopped, the second of two such fits (the training loop compiled).",
        f"Fixed-budget table: model seeds {args.seeds} x 5 folds; simple models "
        "from `skclassify compare`'s registry behind a `StandardScaler` and "
        "their tuned twins (its grid searches, the default in each grid); the "
        f"source's net and the tuned net ({size['budget'].describe()}) with "
        f"{size['steps']:,} gradient steps.",
    ]
    columns = {"accuracy": ".3f", "fit_time": ".2f"}
    table = pd.concat(
        [
            mean_std_table(summary, metric, fmt=fmt, seed_std=metric == "accuracy")
            for metric, fmt in columns.items()
        ],
        axis=1,
    ).reindex(summary["model"])
    table.columns = ["accuracy", "fit time (s)"]
    sections = {
        "Setup": "\n\n".join(setup),
        "Steps to match the best simple model": match_table(match),
        "Budget curves": plot_curves(curves, summary, k, list(match["model"])),
        f"Cross-validated scores at a fixed budget of {size['steps']:,} steps": [
            "Mean ± std over all runs; (seeds ± s): the spread of the seeds' "
            "means. Fit time includes the search for tuned models.",
            table,
        ],
    }
    run.write(
        title=f"Wave task, {k} classes: the answer's fixes for the source's net",
        headline=headline,
        findings=bullets,
        sections=sections,
        curves=curves,
    )
    return summary


if __name__ == "__main__":
    main()
