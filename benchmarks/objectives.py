"""Benchmark: losses x hidden activations x optimizers, learning rates swept.

The tutorial's experiment "arrange the objective functions on the same data
set" trains ``Dense(20, tanh) -> Dense(1, tanh)`` with the hinge loss and Adam
on 250 rows of five uniform features labelled ``sign(sum - 2.5)``
(:func:`skclassify.datasets.make_sum_threshold` with ``labels="signed"``).
Here each loss of :data:`skclassify.objectives.LOSSES` meets hidden activations
and optimizers, each optimizer at several learning rates (a ranking at Keras'
default rates says more about the rates than about the losses). Beside them:
the baselines LR, RBF-SVC and kNN and the tuned contenders (nested searches
under one budget rule), all over 3 model seeds x 5 folds on the same folds.

Usage::

    python benchmarks/objectives.py                  # standard size
    python benchmarks/objectives.py --full           # every activation and optimizer
    python benchmarks/objectives.py --quick          # smoke test
    python benchmarks/objectives.py --output-dir docs/benchmarks   # committed page
"""

import sys

import numpy as np
import pandas as pd
from _common import (
    SIMPLE_MODELS,
    TOLERANCE,
    TUNED_LR,
    TUNED_NET,
    Budget,
    Run,
    baselines,
    best_of,
    describe_spaces,
    lr_convergence,
    parse_args,
    tuned_net,
    verdict,
)
from scipy.stats import loguniform

from skclassify import KerasMLPClassifier
from skclassify.activations import ACTIVATIONS
from skclassify.datasets import make_sum_threshold
from skclassify.objectives import LOSSES, OPTIMIZERS
from skclassify.reporting import mean_std_table, plot_heatmap, summarize

NAME = "objectives"
FACTORS = ("loss", "activation", "optimizer", "learning_rate")

#: Sizes: the grid (``None``: every entry of the registry), each optimizer's
#: learning rates, and the tutorial configuration's optimizer panel.
SIZES = {
    "quick": {
        "losses": ("hinge",),
        "activations": ("tanh", "relu"),
        "grid_rates": {"adam": (1e-3, 1e-1)},
        "panel_rates": {"sgd": (1e-2, 1.0)},
        "epochs": 20,
        "budget": Budget(n_candidates=3),
    },
    "standard": {
        "losses": None,
        "activations": ("tanh",),
        "grid_rates": {"adam": (1e-3, 1e-1)},
        "panel_rates": {
            name: (1e-3, 1e-1, 1.0) for name in ("sgd", "adadelta", "adam", "rmsprop")
        },
        "epochs": 150,
        # at least 20 candidates; with the default, 28 (DefaultOrTuned)
        "budget": Budget(n_candidates=27),
    },
    "full": {
        "losses": None,
        "activations": None,
        "grid_rates": {name: (1e-3, 1e-2, 1e-1, 1.0) for name in OPTIMIZERS},
        "panel_rates": {name: (1e-3, 1e-2, 1e-1, 1.0) for name in OPTIMIZERS},
        "epochs": 150,
        "budget": Budget(n_candidates=27),
    },
}
N_SAMPLES = 250
HIDDEN_LAYER_SIZES = (20,)
BATCH_SIZE = 32
#: The tutorial's own configuration (its optimizer panel varies the optimizer).
SOURCE = ("hinge", "tanh", "adam")
#: A configuration is "at chance" within this much of the majority rate.
CHANCE_MARGIN = 0.05
NET_SPACE = {
    "learning_rate": loguniform(1e-4, 1.0),
    "hidden_layer_sizes": [(10,), (20,), (50,)],
    "activation": ["relu", "tanh"],
    "loss": ["hinge", "categorical_crossentropy"],
}


def distinct_activations():
    """Activation names, skipping aliases of an earlier entry (same function)."""
    names, seen = [], set()
    for name, function in ACTIVATIONS.items():
        key = function if isinstance(function, str) else id(function)
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names


def make_configs(size):
    """(loss, activation, optimizer, learning rate) by model name."""
    losses = size["losses"] or list(LOSSES)
    activations = size["activations"] or distinct_activations()
    grid = [
        (loss, activation, optimizer, lr)
        for loss in losses
        for activation in activations
        for optimizer, rates in size["grid_rates"].items()
        for lr in rates
    ]
    loss, activation, _ = SOURCE
    panel = [
        (loss, activation, optimizer, lr)
        for optimizer, rates in size["panel_rates"].items()
        for lr in rates
    ]
    configs = dict.fromkeys([*grid, *panel])
    return {
        " / ".join(f"{v:g}" if isinstance(v, float) else v for v in c): c
        for c in configs
    }


def make_models(configs, size):
    """One net per configuration, then the baselines and tuned contenders."""
    nets = {
        name: KerasMLPClassifier(
            hidden_layer_sizes=HIDDEN_LAYER_SIZES,
            activation=activation,
            loss=loss,
            optimizer=optimizer,
            learning_rate=lr,
            epochs=size["epochs"],
            batch_size=BATCH_SIZE,
        )
        for name, (loss, activation, optimizer, lr) in configs.items()
    }
    return {
        **baselines(N_SAMPLES * 4 // 5, tune=True),
        TUNED_NET: tuned_net(
            size["budget"], NET_SPACE, size["epochs"], batch_size=BATCH_SIZE
        ),
        **nets,
    }


# -- tables and findings --------------------------------------------------------------
def config_scores(summary, configs):
    """The nets' summary rows with one column per factor."""
    nets = summary[summary["model"].isin(list(configs))].copy()
    for i, factor in enumerate(FACTORS):
        nets[factor] = nets["model"].map(lambda name, i=i: configs[name][i])
    return nets


def best_rate(nets, by):
    """For each ``by`` group: the mean accuracy at its best learning rate."""
    return nets.groupby(by)["accuracy_mean"].max()


def findings(results, summary, nets, majority, size):
    simple = best_of(summary, SIMPLE_MODELS)
    best_net = best_of(summary, [*nets["model"], TUNED_NET])
    versus = verdict(results, simple["model"], best_net["model"])
    headline = (
        f'On the "sum > 2.5" task the best simple model, {simple["model"]} '
        f"({simple['accuracy_mean']:.3f}), {versus['outcome']} the best of "
        f"{len(nets) + 1} nets ({best_net['model']}, "
        f"{best_net['accuracy_mean']:.3f}): {versus['text']}."
    )
    grid = nets[nets["optimizer"].isin(size["grid_rates"])]
    pairs = best_rate(grid, ["loss", "activation"])
    default = grid[grid["learning_rate"] == 1e-3].groupby(["loss", "activation"])[
        "accuracy_mean"
    ]
    default = default.max()
    bullets = [
        f"With the learning rate chosen per configuration (best of "
        f"{sorted({lr for r in size['grid_rates'].values() for lr in r})}), every "
        f"loss x activation pair lands between {pairs.min():.3f} and "
        f"{pairs.max():.3f}; at the rate 1e-3 alone between {default.min():.3f} "
        f"and {default.max():.3f}. The best rate is chosen on the same folds, "
        "so these are optimistic; the tuned net is the unbiased figure.",
    ]
    loss, activation, _ = SOURCE
    panel = nets[(nets["loss"] == loss) & (nets["activation"] == activation)]
    if panel["optimizer"].nunique() > 1:
        by_opt = panel.pivot_table(
            index="optimizer", columns="learning_rate", values="accuracy_mean"
        )
        spread = (by_opt.max(axis=1) - by_opt.min(axis=1)).sort_values()
        worst = spread.index[-1]
        bullets.append(
            f"The optimizer's learning rate matters more than the optimizer: for "
            f"{loss} / {activation}, {worst} ranges from "
            f"{by_opt.loc[worst].min():.3f} to {by_opt.loc[worst].max():.3f} over "
            f"the rates; the best rate of each optimizer gives "
            f"{by_opt.max(axis=1).min():.3f} to {by_opt.max(axis=1).max():.3f}."
        )
    lr_test = verdict(results, TUNED_LR, TUNED_NET)
    accuracy = summary.set_index("model")["accuracy_mean"]
    bullets.append(
        f"The tuned, converged LR ({accuracy[TUNED_LR]:.3f}) against the tuned "
        f"net ({accuracy[TUNED_NET]:.3f}): "
        f"{lr_test['outcome']}, {lr_test['text']} (a difference counts when "
        f"it is at least {TOLERANCE} with p < 0.05). The label is a linear function of "
        "the inputs."
    )
    beaten = int((nets["accuracy_mean"] < simple["accuracy_mean"] - TOLERANCE).sum())
    at_chance = int((nets["accuracy_mean"] <= majority + CHANCE_MARGIN).sum())
    bullets.append(
        f"{beaten} of {len(nets)} net configurations score more than {TOLERANCE} "
        f"below {simple['model']}; {at_chance} stay within {CHANCE_MARGIN} of "
        f"the majority rate ({majority:.3f})."
    )
    return headline, bullets


def heatmap(table, title, vmin):
    fig = plot_heatmap(
        table, title=title, vmin=vmin, vmax=1.0, colorbar_label="mean accuracy"
    )
    for label in fig.axes[0].get_xticklabels():
        label.set_rotation(35)
        label.set_horizontalalignment("right")
    return fig


# -- main -----------------------------------------------------------------------------
def main(argv=None):
    argv = sys.argv[1:] if argv is None else [str(arg) for arg in argv]
    args = parse_args(NAME, __doc__.split("\n\n")[0], SIZES, argv)
    run = Run(NAME, args, argv)
    size = args.size

    X, y = make_sum_threshold(
        n_samples=N_SAMPLES, labels="signed", random_state=args.data_seed
    )
    majority = np.unique(y, return_counts=True)[1].max() / len(y)
    configs = make_configs(size)
    results = run.compare(make_models(configs, size), X, y, n_samples=N_SAMPLES)
    summary = summarize(results)
    nets = config_scores(summary, configs)
    headline, bullets = findings(results, summary, nets, majority, size)

    grid = nets[nets["optimizer"].isin(size["grid_rates"])]
    loss, activation, _ = SOURCE
    panel = nets[(nets["loss"] == loss) & (nets["activation"] == activation)]
    simple = summary[~summary["model"].isin(list(configs))]
    table = pd.concat(
        [
            mean_std_table(simple, "accuracy"),
            mean_std_table(simple, "fit_time", fmt=".2f", seed_std=False),
        ],
        axis=1,
    )
    setup = [
        f"Data: `make_sum_threshold(n_samples={N_SAMPLES}, labels='signed', "
        f"random_state={args.data_seed})`: five uniform features, label +1 when "
        f"the row sum exceeds 2.5, else -1 (majority class {majority:.3f}). 5 "
        f"stratified, shuffled folds (the same for every model and seed), model "
        f"seeds {args.seeds} (the tutorial used a validation split and 200 fresh "
        "rows instead).",
        f"Nets: `KerasMLPClassifier(hidden_layer_sizes={HIDDEN_LAYER_SIZES}, "
        f"activation=..., loss=..., optimizer=..., learning_rate=..., "
        f"epochs={size['epochs']}, batch_size={BATCH_SIZE})`, otherwise the "
        "estimator's defaults: training stops when the training loss has not "
        "improved by 1e-4 for 10 epochs (scikit-learn's rule), "
        "`output_activation='auto'`, the -1/+1 labels encoded to suit each "
        f"loss. Grid: {len(size['losses'] or LOSSES)} losses x "
        f"{list(size['activations'] or distinct_activations())} x "
        f"{size['grid_rates']}; panel for the tutorial's {loss} / {activation}: "
        f"{size['panel_rates']}. {len(configs)} configurations.",
        "Baselines: `StandardScaler` then `LogisticRegression(max_iter=5000)`, "
        "`SVC()` (RBF) and `KNeighborsClassifier()`. " + lr_convergence(X, y),
        f"Tuned contenders: {size['budget'].describe()}. Search spaces: "
        f"{describe_spaces(NET_SPACE)}, up to {size['epochs']} epochs.",
    ]
    sections = {
        "Setup": "\n\n".join(setup),
        "Baselines and tuned contenders": [
            "Mean ± std over all runs; (seeds ± s): the spread over seeds of "
            "each seed's mean over folds. Fit time includes the search.",
            table,
        ],
        "Loss x activation, at the best learning rate": heatmap(
            best_rate(grid, ["loss", "activation"]).unstack(),
            "Mean accuracy at each pair's best learning rate",
            vmin=majority,
        ),
        "Loss x learning rate (best activation)": heatmap(
            best_rate(grid, ["loss", "learning_rate"]).unstack(),
            "Mean accuracy by loss and learning rate",
            vmin=majority,
        ),
        f"Optimizer x learning rate, {loss} / {activation}": [
            "Mean accuracy ± std over all runs; the colour scale starts at the "
            "majority rate (chance).",
            heatmap(
                panel.pivot_table(
                    index="optimizer", columns="learning_rate", values="accuracy_mean"
                ),
                f"{loss} / {activation}: optimizer x learning rate",
                vmin=majority,
            ),
        ],
        "Every net configuration, best first": mean_std_table(nets).head(400),
    }
    run.write(
        title='"Sum > 2.5": losses, activations and optimizers against the baselines',
        headline=headline,
        findings=bullets,
        sections=sections,
    )
    return summary


if __name__ == "__main__":
    main()
