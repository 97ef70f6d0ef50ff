"""Argument parsing and the three commands of the ``skclassify`` program.

Heavy modules (pandas, scikit-learn, the Keras estimator) are imported inside
the command functions, so that parsing and ``--help`` stay cheap.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._benchmark import benchmark_command, list_command
from ._compare import compare_command
from ._errors import EXIT_ERROR, PROG, CLIError

__all__ = ["main"]


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
    compare.set_defaults(handler=compare_command)

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
    benchmark.set_defaults(handler=benchmark_command)

    listing = commands.add_parser(
        "list",
        help="list the available benchmarks",
        description="List the benchmark scripts and their one-line descriptions.",
    )
    _add_benchmarks_dir(listing)
    listing.set_defaults(handler=list_command)
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
