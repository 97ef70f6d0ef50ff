"""``skclassify compare``: chance, baselines and a Keras net on a user's CSV file."""

import argparse
import contextlib
import gc
import math
import os
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

from . import _interrupt
from ._cost import WeightedProgress, format_seconds, probe_costs
from ._errors import PROG, CLIError, status
from ._extras import require
from ._runfolder import RunFolder, file_digest, settings_hash
from ._save_best import save_best
from ._table import check_classes, read_table, subsample

__all__ = ["compare_command"]

#: The base of the run folders when --output-dir is not given.
RUNS_DIR = Path("skclassify-runs")


def _settings(args: argparse.Namespace, digest: str) -> dict:
    """Everything that decides the results of a run (hashed into its name)."""
    return {
        "data_sha256": digest,
        "target": args.target,
        "cv": args.cv,
        "seeds": _seeds(args),
        "models": list(args.models),
        "mlp": {key: repr(value) for key, value in sorted(args.mlp.items())},
        "tune": args.tune,
        "exact_svc": args.exact_svc,
        "max_rows": args.max_rows,
        "categorical": sorted(args.categorical),
        "drop": sorted(args.drop),
    }


def _seeds(args: argparse.Namespace) -> list[int]:
    return [args.seed + k for k in range(args.seeds)]


def _run_folder(args: argparse.Namespace, settings: dict) -> RunFolder:
    if args.output_dir is not None:
        return RunFolder(args.output_dir, settings)
    name = f"{args.data.stem}-{settings_hash(settings)}"
    return RunFolder(RUNS_DIR / name, settings)


def _n_jobs(args: argparse.Namespace, scheduler: str | None, n_cells: int) -> int:
    if scheduler is not None:
        return args.n_jobs  # None: every Dask worker
    if args.n_jobs is not None and args.n_jobs > 0:
        return min(args.n_jobs, n_cells)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cores = usable or os.cpu_count() or 1
    if args.n_jobs is not None and args.n_jobs < -1:
        cores = max(1, cores + 1 + args.n_jobs)
    return max(1, min(cores, n_cells))


def _connect_dask(stack: contextlib.ExitStack, scheduler: str, quiet: bool) -> None:
    """Make joblib run on the Dask scheduler until ``stack`` closes."""
    require("dask", "--scheduler")
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


def _prepare(args: argparse.Namespace):
    """Read and check the data, choose the column treatments and the models."""
    from skclassify.tabular import infer_columns, make_models, make_preprocessor

    X, y = read_table(args.data, args.target)
    n_read = len(y)
    if args.max_rows is not None:
        X, y = subsample(X, y, args.max_rows, args.seed)
    check_classes(y, args.cv)
    try:
        treatments = infer_columns(X, categorical=args.categorical, drop=args.drop)
        preprocessor = make_preprocessor(treatments)
        n_train = len(y) - -(-len(y) // args.cv)  # the smallest training fold
        contenders = make_models(
            args.models,
            preprocessor,
            n_train=n_train,
            mlp=args.mlp,
            tune=args.tune,
            exact_svc=args.exact_svc,
            treatments=treatments,
        )
    except ValueError as exc:
        raise CLIError(str(exc).rstrip(".")) from None
    return X, y, n_read, treatments, contenders, n_train


def compare_command(args: argparse.Namespace, argv: Sequence[str]) -> int:
    require("report", f"{PROG} compare")

    start = time.perf_counter()
    with warnings.catch_warnings():
        _interrupt.quiet_convergence_warnings()
        # On Ctrl-C, joblib warns that it cancelled the pending cells.
        warnings.filterwarnings("ignore", message=r".*have been cancelled")
        return _claim_and_compare(args, argv, start)


def _claim_and_compare(args, argv, start) -> int:
    from skclassify.evaluation import SCHEDULER_ENV_VAR

    if not args.data.is_file():
        raise CLIError(f"no such file: {args.data}")
    settings = _settings(args, file_digest(args.data))
    folder = _run_folder(args, settings)
    # The output folder is claimed (created, locked, checked) before any work.
    with (
        _interrupt.sigterm_as_interrupt(),
        folder.claimed(resume=args.resume, force=args.force),
    ):
        return _compare(args, argv, folder, start, SCHEDULER_ENV_VAR)


def _compare(args, argv, folder, start, scheduler_env_var) -> int:
    """Prepare, estimate, run the cells, report: in a claimed run folder."""
    start_import = time.perf_counter()
    if "mlp" in args.models:  # TensorFlow: every worker process imports it
        import skclassify.estimators  # noqa: F401
    import_time = time.perf_counter() - start_import
    X, y, n_read, treatments, contenders, n_train = _prepare(args)
    from skclassify.evaluation import choose_metric

    # The one place the verdict's metric is decided (the report, the verdict
    # and whatever picks "the best model" read it from here).
    metric = choose_metric(y, args.metric)
    seeds = _seeds(args)
    total_cells = sum(_distinct_cells(contenders, seeds, args.cv).values())
    tags = {}  # the cells are keyed by everything that decides them
    scheduler = args.scheduler or os.environ.get(scheduler_env_var) or None
    n_jobs = _n_jobs(args, scheduler, total_cells)
    if not args.quiet:
        kinds = {kind: sum(t.kind == kind for t in treatments) for kind in
                 ("numeric", "categorical", "dropped")}  # fmt: skip
        status(
            f"{args.data}: {len(y):,} rows"
            + (f" (of {n_read:,}, --max-rows)" if len(y) < n_read else "")
            + f", {kinds['numeric']} numeric, {kinds['categorical']} categorical, "
            f"{kinds['dropped']} dropped column(s); {y.nunique()} classes"
        )
        for t in treatments:
            if t.kind == "dropped":
                status(f"  dropped {t.name!r}: {t.reason}")
        for contender in contenders.values():
            if contender.note and not contender.tuned:
                status(f"  {contender.note}")
        status(f"Metric of the verdict: {metric.reason}")
        status(f"Run folder: {folder.path}")

    interrupted = _on_interrupt_message(folder, tags, total_cells)

    try:
        if _saved_cells(folder, tags) >= total_cells and not args.estimate:
            # A finished run (--resume): nothing left to estimate.
            costs, startup = dict.fromkeys(contenders, math.nan), 0.0
        else:
            costs, startup = probe_costs(
                contenders, X, y, n_train=n_train, n_test=len(y) - n_train,
                seed=args.seed,
            )  # fmt: skip
        costs, startup = _with_compile(
            costs, startup, contenders, seeds, args.cv, n_jobs
        )
        startup += import_time
        if (not args.quiet or args.estimate) and not math.isnan(sum(costs.values())):
            _print_costs(costs, startup, contenders, seeds, args.cv, n_jobs)
        if args.estimate:
            return 0
        results = _run_cells(
            args, contenders, X, y, seeds, folder, tags, costs, scheduler, n_jobs
        )
    except KeyboardInterrupt:
        results = None
    if results is None:
        # Close joblib's cancelled generator now, under this command's warning
        # filters, so that nothing is printed after the message.
        gc.collect()
        interrupted()
        return _interrupt.INTERRUPTED
    from ._report import write_compare_report

    report, summary, verdict = write_compare_report(
        args, argv, folder, X, y, n_read, treatments, contenders, costs,
        results, seeds, scheduler, time.perf_counter() - start, metric,
    )  # fmt: skip
    print(summary)
    print(verdict.text)
    if args.save_best is not None:
        save_best(args, X, y, n_read, contenders, verdict.best, report)
    if not args.quiet:
        status(f"Report: {report} (results: {folder.results})")
    return 0


def _distinct_cells(contenders, seeds, cv) -> dict[str, int]:
    """Cells computed per model: every seed draws its own split."""
    return dict.fromkeys(contenders, cv * len(seeds))


def _with_compile(costs, startup, contenders, seeds, cv, n_jobs):
    """Spread the net's compile time over its cells.

    Each worker process compiles the net's training loop once, in the fit of
    its first net cell, and that time is measured as part of the cell: so
    the estimate per cell carries its share, ``startup * workers / cells``,
    instead of a separate start-up cost.
    """
    if math.isnan(startup) or not startup:
        return costs, startup
    n_cells = _distinct_cells(contenders, seeds, cv)
    costs = dict(costs)
    for name, contender in contenders.items():
        if contender.key == "mlp":
            n = n_cells[name]
            costs[name] += startup * min(n_jobs, n) / n
    return costs, 0.0


def _print_costs(costs, startup, contenders, seeds, cv, n_jobs) -> None:
    n_cells = _distinct_cells(contenders, seeds, cv)
    total = sum(costs[name] * n for name, n in n_cells.items())
    parts = ", ".join(f"{name} {format_seconds(cost)}" for name, cost in costs.items())
    net = any(c.key == "mlp" for c in contenders.values())
    status(
        f"Estimated time per cell (timed probe): {parts}"
        + (" (the net's with its share of compiling, once per process)" if net else "")
    )
    status(
        f"Estimated total: {format_seconds(total)} of compute, about "
        f"{format_seconds(total / n_jobs + startup)} on {n_jobs} process(es)"
        + (f" (with {format_seconds(startup)} to start each)" if startup >= 1 else "")
    )


def _run_cells(args, contenders, X, y, seeds, folder, tags, costs, scheduler, n_jobs):
    """Cross-validate every contender over the seeds and folds; resumable."""
    from skclassify.evaluation import compare_models

    def run():
        """Every model over every repetition (its own split and model seed)."""
        models = {name: c.estimator for name, c in contenders.items()}
        return compare_models(
            models, X, y.to_numpy(), cv=args.cv, seeds=seeds, random_state=args.seed,
            n_jobs=n_jobs, results_path=folder.results, resume=True, progress=False,
            tags=tags,
        )  # fmt: skip

    n_cells = _distinct_cells(contenders, seeds, args.cv)
    progress = WeightedProgress(
        folder.results, costs, n_cells, tags, disable=args.quiet
    )
    with contextlib.ExitStack() as stack:
        if scheduler is not None:
            _connect_dask(stack, scheduler, args.quiet)
        elif n_jobs > 1:
            stack.enter_context(_interrupt.loky_watching_parent())
        stack.enter_context(progress.running())
        if scheduler is None and n_jobs == 1:
            total = sum(n_cells.values())
            message = _on_interrupt_message(folder, tags, total)

            def on_interrupt() -> None:
                if not args.quiet:
                    print(file=sys.stderr)  # end the progress bar's line
                message()

            return _interrupt.run_interruptibly(run, on_interrupt)
        try:
            return run()
        except ValueError as exc:  # e.g. labels scikit-learn cannot classify
            raise CLIError(str(exc)) from None


def _saved_cells(folder, tags) -> int:
    """Distinct (model, seed, fold) cells of this run in the results file."""
    from skclassify.evaluation import ResultsStore

    cells = {
        (row.get("model"), row.get("seed"), row.get("fold"))
        for row in ResultsStore(folder.results).read()
        if all(row.get(key) == value for key, value in tags.items())
    }
    return len(cells)


def _on_interrupt_message(folder, tags, total_cells: int):
    def message() -> None:
        saved = min(_saved_cells(folder, tags), total_cells)
        status(
            f"interrupted: {saved} of {total_cells} cells saved; rerun with --resume"
        )

    return message
