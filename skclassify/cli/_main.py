"""Argument parsing and the three commands of the ``skclassify`` program.

Heavy modules (pandas, scikit-learn, the Keras estimator) are imported inside
the command functions, so that parsing and ``--help`` stay cheap.
"""

import argparse
import ast
import contextlib
import os
import shlex
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]

PROG = "skclassify"

#: Exit status of a usage or data error (as argparse uses for bad arguments).
EXIT_ERROR = 2


class CLIError(Exception):
    """A user error: reported as one line on stderr, with exit status 2."""


# -- parser -----------------------------------------------------------------------
def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value


def _n_jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value == 0:
        raise argparse.ArgumentTypeError("0 is not a number of jobs (use -1 for all)")
    return value


def _add_benchmarks_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--benchmarks-dir",
        metavar="DIR",
        type=Path,
        default=None,
        help="folder of the benchmark scripts (default: ./benchmarks)",
    )


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Keras neural nets as scikit-learn classifiers: compare them with "
            "simple baselines on your data, or run the project's benchmarks."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {_package_version()}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    compare = commands.add_parser(
        "compare",
        help="cross-validate baselines and a Keras MLP on a CSV file",
        description=(
            "Cross-validate LogisticRegression, an RBF SVC and a KerasMLPClassifier "
            "(each after a StandardScaler) on the numeric columns of a CSV file, "
            "write a Markdown report with figures and print the summary table."
        ),
    )
    compare.add_argument("data", metavar="DATA.csv", type=Path, help="the CSV file")
    compare.add_argument(
        "--target", required=True, metavar="COLUMN", help="the column of class labels"
    )
    compare.add_argument(
        "--cv", type=_positive_int, default=5, help="stratified folds (default: 5)"
    )
    compare.add_argument(
        "--seed", type=int, default=0, help="seed of folds and models (default: 0)"
    )
    compare.add_argument(
        "--n-jobs",
        type=_n_jobs,
        default=None,
        metavar="N",
        help="cells run in parallel; -1: all cores (default: 1, or all Dask workers)",
    )
    compare.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help=(
            "run on the Dask scheduler at ADDRESS, e.g. tcp://10.0.0.5:8786 "
            "(default: $SKCLASSIFY_SCHEDULER if set, else local processes)"
        ),
    )
    compare.add_argument(
        "--output-dir",
        metavar="DIR",
        type=Path,
        default=Path("."),
        help="where the report, figures and results file go (default: .)",
    )
    compare.add_argument(
        "--resume",
        action="store_true",
        help="reuse the finished cells of an earlier run with the same settings",
    )
    compare.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar or status lines; only the summary table",
    )
    compare.add_argument(
        "--epochs",
        type=_positive_int,
        default=200,
        help="training epochs of the Keras MLP (default: 200)",
    )
    compare.set_defaults(handler=_compare_command)

    benchmark = commands.add_parser(
        "benchmark",
        help="run a benchmark script: benchmarks/NAME.py",
        description=(
            "Run main(ARGS) of the benchmark script NAME.py. Options of this "
            "command go before NAME; everything after NAME goes to the script "
            "(try: skclassify benchmark NAME --help)."
        ),
    )
    _add_benchmarks_dir(benchmark)
    benchmark.add_argument("name", metavar="NAME", help="the benchmark to run")
    benchmark.add_argument(
        "args",
        metavar="ARGS",
        nargs=argparse.REMAINDER,
        help="arguments of the benchmark script",
    )
    benchmark.set_defaults(handler=_benchmark_command)

    listing = commands.add_parser(
        "list",
        help="list the available benchmarks",
        description="List the benchmark scripts and their one-line descriptions.",
    )
    _add_benchmarks_dir(listing)
    listing.set_defaults(handler=_list_command)
    return parser


def _package_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("skclassify")
    except metadata.PackageNotFoundError:  # a source checkout
        return "(not installed)"


# -- entry point ---------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``skclassify`` command line.

    Parameters
    ----------
    argv : sequence of str, default=None
        The arguments, without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    status : int
        The exit status: 0 on success, 2 for a usage or data error (reported
        as one line on stderr, without a traceback), or what a benchmark
        script's ``main`` returned.

    Examples
    --------
    >>> from skclassify.cli import main
    >>> main(["benchmark", "--benchmarks-dir", "no/such/folder", "waves"])
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _build_parser().parse_args(argv)
        return args.handler(args, argv)
    except SystemExit as exc:  # argparse (--help, usage errors) and scripts
        return _exit_status(exc.code)
    except CLIError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _exit_status(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message") convention
    return 1


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
        _status(f"Dask scheduler {scheduler}: {workers} worker(s)")


def _status(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _compare_command(args: argparse.Namespace, argv: Sequence[str]) -> int:
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
        _status(
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
        _status(f"Report: {report} (results: {results_path})")
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


# -- benchmarks ----------------------------------------------------------------------
def _benchmarks_folder(path: Path | None) -> Path:
    folder = Path("benchmarks") if path is None else path
    if not folder.is_dir():
        hint = "run from the repository root or pass --benchmarks-dir"
        raise CLIError(f"no benchmarks folder at {folder.resolve()}; {hint}")
    return folder


def _available_benchmarks(folder: Path) -> dict[str, tuple[Path, str]]:
    """Benchmark name -> (script, first docstring line).

    A benchmark is a ``*.py`` file of ``folder``, not starting with ``_``, that
    defines a top-level ``main`` function. Scripts are parsed, not run; one
    that cannot be parsed is listed, so that running it shows the error.
    """
    found = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError) as exc:
            found[path.stem] = (path, f"(cannot be parsed: {type(exc).__name__})")
            continue
        if any(
            isinstance(node, ast.FunctionDef) and node.name == "main"
            for node in tree.body
        ):
            docstring = ast.get_docstring(tree) or ""
            found[path.stem] = (path, docstring.strip().partition("\n")[0])
    return found


def _list_command(args: argparse.Namespace, argv: Sequence[str]) -> int:
    folder = _benchmarks_folder(args.benchmarks_dir)
    scripts = _available_benchmarks(folder)
    if not scripts:
        print(f"No benchmarks in {folder}.")
        return 0
    width = max(map(len, scripts))
    for name, (_, summary) in scripts.items():
        print(f"{name:<{width}}  {summary}".rstrip())
    return 0


@contextlib.contextmanager
def _script_context(path: Path, args: Sequence[str]) -> Iterator[None]:
    """Run as ``python benchmarks/NAME.py ARGS`` would: argv and import path."""
    saved_argv, saved_path = sys.argv, list(sys.path)
    folder = path.parent.resolve()
    sys.argv = [str(path), *args]
    # Like running the script: its folder first, so sibling helper modules
    # import; then the folder above it (the repository root), as ``python -m``.
    sys.path[:0] = [str(folder), str(folder.parent)]
    try:
        yield
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path


def _benchmark_command(args: argparse.Namespace, argv: Sequence[str]) -> int:
    import runpy

    folder = _benchmarks_folder(args.benchmarks_dir)
    scripts = _available_benchmarks(folder)
    if args.name not in scripts:
        available = ", ".join(scripts) or "none"
        raise CLIError(
            f"unknown benchmark {args.name!r} in {folder}; available: {available}"
        )
    path = scripts[args.name][0]
    with _script_context(path, args.args):
        # Not "__main__": the script's own ``if __name__ == "__main__"`` block
        # must not run; its main is called below with the arguments.
        namespace = runpy.run_path(str(path), run_name=f"benchmarks.{args.name}")
        script_main = namespace.get("main")
        if not callable(script_main):
            raise CLIError(f"{path} defines no main(argv) function")
        status = script_main(list(args.args))
    # A main may return an exit status, or None (or its results) for success.
    return status if isinstance(status, int) and not isinstance(status, bool) else 0
