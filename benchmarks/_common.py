"""Shared plumbing of the benchmark scripts: options, parallel backend, header.

Not part of the installed package: the experiments live in ``benchmarks/``,
the reusable machinery they call in :mod:`skclassify.evaluation` and
:mod:`skclassify.reporting`.
"""

import argparse
import contextlib
from pathlib import Path

from skclassify.evaluation import dask_backend


def benchmark_parser(description: str, benchmarks_dir: Path) -> argparse.ArgumentParser:
    """The options every benchmark script takes.

    ``--quick``, ``--n-jobs``, ``--scheduler``, ``--resume``, ``--quiet``,
    ``--seed``, ``--output-dir`` and ``--results-dir``. Parse with
    :meth:`~argparse.ArgumentParser.parse_args`; ``--output-dir`` defaults to
    ``docs/benchmarks`` beside ``benchmarks_dir`` (with ``--quick``:
    ``benchmarks_dir/results/quick``, so a smoke test never overwrites a
    committed report) and ``--results-dir`` to ``benchmarks_dir/results``.

    Parameters
    ----------
    description : str
        The script's one-line description.
    benchmarks_dir : Path
        The folder of the benchmark scripts.

    Returns
    -------
    argparse.ArgumentParser
        Add script-specific options, then parse.
    """
    parser = _Parser(description=description)
    parser.benchmarks_dir = Path(benchmarks_dir)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes for a smoke test; outputs go under the results folder",
    )
    parser.add_argument(
        "--n-jobs", type=int, default=None, help="cells run in parallel (default: 1)"
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        help="run on this Dask scheduler address ('local': a new local cluster)",
    )
    parser.add_argument(
        "--resume", action="store_true", help="reuse the finished cells of a run"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of data, folds and models"
    )
    parser.add_argument("--output-dir", type=Path, default=None, help="report folder")
    parser.add_argument(
        "--results-dir", type=Path, default=None, help="folder of the results file"
    )
    return parser


class _Parser(argparse.ArgumentParser):
    """Fills in the output folders that depend on ``--quick``."""

    def parse_args(self, args=None, namespace=None):
        parsed = super().parse_args(args, namespace)
        results = self.benchmarks_dir / "results"
        quick = results / "quick"
        if parsed.output_dir is None:
            default = self.benchmarks_dir.parent / "docs" / "benchmarks"
            parsed.output_dir = quick if parsed.quick else default
        if parsed.results_dir is None:
            parsed.results_dir = quick if parsed.quick else results
        return parsed


def parallel_backend(scheduler: str | None, n_jobs: int | None):
    """The Dask context for a ``--scheduler`` option, or a no-op without one.

    Parameters
    ----------
    scheduler : str or None
        A scheduler address, ``"local"`` for a new local cluster (with
        ``n_jobs`` workers, default 2) or None.
    n_jobs : int or None
        Workers of a new local cluster.

    Returns
    -------
    context manager
    """
    if scheduler is None:
        return contextlib.nullcontext()
    address = None if scheduler == "local" else scheduler
    return dask_backend(address, n_workers=n_jobs if n_jobs and n_jobs > 0 else 2)


def run_header(args: argparse.Namespace, summary) -> dict:
    """Header fields of a benchmark report: size, resumption, summed fit time.

    Parameters
    ----------
    args : argparse.Namespace
        Options parsed by :func:`benchmark_parser` (``quick``, ``resume``).
    summary : pandas.DataFrame
        A :func:`summarize` table (``fit_time_mean`` and ``n_runs``).

    Returns
    -------
    dict
        For ``write_report(extra_header=...)``.
    """
    fit_minutes = (summary["fit_time_mean"] * summary["n_runs"]).sum() / 60
    return {
        "Size": "quick" if args.quick else "full",
        "Resumed": "yes" if args.resume else "no",
        "Fit time of all cells": (
            f"{fit_minutes:.1f} min"
            " (summed over cells, as timed by the run that computed each)"
        ),
    }
