"""Benchmark: the "x/256 is class x" wave task against the number of classes.

Every sample of class ``i`` is a constant "waveform" at level ``i / (k - 1)``
plus tiny noise (:func:`skclassify.datasets.make_waves`), rows in the source's
interleaved order. For each class count ``k`` the report cross-validates, over
3 model seeds x 5 folds on the same folds:

- the baselines LR, RBF-SVC and kNN (scikit-learn defaults, standardised
  inputs, LR converged);
- the source's net and the answer's ``(8k,)`` net (docs/source_net.md), with
  the same number of gradient steps at every ``k``;
- tuned contenders, each a nested successive-halving search under one budget
  rule: LR over C, RBF-SVC over C and gamma, a net over learning rate, width
  and activation with the epochs as the halving resource.

A budget curve then follows the held-out accuracy of the nets against their
gradient steps and wall time at one class count, next to the SVC and LR.

Usage::

    python benchmarks/waves.py                 # standard size: k = 4, 16, 32
    python benchmarks/waves.py --full          # k = 4, 16, 64, 256
    python benchmarks/waves.py --quick         # smoke test
    python benchmarks/waves.py --output-dir docs/benchmarks   # the committed page

Reports go to ``benchmarks/results/waves/<size>/`` (ignored by git) unless
``--output-dir`` says otherwise.
"""

import sys

import pandas as pd
from _common import (
    KNN,
    LR,
    SIMPLE_MODELS,
    SVC_NAME,
    TOLERANCE,
    TUNED_LR,
    TUNED_NET,
    TUNED_SVC,
    Budget,
    Run,
    baselines,
    best_of,
    describe_spaces,
    lr_convergence,
    parse_args,
    tuned_lr,
    tuned_svc,
    verdict,
)
from _waves import (
    BATCH_SIZE,
    N_SAMPLES_PER_CLASS,
    answer_net,
    batches_per_epoch,
    budget_curve,
    describe_source_net,
    epochs_for,
    net_space_text,
    source_net,
    tuned_wave_net,
    wave_data,
)

from skclassify.reporting import (
    mean_std_table,
    plot_metric,
    split_columns,
    summarize,
)

NAME = "waves"

#: Sizes: the class counts, the gradient steps of the fixed nets, the search
#: budget and the budget curve (class count, checkpoints in epochs).
SIZES = {
    "quick": {
        "class_counts": (8,),
        "n_features": 20,
        "steps": 40,
        "budget": Budget(n_candidates=3),
        "widths": (2,),
        "activations": ("relu",),
        "curve_classes": 8,
        "curve_epochs": (20, 40),
    },
    "standard": {
        "class_counts": (4, 16, 32),
        "n_features": 200,
        "steps": 300,
        "budget": Budget(n_candidates=3),
        "widths": (1, 8),
        "activations": ("relu", "gaussian"),
        "curve_classes": 32,
        "curve_epochs": (75, 150, 300, 600),
    },
    "full": {
        "class_counts": (4, 16, 64, 256),
        "n_features": 200,
        "steps": 1200,
        "budget": Budget(n_candidates=3),
        "widths": (1, 8),
        "activations": ("relu", "gaussian"),
        "curve_classes": 64,
        "curve_epochs": (150, 300, 600, 1200, 2400),
        # Converged LR fits at large C cost minutes from 128 classes on (the
        # same 200 nearly identical features, ever more classes): the tuned
        # LR runs up to this class count; the default LR runs everywhere.
        "tuned_lr_max_classes": 64,
    },
}
SOURCE, ANSWER = "source's net (k, 2k)", "answer's net (8k,)"
NETS = (SOURCE, ANSWER, TUNED_NET)
MODERN = "modern (8k,) net"
#: The order of the models in the tables.
MODELS = (LR, TUNED_LR, SVC_NAME, TUNED_SVC, KNN, *NETS)


def make_models(k, size):
    """The models compared at ``k`` classes, by name (report order)."""
    epochs = epochs_for(size["steps"], k, 5)
    budget = size["budget"]
    lr = {TUNED_LR: tuned_lr(budget)} if k <= tuned_lr_max_classes(size) else {}
    return {
        **baselines(),
        **lr,
        TUNED_SVC: tuned_svc(budget),
        SOURCE: source_net(k, epochs),
        ANSWER: answer_net(k, epochs),
        TUNED_NET: tuned_wave_net(k, size, epochs),
    }


def tuned_lr_max_classes(size):
    """The largest class count at which the tuned LR runs."""
    return size.get("tuned_lr_max_classes", max(size["class_counts"]))


def curve_nets(k):
    """The nets of the budget curve: the source's and a modern one."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        SOURCE: source_net(k, 1),
        MODERN: make_pipeline(
            StandardScaler(),
            answer_net(k, 1, activation="relu", optimizer="adam", shuffle=True),
        ),
    }


# -- findings -------------------------------------------------------------------------
def findings(results, summary, curve, curve_summary, size):
    """The headline and at most five findings, computed over seeds x folds."""
    ks = [int(k) for k in sorted(summary["n_classes"].unique())]
    per_k = {}
    for k in ks:
        rows = results[results["n_classes"] == k]
        sk = summary[summary["n_classes"] == k]
        simple = best_of(sk, SIMPLE_MODELS)
        net = best_of(sk, NETS)
        lr = best_lr(rows)
        per_k[k] = {
            "simple": simple,
            "net": net,
            "vs": verdict(rows, simple["model"], net["model"]),
            "lr_name": lr,
            "lr": {n: verdict(rows, n, lr) for n in NETS},
        }
    k_max = ks[-1]
    top = per_k[k_max]
    simple, net = top["simple"], top["net"]
    cost = (
        f"fitting in {simple['fit_time_mean']:.2f} s against "
        f"{net['fit_time_mean']:.2f} s per run"
    )
    outcome = top["vs"]["outcome"]
    headline = (
        f"On the wave task with {k_max} classes, the best simple model "
        f"({simple['model']}, {simple['accuracy_mean']:.3f}) {outcome} the best "
        f"net ({net['model']}, {net['accuracy_mean']:.3f}): difference "
        f"{top['vs']['text']}, {cost}."
    )
    bullets = []
    wins = [k for k in ks if per_k[k]["vs"]["outcome"] == "beats"]
    ties = [k for k in ks if per_k[k]["vs"]["outcome"] == "ties"]
    bullets.append(
        f"Best simple model against best net, per class count (beats: mean "
        f"difference > {TOLERANCE} and corrected t-test p < 0.05): simple model "
        f"wins at k = {wins or 'none'}, ties at k = {ties or 'none'}, loses at "
        f"k = {[k for k in ks if k not in wins + ties] or 'none'}. "
        + "; ".join(
            f"k={k}: {per_k[k]['simple']['model']} vs {per_k[k]['net']['model']} "
            f"{per_k[k]['vs']['text']}"
            for k in ks
        )
        + "."
    )
    beat_lr = [
        k for k in ks if any(v["outcome"] == "beats" for v in per_k[k]["lr"].values())
    ]
    untuned = [k for k in ks if per_k[k]["lr_name"] != TUNED_LR]
    against = "the tuned LR" + (
        f" (the default LR at k = {untuned}, where the tuned one is not run)"
        if untuned
        else ""
    )
    bullets.append(
        f"Against {against} a net wins at k = {beat_lr or 'none'}"
        + (
            f"; at k={k_max}: "
            + "; ".join(f"{n} {v['text']}" for n, v in per_k[k_max]["lr"].items())
            if k_max in per_k
            else ""
        )
        + "."
    )
    spread = summary[summary["model"].isin(NETS)].nlargest(1, "accuracy_seed_std")
    if not spread.empty:
        row = spread.iloc[0]
        bullets.append(
            f"The seed matters for the nets: the largest spread over seeds of a "
            f"cross-validated mean is ± {row['accuracy_seed_std']:.3f} "
            f"({row['model']} at k={row['n_classes']}, mean "
            f"{row['accuracy_mean']:.3f}); over all runs it is ± "
            f"{row['accuracy_std']:.3f}."
        )
    if curve is not None:
        bullets.append(curve_finding(curve, curve_summary, size))
    tuned = summary[summary["n_classes"] == k_max].set_index("model")
    bullets.append(
        f"Cost at k={k_max} (mean fit time per run, search included): "
        + ", ".join(
            f"{name} {tuned.loc[name, 'fit_time_mean']:.2f} s"
            for name in (SVC_NAME, TUNED_SVC, LR, TUNED_LR, SOURCE, TUNED_NET)
            if name in tuned.index
        )
        + "."
    )
    return headline, bullets


def best_lr(rows):
    """The LR that a net is held against: the tuned one where it ran."""
    return TUNED_LR if (rows["model"] == TUNED_LR).any() else LR


def curve_finding(curve, summary, size):
    k = size["curve_classes"]
    final = curve[curve["epochs"] == curve["epochs"].max()]
    means = final.groupby("model")["accuracy"].mean()
    best = means.idxmax()
    svc = summary[(summary["n_classes"] == k) & (summary["model"] == SVC_NAME)]
    target = float(svc["accuracy_mean"].iloc[0]) if len(svc) else float("nan")
    best_curve = curve[curve["model"] == best].groupby("steps")[
        ["accuracy", "fit_time"]
    ]
    best_curve = best_curve.mean()
    reached = best_curve[best_curve["accuracy"] >= target - TOLERANCE]
    if reached.empty:
        tail = (
            f"it does not come within {TOLERANCE} of the RBF-SVC ({target:.3f}) "
            f"within {int(best_curve.index.max())} steps"
        )
    else:
        steps = int(reached.index[0])
        tail = (
            f"it comes within {TOLERANCE} of the RBF-SVC ({target:.3f}) after "
            f"{steps} steps, {reached['fit_time'].iloc[0]:.1f} s of training"
        )
    return (
        f"Budget curve at k={k}: the best net is {best} with "
        f"{means[best]:.3f} after {int(final['steps'].max())} steps; {tail}."
    )


# -- figures --------------------------------------------------------------------------
def plot_accuracy(summary):
    counts = sorted(summary["n_classes"].unique())
    chance = pd.Series({k: 1 / k for k in counts})
    fig = plot_metric(
        summary,
        x="n_classes",
        logx=True,
        log_base=2,
        title="Wave task: cross-validated accuracy (3 seeds x 5 folds)",
        ylabel="accuracy (mean ± std over all runs)",
        references={"chance (1/k)": chance},
        dodge=0.25,
        figsize=(9.5, 5.0),
    )
    fig.axes[0].set_ylim(0, 1.05)
    fig.axes[0].legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    return fig


def plot_fit_time(summary):
    fig = plot_metric(
        summary.drop(columns="fit_time_std"),
        x="n_classes",
        y="fit_time",
        logx=True,
        log_base=2,
        title="Wave task: fit time per run (search included for tuned models)",
        ylabel="fit time per run (s)",
        figsize=(9.5, 5.0),
    )
    fig.axes[0].set_yscale("log")
    fig.axes[0].legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    return fig


def plot_curve(curve, summary, k, x):
    """Accuracy of the nets against ``x`` (steps or fit_time), SVC and LR lines."""
    table = (
        curve.groupby(["model", "epochs"], sort=False)
        .agg(
            steps=("steps", "first"),
            fit_time=("fit_time", "mean"),
            accuracy_mean=("accuracy", "mean"),
            accuracy_std=("accuracy", "std"),
        )
        .reset_index()
    )
    at_k = summary[summary["n_classes"] == k].set_index("model")["accuracy_mean"]
    references = {"chance (1/k)": 1 / k, **simple_references(at_k)}
    label = {"steps": "gradient steps", "fit_time": "training wall time (s)"}[x]
    fig = plot_metric(
        table,
        x=x,
        logx=True,
        title=f"Budget curve, k={k}: held-out accuracy against {label}",
        ylabel="accuracy (mean ± std over runs)",
        references=references,
        dodge=0.1,
        figsize=(9.5, 5.0),
    )
    fig.axes[0].set_xlabel(label)
    fig.axes[0].set_ylim(0, 1.05)
    fig.axes[0].legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    return fig


def simple_references(accuracy):
    """One reference line per distinct score of the simple models.

    Models with the same score (to 3 decimals) share one line, so that no
    line hides another; the label names them all.
    """
    lines = {}
    for name in (SVC_NAME, TUNED_SVC, LR, TUNED_LR, KNN):
        if name in accuracy:
            lines.setdefault(round(float(accuracy[name]), 3), []).append(name)
    return {
        f"{', '.join(names)} ({value:.3f})": value for value, names in lines.items()
    }


# -- main -----------------------------------------------------------------------------
def main(argv=None):
    argv = sys.argv[1:] if argv is None else [str(arg) for arg in argv]
    args = parse_args(NAME, __doc__.split("\n\n")[0], SIZES, argv)
    run = Run(NAME, args, argv)
    size = args.size

    frames = []
    for k in size["class_counts"]:
        X, y = wave_data(k, size["n_features"], args.data_seed)
        run.say(f"{k} classes: {X.shape[0]} rows x {X.shape[1]} features")
        frames.append(
            run.compare(
                make_models(k, size),
                X,
                y,
                n_classes=k,
                n_features=size["n_features"],
            )
        )
    results = pd.concat(frames, ignore_index=True)
    summary = summarize(results, by=["n_classes", "model"])

    k = size["curve_classes"]
    X, y = wave_data(k, size["n_features"], args.data_seed)
    run.say(f"budget curve at {k} classes")
    curve = budget_curve(
        curve_nets(k),
        X,
        y,
        checkpoints=size["curve_epochs"],
        seeds=args.seeds,
        cv=5,
        data_seed=args.data_seed,
        n_jobs=args.n_jobs,
    )
    curve["steps"] = curve["epochs"] * batches_per_epoch(k, 5)
    if k in size["class_counts"]:
        curve_summary = summary
    else:
        curve_summary = summarize(
            run.compare(baselines(), X, y, n_classes=k, n_features=size["n_features"]),
            by=["n_classes", "model"],
        )
    headline, bullets = findings(results, summary, curve, curve_summary, size)

    steps = size["steps"]
    epochs = ", ".join(
        f"{epochs_for(steps, k, 5)} at k={k}" for k in size["class_counts"]
    )
    k_max = max(size["class_counts"])
    k_lr = max(k for k in size["class_counts"] if k <= tuned_lr_max_classes(size))
    lr_note = (
        ""
        if k_lr == k_max
        else f" Measured at k={k_lr}, the largest k with a tuned LR, which is "
        f"not run above {k_lr} classes: its search reaches C=1e3, where "
        "lbfgs needs thousands of iterations on these 200 nearly identical "
        "features (above), each costing more with every class; the default "
        f"LR's fit time at k={k_max} is in the table below."
    )
    setup = [
        f"Data: `make_waves(n_samples_per_class={N_SAMPLES_PER_CLASS}, n_classes=k, "
        f"n_features={size['n_features']}, order='interleaved', "
        f"random_state={args.data_seed})` for k in {list(size['class_counts'])}. "
        f"Cross-validation: 5 stratified, shuffled folds (the same for every "
        f"model and seed), model seeds {args.seeds}: every cell is "
        f"{len(args.seeds)} x 5 runs.",
        f"The source's net (see [the source's net](../source_net.md)): at "
        f"k={k_max}, {describe_source_net(k_max, epochs_for(steps, k_max, 5))}; "
        f"the answer's net is the same with one hidden layer of 8k units. Both "
        f"get {steps} gradient steps at every k (batches of {BATCH_SIZE} rows, "
        f"{', '.join(str(batches_per_epoch(k, 5)) for k in size['class_counts'])} "
        f"per epoch), i.e. epochs {epochs}; they train for all of them (no "
        f"plateau stop) and their ConvergenceWarnings are silenced.",
        "Baselines: `StandardScaler` then `LogisticRegression(max_iter=10000)`, "
        "`SVC()` (RBF) and `KNeighborsClassifier()`. "
        + lr_convergence(*wave_data(k_lr, size["n_features"], args.data_seed))
        + lr_note,
        f"Tuned contenders: {size['budget'].describe()}. Search spaces: "
        f"{describe_spaces(net_space_text(size))}; the tuned net standardises its "
        f"inputs, shuffles its batches and has at most as many epochs as the "
        f"fixed nets.",
        "Tables: mean ± std over all runs, then (seeds ± s) the standard "
        "deviation over seeds of each seed's mean over folds. Fit time: one "
        "run's fit, wall time, search included for the tuned models.",
    ]
    curve_text = (
        f"Each net trains once per seed and fold (the same 5 folds x "
        f"{len(args.seeds)} seeds at k={k}), in chunks: `warm_start` continues "
        f"from one checkpoint to the next ({list(size['curve_epochs'])} epochs, "
        f"i.e. {[e * batches_per_epoch(k, 5) for e in size['curve_epochs']]} "
        "gradient steps), and the held-out fold is scored at each; the wall "
        "time is the training time summed up to the checkpoint. The "
        "horizontal lines are the simple models' cross-validated accuracy at k "
        "(their fit times are in the tables above). The nets: the source's, "
        f"and *{MODERN}*: the answer's `(8k,)` layer with today's defaults "
        "(StandardScaler, relu, Adam at 1e-3, shuffled batches)."
    )
    sections = {
        "Setup": "\n\n".join(setup),
        "Accuracy": split_columns(
            mean_std_table(summary, columns="n_classes", order=MODELS), 3
        ),
        "Fit time in seconds": split_columns(
            mean_std_table(
                summary,
                "fit_time",
                columns="n_classes",
                fmt=".2f",
                seed_std=False,
                order=MODELS,
            ),
            4,
        ),
        "Accuracy against the number of classes": plot_accuracy(summary),
        "Fit time against the number of classes": plot_fit_time(summary),
        "Budget curve": [
            curve_text,
            plot_curve(curve, curve_summary, k, "steps"),
            plot_curve(curve, curve_summary, k, "fit_time"),
        ],
    }
    run.write(
        title="Wave task: simple models against nets, by number of classes",
        headline=headline,
        findings=bullets,
        sections=sections,
    )
    return summary


if __name__ == "__main__":
    main()
