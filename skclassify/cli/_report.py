"""Write the report of ``skclassify compare`` and the console summary."""

import shlex

from ._cost import format_seconds
from ._errors import PROG
from ._verdict import ALPHA, paired_differences, verdict_line

__all__ = ["console_summary", "score_table", "write_compare_report"]


def score_table(results, order):
    """Per model: mean ± std over all cells, the spread of the seed means, times."""
    import pandas as pd

    rows = []
    for model in order:
        cells = results[results["model"] == model]
        per_seed = cells.groupby("seed")["accuracy"].mean()
        rows.append(
            {
                "model": model,
                "cells": len(cells),
                "accuracy": cells["accuracy"].mean(),
                "accuracy_std": cells["accuracy"].std(ddof=1),
                "seed_spread": per_seed.std(ddof=1) if len(per_seed) > 1 else 0.0,
                "balanced_accuracy": cells["balanced_accuracy"].mean(),
                "log_loss": cells["log_loss"].mean(),
                "fit_time": cells["fit_time"].mean(),
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values(
        "accuracy", ascending=False, kind="stable", ignore_index=True
    )


def console_summary(scores) -> str:
    import pandas as pd

    table = pd.DataFrame(
        {
            "model": scores["model"],
            "accuracy": [
                f"{m:.4f} ± {s:.4f}"
                for m, s in zip(scores["accuracy"], scores["accuracy_std"], strict=True)
            ],
            "seed spread": [f"{s:.4f}" for s in scores["seed_spread"]],
            "balanced accuracy": [f"{v:.4f}" for v in scores["balanced_accuracy"]],
            "log loss": [
                "n/a" if pd.isna(v) else f"{v:.4f}" for v in scores["log_loss"]
            ],
            "fit time (s)": [f"{v:.3f}" for v in scores["fit_time"]],
        }
    )
    return table.to_markdown(index=False, colalign=["left"] + ["right"] * 5)


def _models_table(contenders, costs, results):
    import pandas as pd

    from skclassify.tabular import MODELS
    from skclassify.tabular._models import INNER_CV

    times = results.groupby("model")[["fit_time", "predict_time"]].mean()
    measured = times.sum(axis=1)
    rows = []
    for name, c in contenders.items():
        model = c.estimator.estimator if c.tuned else c.estimator
        search = "defaults"
        if c.tuned:
            grid = [key.removeprefix("model__") for key in c.estimator.param_grid]
            search = (
                f"GridSearchCV: {c.n_candidates} candidates x {INNER_CV} inner "
                f"folds over {', '.join(grid)}"
            )
        rows.append(
            {
                "model": name,
                "what": MODELS[c.key].description,
                "estimator": f"`{' '.join(repr(model[-1]).split())}`",
                "settings": search,
                "estimated s/cell": format_seconds(costs[name]),
                "measured s/cell": format_seconds(float(measured.get(name, 0.0))),
            }
        )
    return pd.DataFrame(rows)


def _heatmap(results, order, chance: float):
    from skclassify.reporting import plot_heatmap

    accuracy = results.pivot_table(index="model", columns="fold", values="accuracy")
    top = float(accuracy.max().max())
    return plot_heatmap(
        accuracy.loc[order],
        title="Accuracy per fold (mean over seeds); colours from chance",
        vmin=min(chance, top),
        vmax=max(top, chance + 1e-9),
    )


def write_compare_report(
    args, argv, folder, X, y, n_read, treatments, contenders, costs, results,
    seeds, scheduler, runtime,
):  # fmt: skip
    """Write ``report.md`` (and its figure); return (path, console text, verdict)."""
    from skclassify.reporting import write_report
    from skclassify.tabular import treatment_table

    order = list(contenders)
    scores = score_table(results, order)
    best = scores["model"].iloc[0]
    differences = paired_differences(results, best)
    verdict = verdict_line(best, differences)
    shown = ["model_b", "mean_diff", "std_diff", "se", "t", "p", "n_runs", "outcome"]
    differences = differences[[c for c in shown if c in differences.columns]]
    chance = float(scores.loc[scores["model"] == "dummy", "accuracy"].iloc[0])
    notes = [c.note for c in contenders.values() if c.note and not c.tuned]
    counts = y.value_counts().rename_axis(args.target).rename("rows")
    counts.index = counts.index.map(str)
    subsampled = (
        f" (a stratified subsample of the {n_read:,} rows: --max-rows)"
        if len(y) < n_read
        else ""
    )
    n_cells = len(seeds) * args.cv
    sections = {
        "Data": [
            f"`{args.data.name}`: {len(y):,} rows{subsampled}, "
            f"{X.shape[1]} feature columns; target `{args.target}` with "
            f"{len(counts)} classes. {args.cv} stratified folds (seed {args.seed}) "
            f"x model seeds {', '.join(map(str, seeds))}: {n_cells} cells per model.",
            counts,
        ],
        "Column treatment": [
            "Inferred from the values (`--categorical`, `--drop` override); the "
            "preprocessing is fitted inside each training fold.",
            treatment_table(treatments),
        ],
        "Models": [
            "Each model runs behind the column preprocessing. The dummy is the "
            "chance level: a model that does not beat it learned nothing. "
            "Convergence warnings are silenced: the net's budget of epochs is "
            "the one shown, whether or not its training loss had settled."
            + (
                "\n\nApproximations:\n\n" + "\n".join(f"- {n}" for n in notes)
                if notes
                else ""
            ),  # fmt: skip
            _models_table(contenders, costs, results),
        ],
        "Scores": [
            "Mean ± std over all seeds x folds; *seed spread* is the std of the "
            "per-seed means (0 for deterministic models). Best accuracy first.",
            scores,
        ],
        f"Paired differences: {best} against each model": [
            f"`mean_diff`: mean of ({best} - other) accuracy over the same "
            f"{len(seeds)} seeds x {args.cv} folds; `std_diff`: its std; `se`, "
            "`t`, `p`: the corrected resampled t-test of Nadeau & Bengio (2003), "
            f"two-sided, whose standard error allows for the overlap of the "
            f"training folds. p >= {ALPHA} is a tie.",
            differences,
        ],
        "Accuracy per fold": _heatmap(results, order, chance),
        "Per-cell results": results,
    }
    extra = {
        "Folds": f"{args.cv} stratified folds, shuffled with seed {args.seed}",
        "Data": f"`{args.data}`, target `{args.target}`",
        "Run folder": f"`{folder.path}` (settings hash {folder.hash})",
    }
    if scheduler is not None:
        extra["Dask scheduler"] = scheduler
    report = write_report(
        folder.report,
        title=f"Model comparison: {args.data.name}",
        sections=sections,
        headline=verdict,
        findings=notes,
        command=shlex.join([PROG, *argv]),
        seeds=seeds,
        runtime=runtime,
        extra_header=extra,
    )
    return report, console_summary(scores), verdict
