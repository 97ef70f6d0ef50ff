"""``skclassify compare``: the baselines on a user's CSV file."""

import argparse
import contextlib
import os
import shlex
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._errors import PROG, CLIError, status

__all__ = ["compare_command"]


# -- compare -----------------------------------------------------------------------
def _read_table(path: Path, target: str):
    """Read the CSV and split it into numeric features and the target column."""
    import pandas as pd

    if not path.is_file():
        raise CLIError(f"no such file: {path}")
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:  # pandas' parser errors are ValueErrors
        raise CLIError(f"cannot read {path} as CSV: {exc}") from None

    columns = [str(column) for column in frame.columns]
    if target not in frame.columns:
        raise CLIError(
            f"{path} has no column {target!r}; its columns are: {', '.join(columns)}"
        )
    X = frame.drop(columns=[target])
    y = frame[target]
    if X.shape[1] == 0:
        raise CLIError(f"{path} has no feature columns besides the target {target!r}")
    non_numeric = [str(c) for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    if non_numeric:
        raise CLIError(
            f"non-numeric feature column(s) in {path}: {', '.join(non_numeric)}; "
            "encode them as numbers or drop them"
        )
    missing = [str(c) for c in frame.columns if frame[c].isna().any()]
    if missing:
        raise CLIError(
            f"missing values in column(s) of {path}: {', '.join(missing)}; "
            "drop or impute them first"
        )
    return X.astype("float64"), y


def _check_classes(y, cv: int) -> None:
    from sklearn.utils.multiclass import type_of_target

    kind = type_of_target(y.to_numpy())
    if kind not in ("binary", "multiclass"):
        raise CLIError(
            f"the target column {y.name!r} does not hold class labels "
            f"(scikit-learn sees {kind!r} values)"
        )
    counts = y.value_counts()
    if len(counts) < 2:
        raise CLIError(
            f"the target column {y.name!r} holds {len(counts)} class; "
            "a classifier needs at least 2"
        )
    if cv < 2:
        raise CLIError("--cv must be at least 2 folds")
    if counts.min() < cv:
        raise CLIError(
            f"class {counts.idxmin()!r} of {y.name!r} has only {counts.min()} "
            f"row(s), fewer than the {cv} folds of --cv; lower --cv"
        )


def _make_models(seed: int, epochs: int) -> dict[str, Any]:
    """The compared classifiers, each behind a StandardScaler, all seeded."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from skclassify import KerasMLPClassifier

    return {
        "logistic_regression": make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=1000, random_state=seed)
        ),
        "svc_rbf": make_pipeline(
            StandardScaler(), SVC(kernel="rbf", random_state=seed)
        ),
        "keras_mlp": make_pipeline(
            StandardScaler(), KerasMLPClassifier(epochs=epochs, random_state=seed)
        ),
    }


def _file_digest(path: Path) -> str:
    import hashlib

    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()[:16]


def _connect_dask(stack: contextlib.ExitStack, scheduler: str, quiet: bool) -> None:
    """Make joblib run on the Dask scheduler until ``stack`` closes."""
    from skclassify.evaluation import dask_backend

    try:
        client = stack.enter_context(dask_backend(scheduler))
    except (OSError, ValueError) as exc:  # unreachable or malformed address
        raise CLIError(
            f"cannot connect to the Dask scheduler {scheduler}: {exc}"
        ) from None
    if not quiet:
        workers = len(client.scheduler_info().get("workers", {}))
        status(f"Dask scheduler {scheduler}: {workers} worker(s)")


def compare_command(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from skclassify.evaluation import compare_models, summarize, write_report
    from skclassify.evaluation._parallel import SCHEDULER_ENV_VAR

    start = time.perf_counter()
    X, y = _read_table(args.data, args.target)
    _check_classes(y, args.cv)
    models = _make_models(args.seed, args.epochs)

    stem = args.data.stem
    report_path = args.output_dir / f"{stem}.md"
    results_path = args.output_dir / f"{stem}.jsonl"
    # The tags identify the run in the results file, so that --resume only
    # reuses cells of the same data and settings.
    tags = {
        "data_sha256": _file_digest(args.data),
        "target": args.target,
        "cv": args.cv,
        "seed": args.seed,
        "epochs": args.epochs,
    }
    if not args.quiet:
        status(
            f"{args.data}: {X.shape[0]} rows, {X.shape[1]} features, "
            f"{y.nunique()} classes; {len(models)} models x {args.cv} folds"
        )
    scheduler = args.scheduler or os.environ.get(SCHEDULER_ENV_VAR) or None
    try:
        with contextlib.ExitStack() as stack:
            if scheduler is not None:
                _connect_dask(stack, scheduler, args.quiet)
            results = compare_models(
                models,
                X.to_numpy(),
                y.to_numpy(),
                cv=args.cv,
                random_state=args.seed,
                n_jobs=args.n_jobs,
                results_path=results_path,
                resume=args.resume,
                progress=not args.quiet,
                tags=tags,
            )
    except ValueError as exc:  # e.g. labels scikit-learn cannot classify
        raise CLIError(str(exc)) from None
    results = results.drop(columns=list(tags))
    summary = summarize(results)

    sections = _report_sections(args, X, y, models, results, summary)
    extra = {"Data": f"`{args.data}`, target `{args.target}`"}
    if scheduler is not None:
        extra["Dask scheduler"] = scheduler
    report = write_report(
        report_path,
        title=f"Model comparison: {args.data.name}",
        sections=sections,
        command=shlex.join([PROG, *argv]),
        seed=args.seed,
        runtime=time.perf_counter() - start,
        extra_header=extra,
    )

    print(_console_table(summary))
    if not args.quiet:
        status(f"Report: {report} (results: {results_path})")
    return 0


def _report_sections(args, X, y, models, results, summary) -> dict[str, Any]:
    """The sections of the comparison report: data, models, scores, figures."""
    from skclassify.evaluation import plot_heatmap

    counts = y.value_counts().rename_axis(args.target).rename("rows")
    model_lines = [
        f"- `{name}`: `StandardScaler()` then `{' '.join(repr(model[-1]).split())}`"
        for name, model in models.items()
    ]
    accuracy = results.pivot(index="model", columns="fold", values="accuracy")
    fit_time = results.pivot(index="model", columns="fold", values="fit_time")
    order = list(models)
    return {
        "Data": [
            f"`{args.data.name}`: {X.shape[0]} rows, {X.shape[1]} numeric features "
            f"({', '.join(f'`{c}`' for c in X.columns)}); target `{args.target}` "
            f"with {len(counts)} classes.",
            counts,
        ],
        "Models": "\n".join(model_lines),
        "Summary": [
            f"Mean and standard deviation over {args.cv} stratified folds "
            f"(seed {args.seed}), best accuracy first. The SVC has no "
            "`predict_proba`, so its log loss is NaN.",
            summary,
        ],
        "Accuracy per fold": plot_heatmap(
            accuracy.loc[order], title="Accuracy per fold", vmin=0.0, vmax=1.0
        ),
        "Fit time per fold": plot_heatmap(
            fit_time.loc[order],
            title="Fit time per fold",
            colorbar_label="seconds",
            cmap="magma",
        ),
        "Per-fold results": results,
    }


def _console_table(summary) -> str:
    """The summary as a narrow table: one "mean ± std" column per metric."""
    import pandas as pd

    headers = {
        "accuracy": "accuracy",
        "balanced_accuracy": "balanced accuracy",
        "log_loss": "log loss",
        "fit_time": "fit time (s)",
    }
    table = pd.DataFrame({"model": summary["model"]})
    for metric, header in headers.items():
        mean, std = summary[f"{metric}_mean"], summary[f"{metric}_std"]
        table[header] = [
            "n/a" if pd.isna(m) else f"{m:.4f} ± {s:.4f}"
            for m, s in zip(mean, std, strict=True)
        ]
    return table.to_markdown(index=False, colalign=["left"] + ["right"] * len(headers))
