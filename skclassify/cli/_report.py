"""Write the report of ``skclassify compare`` and the console summary."""

import shlex

from ._cost import format_seconds
from ._errors import PROG

__all__ = ["console_summary", "score_table", "write_compare_report"]

#: Short column names of the metrics, so that the summary fits 100 columns.
SHORT = {
    "accuracy": "accuracy",
    "balanced_accuracy": "bal. acc.",
    "roc_auc": "ROC AUC",
    "log_loss": "log loss",
}


def score_table(results, order, metric: str):
    """Per model: every metric's mean, the CI and seed spread of ``metric``.

    Best ``metric`` first; the interval is :func:`mean_interval`'s.
    """
    import pandas as pd

    from skclassify.evaluation import METRICS
    from skclassify.reporting import mean_interval

    bounds = (0.0, 1.0) if METRICS[metric].greater_is_better else (0.0, float("inf"))
    rows = []
    for model in order:
        cells = results[results["model"] == model]
        mean, low, high = mean_interval(
            cells[metric],
            n_train=cells["n_train"].mean(),
            n_test=cells["n_test"].mean(),
            bounds=bounds,
        )
        per_seed = cells.groupby("seed")[metric].mean()
        row = {"model": model, "cells": len(cells), metric: mean}
        row.update({"ci_low": low, "ci_high": high})
        row["seed_spread"] = per_seed.std(ddof=1) if len(per_seed) > 1 else 0.0
        row.update({m: cells[m].mean() for m in METRICS if m != metric})
        row["fit_time"] = cells["fit_time"].mean()
        rows.append(row)
    table = pd.DataFrame(rows)
    return table.sort_values(
        metric,
        ascending=not METRICS[metric].greater_is_better,
        kind="stable",
        ignore_index=True,
        na_position="last",
    )


def console_summary(scores, metric: str) -> str:
    """The scores as a Markdown table at most 100 characters wide."""
    import pandas as pd

    from skclassify.evaluation import METRICS
    from skclassify.reporting import MAX_TABLE_WIDTH, markdown_table

    def number(value) -> str:
        return "n/a" if pd.isna(value) else f"{value:.3f}"

    table = {
        "model": scores["model"],
        SHORT[metric]: [number(v) for v in scores[metric]],
        "95% CI": [
            "n/a" if pd.isna(lo) else f"[{lo:.3f}, {hi:.3f}]"
            for lo, hi in zip(scores["ci_low"], scores["ci_high"], strict=True)
        ],
        "seed spread": [number(v) for v in scores["seed_spread"]],
    }
    for other in METRICS:
        if other != metric:
            table[SHORT[other]] = [number(v) for v in scores[other]]
    table["fit (s)"] = [f"{v:.3f}" for v in scores["fit_time"]]
    frame = pd.DataFrame(table)
    text = _compact_markdown(frame)
    if max(map(len, text.splitlines())) <= MAX_TABLE_WIDTH:
        return text
    return markdown_table(frame)  # very long model names: split


def _compact_markdown(frame) -> str:
    """A Markdown table of strings with no padding beyond the widest cell."""
    columns = [[str(c), *map(str, frame[c])] for c in frame.columns]
    widths = [max(map(len, column)) for column in columns]
    rule = [":" + "-" * (widths[0] - 1)] + ["-" * (w - 1) + ":" for w in widths[1:]]

    def line(cells):
        return "| " + " | ".join(cells) + " |"

    rows = [
        line(
            [
                col[k].ljust(widths[0]) if i == 0 else col[k].rjust(widths[i])
                for i, col in enumerate(columns)
            ]
        )  # fmt: skip
        for k in range(len(columns[0]))
    ]
    return "\n".join([rows[0], line(rule), *rows[1:]])


def _models_table(contenders, costs, results):
    import pandas as pd

    from skclassify.tabular import MODELS
    from skclassify.tabular._models import INNER_CV

    times = results.groupby("model")[["fit_time", "predict_time"]].mean()
    measured = times.sum(axis=1)
    rows = []
    for name, c in contenders.items():
        search = "defaults"
        model = c.estimator
        if c.tuned and MODELS[c.key].halving is not None:
            model = c.estimator.default
            halving = MODELS[c.key].halving
            search = (
                f"successive halving over {halving.resource}: {c.n_candidates} "
                f"random candidates x {INNER_CV} inner folds over "
                f"{', '.join(halving.space)}; the default at its full budget "
                "is always a candidate"
            )
        elif c.tuned:
            model = c.estimator.estimator
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


def _heatmap(results, order, metric: str, chance: float):
    """``metric`` per cell: one column per (seed, fold), each its own split."""
    from skclassify.evaluation import METRICS
    from skclassify.reporting import plot_heatmap

    table = results.pivot_table(index="model", columns=["seed", "fold"], values=metric)
    table.columns = [f"{seed}/{fold}" for seed, fold in table.columns]
    table.columns.name = "seed/fold"
    label = METRICS[metric].label
    top = float(table.max().max())
    kwargs = {}
    if METRICS[metric].greater_is_better:
        kwargs = {"vmin": min(chance, top), "vmax": max(top, chance + 1e-9)}
        title = f"{label.capitalize()} per seed and fold (colours start at the dummy's)"
    else:
        kwargs = {"cmap": "viridis_r"}
        title = f"{label.capitalize()} per seed and fold (lower is better)"
    return plot_heatmap(table.reindex(order), title=title, **kwargs)


def _differences(table):
    """The verdict's table, for the report."""
    import pandas as pd

    return pd.DataFrame(
        {
            "against": table["model_b"],
            "mean diff.": table["mean_diff"].map("{:+.3f}".format),
            "95% CI": [
                f"[{lo:.3f}, {hi:.3f}]"
                for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
            ],
            "p": table["p"].map("{:.2g}".format),
            "Holm p": table["p_holm"].map("{:.2g}".format),
            "runs": table["n_runs"],
            "outcome": table["outcome"],
        }
    )


def write_compare_report(
    args, argv, folder, X, y, n_read, treatments, contenders, costs, results,
    seeds, scheduler, runtime, metric,
):  # fmt: skip
    """Write ``report.md`` (and its figure); return (path, console text, verdict).

    ``metric`` is the :class:`~skclassify.evaluation.MetricChoice` of the
    run; the verdict (a :class:`~skclassify.evaluation.Verdict`) names it.
    """
    from skclassify.evaluation import ALPHA, METRICS, THRESHOLD, verdict
    from skclassify.reporting import INTERVAL_NOTE, write_report
    from skclassify.tabular import treatment_table

    order = list(contenders)
    name = metric.name
    scores = score_table(results, order, name)
    result = verdict(results, metric=name)
    label = METRICS[name].label
    chance = float(scores.loc[scores["model"] == "dummy", name].iloc[0])
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
            f"{len(counts)} classes. {len(seeds)} repetitions of {args.cv} "
            f"stratified folds, each repetition with its own split and its own "
            f"model seed ({', '.join(map(str, seeds))}; splits from seed "
            f"{args.seed}): {n_cells} cells per model.",
            counts,
        ],
        "Metric": (
            f"The verdict is on {metric.reason}. Every metric is shown below: "
            + "; ".join(f"{m.label}: {m.description}" for m in METRICS.values())
            + "."
        ),
        "Column treatment": [
            "Inferred from the values (`--categorical`, `--drop` override); the "
            "preprocessing is fitted inside each training fold.",
            treatment_table(treatments),
        ],
        "Models": [
            "Each model runs behind the column preprocessing. The dummy is the "
            "chance level: a model that does not beat it learned nothing. "
            "Convergence warnings are silenced: the net's budget of epochs is "
            "the one shown, whether or not its training loss had settled. "
            "The net's estimated time per cell includes its share of compiling "
            "the training loop (once per worker process)."
            + (
                "\n\nApproximations:\n\n" + "\n".join(f"- {n}" for n in notes)
                if notes
                else ""
            ),  # fmt: skip
            _models_table(contenders, costs, results),
        ],
        "Scores": [
            f"Mean over all seeds x folds, best {label} first. *95% CI*: of the "
            f"mean {label} ({INTERVAL_NOTE}). *seed spread*: the std of the "
            "per-seed means (each seed with its own split and model seed). "
            "n/a: the model has no `predict_proba` (log loss).",
            scores,
        ],
        f"Paired differences: {result.best} against each model": [
            f"Differences of {label} ({result.best} - other, positive when "
            f"{result.best} is better) paired by seed and fold, over all "
            f"{n_cells} runs. The corrected repeated k-fold t-test (Nadeau & "
            "Bengio's variance correction as Bouckaert & Frank apply it, "
            f"{n_cells - 1} degrees of freedom), two-sided; *Holm p*: adjusted "
            f"for the {len(result.table)} comparisons. A difference counts when "
            f"its mean is at least {THRESHOLD} and its Holm p is below {ALPHA}; "
            "otherwise: no significant difference, with the 95% confidence "
            "interval of the mean difference (not adjusted for the number of "
            "comparisons, so an interval that excludes 0 can still fall short "
            "after Holm's correction).",
            _differences(result.table),
        ],
        f"{label.capitalize()} per seed and fold": _heatmap(
            results, order, name, chance
        ),
        "Per-cell results": results,
    }
    extra = {
        "Folds": (
            f"{len(seeds)} x {args.cv} stratified folds, each repetition "
            f"shuffled by its own seed (from {args.seed})"
        ),
        "Metric": metric.reason,
        "Data": f"`{args.data}`, target `{args.target}`",
        "Run folder": f"`{folder.path}` (settings hash {folder.hash})",
    }
    if scheduler is not None:
        extra["Dask scheduler"] = scheduler
    report = write_report(
        folder.report,
        title=f"Model comparison: {args.data.name}",
        sections=sections,
        headline=result.text,
        findings=notes,
        command=shlex.join([PROG, *argv]),
        seeds=seeds,
        runtime=runtime,
        extra_header=extra,
    )
    return report, console_summary(scores, name), result
