"""Cross-validated comparison of classifiers, results stores and reports.

- :func:`compare_models`: one row per (model, fold), parallel and resumable.
- :class:`ResultsStore`, :func:`read_results`: the JSON-lines results file.
- :func:`dask_backend`: run the comparison on a Dask cluster.
- :func:`benchmark_parser`, :func:`set_random_state`, :func:`parallel_backend`,
  :func:`join_names`: plumbing shared by the benchmark scripts.
- :func:`summarize`, :func:`plot_metric`, :func:`plot_heatmap`,
  :func:`write_report`: tables, figures and Markdown reports.
"""

from skclassify.evaluation._atomic import atomic_path, atomic_write_text, save_figure
from skclassify.evaluation._bench import (
    benchmark_parser,
    join_names,
    parallel_backend,
    run_header,
    set_random_state,
)
from skclassify.evaluation._compare import compare_models
from skclassify.evaluation._parallel import SCHEDULER_ENV_VAR, dask_backend
from skclassify.evaluation._plots import plot_heatmap, plot_metric
from skclassify.evaluation._report import machine_info, write_report
from skclassify.evaluation._results import ResultsStore, read_results
from skclassify.evaluation._summary import summarize

__all__ = [
    "SCHEDULER_ENV_VAR",
    "benchmark_parser",
    "join_names",
    "parallel_backend",
    "run_header",
    "set_random_state",
    "ResultsStore",
    "atomic_path",
    "atomic_write_text",
    "compare_models",
    "dask_backend",
    "machine_info",
    "plot_heatmap",
    "plot_metric",
    "read_results",
    "save_figure",
    "summarize",
    "write_report",
]
