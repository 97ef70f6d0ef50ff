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
from ._interrupt import INTERRUPTED
from ._save_best import save_best_path

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


def _model_list(text: str) -> list[str]:
    from skclassify.tabular._models import MODELS

    names = [name.strip() for name in text.split(",") if name.strip()]
    choices = [name for name in MODELS if name != "dummy"]
    unknown = [name for name in names if name not in MODELS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown model(s) {', '.join(unknown) or '(none)'}; "
            f"choose among {', '.join(choices)} (comma-separated)"
        )
    return names


def _column_list(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _mlp_setting(text: str) -> tuple[str, Any]:
    """``key=value`` of --mlp; the value as a Python literal if it is one."""
    import ast

    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    key = key.strip()
    try:
        parsed = ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        parsed = value.strip()  # a name such as relu or adam
    if key == "hidden_layer_sizes" and isinstance(parsed, int):
        parsed = (parsed,)
    return key, parsed


class _MLPSettings(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        settings = dict(getattr(namespace, self.dest) or {})
        settings.update(values)
        setattr(namespace, self.dest, settings)


def _add_compare_options(compare: argparse.ArgumentParser) -> None:
    from skclassify.evaluation._metrics import IMBALANCE_RATIO, METRICS
    from skclassify.tabular._models import MODELS

    choices = [name for name in MODELS if name != "dummy"]
    compare.add_argument("data", metavar="DATA.csv", type=Path, help="the CSV file")
    compare.add_argument(
        "--target", required=True, metavar="COLUMN", help="the column of class labels"
    )
    compare.add_argument(
        "--models",
        type=_model_list,
        default=choices,
        metavar="NAMES",
        help=(
            f"comma-separated models among {', '.join(choices)} "
            "(default: all); the dummy (chance) is always added"
        ),
    )
    compare.add_argument(
        "--mlp",
        nargs="+",
        type=_mlp_setting,
        action=_MLPSettings,
        default={},
        metavar="KEY=VALUE",
        help=(
            "parameters of the net, e.g. --mlp hidden_layer_sizes=64,32 "
            "activation=tanh learning_rate=0.01"
        ),
    )
    compare.add_argument(
        "--tune",
        action="store_true",
        help="add each model's small grid search, nested inside the CV",
    )
    compare.add_argument(
        "--cv", type=_positive_int, default=5, help="stratified folds (default: 5)"
    )
    compare.add_argument(
        "--seeds",
        type=_positive_int,
        default=3,
        metavar="N",
        help=(
            "repetitions of the stratified folds, each with its own split and "
            "its own model seed (default: 3)"
        ),
    )
    compare.add_argument(
        "--seed",
        type=int,
        default=0,
        help="base seed of the splits and first model seed (default: 0)",
    )
    compare.add_argument(
        "--metric",
        choices=list(METRICS),
        default=None,
        help=(
            "the metric of the verdict (roc_auc: one class against the rest; "
            "default: accuracy, or balanced_accuracy when the largest class "
            f"has more than {IMBALANCE_RATIO:g} times the rows of the smallest)"
        ),
    )
    compare.add_argument(
        "--categorical",
        type=_column_list,
        default=[],
        metavar="COLUMNS",
        help="comma-separated columns to one-hot encode whatever their values",
    )
    compare.add_argument(
        "--drop",
        type=_column_list,
        default=[],
        metavar="COLUMNS",
        help="comma-separated columns not to use",
    )
    compare.add_argument(
        "--max-rows",
        type=_positive_int,
        default=None,
        metavar="N",
        help="a stratified subsample of N rows, for a quick look",
    )
    compare.add_argument(
        "--exact-svc",
        action="store_true",
        help="keep the exact RBF-SVC on large data (no Nystroem approximation)",
    )
    compare.add_argument(
        "--n-jobs",
        type=_n_jobs,
        default=None,
        metavar="N",
        help="cells run in parallel; -1: all cores (default: all usable cores)",
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
        default=None,
        help=(
            "the run folder (default: skclassify-runs/<data>-<settings hash>); "
            "checked and locked before any work"
        ),
    )
    compare.add_argument(
        "--resume",
        action="store_true",
        help="finish (or reuse) the run in the run folder: only missing cells run",
    )
    compare.add_argument(
        "--force",
        action="store_true",
        help="replace the files of an earlier run in the run folder",
    )
    compare.add_argument(
        "--estimate",
        action="store_true",
        help="print the column treatment and the cost estimate, then stop",
    )
    compare.add_argument(
        "--save-best",
        metavar="PATH",
        type=save_best_path,
        default=None,
        help=(
            "refit the best model on all rows and save it to PATH (skops), and "
            "as ONNX beside it where it converts (needs the 'onnx' extra)"
        ),
    )
    compare.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar or status lines; only the summary and the verdict",
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
        help="cross-validate chance, baselines and a Keras net on a CSV file",
        description=(
            "Cross-validate a chance-level DummyClassifier and the chosen models "
            "(LogisticRegression, RBF-SVC, kNN, HistGradientBoosting, "
            "KerasMLPClassifier) on a CSV file of numeric and categorical "
            "columns, over repetitions of stratified folds (each with its own "
            "split and model seed); write a Markdown report (column treatment, "
            "every metric, paired differences, verdict) into a run folder and "
            "print the summary and the verdict."
        ),
    )
    _add_compare_options(compare)
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
    except KeyboardInterrupt:  # before any result was computed
        print(f"{PROG}: interrupted", file=sys.stderr)
        return INTERRUPTED


def _exit_status(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message") convention
    return 1
