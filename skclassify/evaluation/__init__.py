"""The cross-validation engine: runs over seeds x folds, results, statistics.

- :func:`compare_models`: one row per (model, seed, fold), parallel and
  resumable; cells keyed by a hash of everything that decides them.
- :class:`ResultsStore`, :func:`read_results`: the JSON-lines results file.
- :func:`cell_key`, :func:`describe_estimator`, :func:`data_fingerprint`:
  the keys of the cells.
- :func:`paired_ttest`, :func:`pairwise_ttests`, :func:`corrected_ttest`,
  :func:`holm`: whether one model beats another (the corrected repeated
  k-fold t-test over all seed x fold differences, Holm-corrected).
- :func:`verdict`, :class:`Verdict`, :func:`describe_difference`: the best
  model against the others, in a table and in words (one rule for
  ``compare`` and the benchmark reports).
- :data:`METRICS`, :func:`choose_metric`: the metrics of a cell and which
  one a verdict is about (balanced accuracy on imbalanced classes).
- :func:`set_random_state`, :func:`repeated_splits`, :func:`split_seed`:
  one seed into every ``*random_state``; each repetition's own split.
- :func:`budget_curve`, :class:`CurveRule`: held-out accuracy of one
  training run at growing step counts, and when it stops.
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
from skclassify.evaluation._metrics import (
    IMBALANCE_RATIO,
    METRICS,
    Metric,
    MetricChoice,
    choose_metric,
)
from skclassify.evaluation._pairwise import ALPHA, THRESHOLD, holm, pairwise_ttests
from skclassify.evaluation._parallel import SCHEDULER_ENV_VAR, dask_backend
from skclassify.evaluation._results import ResultsStore, read_results
from skclassify.evaluation._seeding import repeated_splits, set_random_state, split_seed
from skclassify.evaluation._stats import TTestResult, corrected_ttest, paired_ttest
from skclassify.evaluation._verdict import Verdict, describe_difference, verdict
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
    "ALPHA",
    "IMBALANCE_RATIO",
    "METRICS",
    "CurveRule",
    "SCHEDULER_ENV_VAR",
    "THRESHOLD",
    "Metric",
    "MetricChoice",
    "ResultsStore",
    "TTestResult",
    "Verdict",
    "atomic_path",
    "atomic_write_text",
    "budget_curve",
    "cell_key",
    "choose_metric",
    "compare_models",
    "corrected_ttest",
    "dask_backend",
    "data_fingerprint",
    "describe_difference",
    "describe_estimator",
    "holm",
    "machine_info",
    "paired_ttest",
    "pairwise_ttests",
    "plot_heatmap",
    "plot_metric",
    "read_results",
    "repeated_splits",
    "save_figure",
    "set_random_state",
    "split_fingerprint",
    "split_seed",
    "summarize",
    "verdict",
    "write_report",
]
