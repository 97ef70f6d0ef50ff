"""Generic report writing: headers, tables, plots and Markdown files.

- :func:`write_report`: a Markdown report with a headline, at most five
  findings, a run header and sections of text, tables and figures.
- :func:`report_header`, :func:`machine_info`, :func:`git_info`: what ran,
  where, with which code (version, commit, dirty flag) and seeds.
- :func:`summarize`, :func:`mean_interval`, :func:`mean_std_table`,
  :func:`split_columns`, :func:`join_names`: tables and 95% confidence
  intervals of means; :func:`markdown_table`: Markdown at most 100
  characters wide (transposed or split).
- :func:`plot_metric`, :func:`plot_heatmap`: figures, with reference lines,
  confidence intervals as error bars, no overprinted numbers
  (:func:`avoid_label_collisions` for other figures).
- :func:`atomic_path`, :func:`atomic_write_text`, :func:`save_figure`: files
  that are either complete or absent.

The cross-validation engine that produces the numbers is
:mod:`skclassify.evaluation`.
"""

from skclassify.reporting._atomic import atomic_path, atomic_write_text, save_figure
from skclassify.reporting._header import git_info, machine_info, report_header
from skclassify.reporting._intervals import CONFIDENCE, INTERVAL_NOTE, mean_interval
from skclassify.reporting._markdown import MAX_TABLE_WIDTH, markdown_table, write_report
from skclassify.reporting._plots import (
    avoid_label_collisions,
    plot_heatmap,
    plot_metric,
)
from skclassify.reporting._tables import (
    join_names,
    mean_std_table,
    split_columns,
    summarize,
)

__all__ = [
    "CONFIDENCE",
    "INTERVAL_NOTE",
    "MAX_TABLE_WIDTH",
    "atomic_path",
    "avoid_label_collisions",
    "atomic_write_text",
    "git_info",
    "join_names",
    "machine_info",
    "markdown_table",
    "mean_interval",
    "mean_std_table",
    "plot_heatmap",
    "plot_metric",
    "report_header",
    "save_figure",
    "split_columns",
    "summarize",
    "write_report",
]
