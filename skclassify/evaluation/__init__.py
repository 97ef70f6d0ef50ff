"""The cross-validation engine: runs over seeds x folds, results, statistics.

- :func:`compare_models`: one row per (model, seed, fold), parallel and
  resumable; cells keyed by a hash of everything that decides them.
- :class:`ResultsStore`, :func:`read_results`: the JSON-lines results file.
- :func:`cell_key`, :func:`describe_estimator`, :func:`data_fingerprint`:
  the keys of the cells.
- :func:`paired_ttest`, :func:`pairwise_ttests`, :func:`corrected_ttest`:
  whether one model beats another (Nadeau and Bengio's corrected test).
- :func:`budget_curve`, :class:`CurveRule`: held-out accuracy of one
  training run at growing step counts, and when it stops.
- :func:`set_random_state`: one seed into every ``*random_state``.
- :func:`dask_backend`: run the comparison on a Dask cluster.

Report writing (tables, plots, headers, Markdown) lives in
:mod:`skclassify.reporting`; :func:`summarize`, :func:`write_report`,
:func:`plot_metric`, :func:`plot_heatmap` and the file helpers are
re-exported here for compatibility.
"""

from skclassify.evaluation._compare import compare_models
from skclassify.evaluation._curves import CurveRule, budget_curve
from skclassify.evaluation._keys import (
    cell_key,
    data_fingerprint,
    describe_estimator,
    split_fingerprint,
)
from skclassify.evaluation._parallel import SCHEDULER_ENV_VAR, dask_backend
from skclassify.evaluation._results import ResultsStore, read_results
from skclassify.evaluation._seeding import set_random_state
from skclassify.evaluation._stats import (
    TTestResult,
    corrected_ttest,
    paired_ttest,
    pairwise_ttests,
)
from skclassify.reporting import (
    atomic_path,
    atomic_write_text,
    machine_info,
    plot_heatmap,
    plot_metric,
    save_figure,
    summarize,
    write_report,
)

__all__ = [
    "CurveRule",
    "SCHEDULER_ENV_VAR",
    "ResultsStore",
    "TTestResult",
    "atomic_path",
    "atomic_write_text",
    "budget_curve",
    "cell_key",
    "compare_models",
    "corrected_ttest",
    "dask_backend",
    "data_fingerprint",
    "describe_estimator",
    "machine_info",
    "paired_ttest",
    "pairwise_ttests",
    "plot_heatmap",
    "plot_metric",
    "read_results",
    "save_figure",
    "set_random_state",
    "split_fingerprint",
    "summarize",
    "write_report",
]
