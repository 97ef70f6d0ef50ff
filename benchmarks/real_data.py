"""Benchmark: nets against simple models on scikit-learn's bundled real data.

Does a net ever win on real tabular data? Four small data sets that ship with
scikit-learn (breast_cancer, digits, wine, iris; no download) are
cross-validated over 3 model seeds x 5 folds on the same folds: the baselines
LR, RBF-SVC and kNN, the net with the estimator's defaults behind a
StandardScaler, and the tuned contenders (LR over C, RBF-SVC over C and gamma,
a net over learning rate, width and activation), each a nested
successive-halving search under one budget rule.

Usage::

    python benchmarks/real_data.py                 # standard size
    python benchmarks/real_data.py --full          # larger search budget
    python benchmarks/real_data.py --quick         # smoke test
    python benchmarks/real_data.py --output-dir docs/benchmarks   # committed page
"""

import sys

import pandas as pd
from _common import (
    SIMPLE_MODELS,
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
    tuned_net,
    tuned_svc,
    verdict,
)
from scipy.stats import loguniform
from sklearn import datasets
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skclassify import KerasMLPClassifier
from skclassify.reporting import mean_std_table, plot_heatmap, summarize

NAME = "real_data"

#: The data sets: name -> loader of scikit-learn (bundled, no download).
DATASETS = {
    "breast_cancer": datasets.load_breast_cancer,
    "digits": datasets.load_digits,
    "wine": datasets.load_wine,
    "iris": datasets.load_iris,
}
SIZES = {
    "quick": {
        "datasets": ("iris",),
        "epochs": 30,
        "budget": Budget(n_candidates=3),
        "widths": (32,),
    },
    "standard": {
        "datasets": tuple(DATASETS),
        "epochs": 200,
        "budget": Budget(n_candidates=3),
        "widths": (32, 256),
    },
    "full": {
        "datasets": tuple(DATASETS),
        "epochs": 400,
        "budget": Budget(n_candidates=27),
        "widths": (32, 100, 256, 512),
    },
}
NET = "net, defaults"
NETS = (NET, TUNED_NET)


def net_space(size):
    return {
        "learning_rate": loguniform(1e-4, 1e-1),
        "hidden_layer_sizes": [(w,) for w in size["widths"]],
        "activation": ["relu", "tanh"],
        "alpha": loguniform(1e-6, 1e-1),
    }


def make_models(size):
    """The models compared on every data set, by name."""
    return {
        **baselines(),
        TUNED_LR: tuned_lr(size["budget"]),
        TUNED_SVC: tuned_svc(size["budget"]),
        NET: make_pipeline(StandardScaler(), KerasMLPClassifier(epochs=size["epochs"])),
        TUNED_NET: tuned_net(size["budget"], net_space(size), size["epochs"]),
    }


def findings(results, summary):
    per_data = {}
    for name, rows in results.groupby("dataset", sort=False):
        table = summary[summary["dataset"] == name]
        simple = best_of(table, SIMPLE_MODELS)
        net = best_of(table, NETS)
        per_data[name] = (
            simple,
            net,
            verdict(rows, net["model"], simple["model"]),
        )
    wins = [n for n, (_, _, v) in per_data.items() if v["outcome"] == "beats"]
    losses = [n for n, (_, _, v) in per_data.items() if v["outcome"] == "loses to"]
    ties = [n for n in per_data if n not in wins + losses]
    headline = (
        f"On {len(per_data)} bundled real data sets the best net beats the best "
        f"simple model on {len(wins)} ({', '.join(wins) or 'none'}), ties on "
        f"{len(ties)} ({', '.join(ties) or 'none'}) and loses on {len(losses)} "
        f"({', '.join(losses) or 'none'}); the largest difference in the net's "
        f"favour is "
        f"{max(v['mean_diff'] for _, _, v in per_data.values()):+.3f}."
    )
    bullets = [
        f"{name}: best net {net['model']} {net['accuracy_mean']:.3f} against "
        f"{simple['model']} {simple['accuracy_mean']:.3f}, net - simple "
        f"{test['text']}: the net {test['outcome']} it; fit "
        f"{net['fit_time_mean']:.2f} s against {simple['fit_time_mean']:.2f} s "
        "per run."
        for name, (simple, net, test) in per_data.items()
    ][:4]
    bullets.append(
        f"Verdicts: beats / loses only when the mean difference over all seeds "
        f"x folds exceeds {TOLERANCE} and the corrected resampled t-test gives "
        "p < 0.05; the tuned models' fit times include their search."
    )
    return headline, bullets


def main(argv=None):
    argv = sys.argv[1:] if argv is None else [str(arg) for arg in argv]
    args = parse_args(NAME, __doc__.split("\n\n")[0], SIZES, argv)
    run = Run(NAME, args, argv)
    size = args.size

    frames, described, convergence = [], [], []
    for name in size["datasets"]:
        X, y = DATASETS[name](return_X_y=True)
        run.say(f"{name}: {X.shape[0]} rows x {X.shape[1]} features")
        frames.append(run.compare(make_models(size), X, y, dataset=name))
        counts = pd.Series(y).value_counts()
        described.append(
            f"`{name}`: {X.shape[0]} rows, {X.shape[1]} features, {len(counts)} "
            f"classes (majority share {counts.max() / len(y):.3f})"
        )
        convergence.append(f"{name}: {lr_convergence(X, y)}")
    results = pd.concat(frames, ignore_index=True)
    summary = summarize(results, by=["dataset", "model"])
    headline, bullets = findings(results, summary)

    order = list(make_models(SIZES["quick"]))
    accuracy = summary.pivot(index="model", columns="dataset", values="accuracy_mean")
    setup = [
        "Data: "
        + "; ".join(described)
        + ". 5 stratified, shuffled folds per data set (the same for every model "
        f"and seed), model seeds {args.seeds}.",
        f"Net with defaults: `StandardScaler` then "
        f"`KerasMLPClassifier(epochs={size['epochs']})`: one hidden layer of 100 "
        "relu units, Adam at 1e-3, alpha 1e-4, batches of min(200, n) rows, "
        "stopping when the training loss has not improved by 1e-4 for 10 epochs "
        "(scikit-learn's MLPClassifier rule).",
        "Baselines: `StandardScaler` then `LogisticRegression(max_iter=10000)`, "
        "`SVC()` (RBF) and `KNeighborsClassifier()`. " + " ".join(convergence),
        f"Tuned contenders: {size['budget'].describe()}. Search spaces: "
        f"{describe_spaces(net_space(size))}, up to {size['epochs']} epochs.",
    ]
    sections = {
        "Setup": "\n\n".join(setup),
        "Accuracy": [
            "Mean ± std over all runs; (seeds ± s): the spread over seeds of "
            "each seed's mean over folds.",
            mean_std_table(summary, columns="dataset", order=order),
        ],
        "Fit time in seconds (search included)": mean_std_table(
            summary, "fit_time", columns="dataset", fmt=".2f", order=order
        ),
        "Accuracy by data set": plot_heatmap(
            accuracy.reindex(order),
            title="Mean accuracy (colour scale from 0)",
            vmin=0.0,
            vmax=1.0,
            fmt=".3f",
            colorbar_label="accuracy",
        ),
    }
    run.write(
        title="Real data: nets against simple models on scikit-learn's data sets",
        headline=headline,
        findings=bullets,
        sections=sections,
    )
    return summary


if __name__ == "__main__":
    main()
