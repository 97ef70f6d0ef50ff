"""Write reports: a Markdown file with a header, tables and PNG figures."""

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from skclassify.reporting._atomic import atomic_write_text, save_figure
from skclassify.reporting._header import report_header

__all__ = ["MAX_TABLE_WIDTH", "markdown_table", "write_report"]

#: The most findings a report opens with.
MAX_FINDINGS = 5

#: The widest line of a Markdown table, in characters.
MAX_TABLE_WIDTH = 100

#: A table this short (in rows) that is too wide is transposed, not split.
MAX_TRANSPOSED_ROWS = 2


def _width(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _as_list(frame: pd.DataFrame, float_format: str) -> str:
    """A table too wide for any layout, as one bullet per row and column."""
    lines = []
    for key, row in frame.iterrows():
        for column, value in row.items():
            if isinstance(value, float):
                value = format(value, float_format)
            lines.append(f"- **{key}**, {column}: {value}")
    return "\n".join(lines)


def markdown_table(
    table: pd.DataFrame | pd.Series,
    *,
    max_width: int = MAX_TABLE_WIDTH,
    float_format: str = ".4f",
    index: bool | None = None,
) -> str:
    """A Markdown table no wider than ``max_width`` characters.

    A table that fits is written as it is. A wider one is transposed when
    it has at most two rows and that fits, and is otherwise split
    into several tables of consecutive columns, each repeating the row
    labels (the index, or the first column when the index is not shown). A
    column too wide on its own becomes a bullet list.

    Parameters
    ----------
    table : DataFrame or Series
        The table.
    max_width : int, default=100
        The widest line allowed.
    float_format : str, default=".4f"
        The format of floats.
    index : bool, default=None
        Show the index (default: unless it is a plain ``RangeIndex``).

    Returns
    -------
    text : str
        One or more Markdown tables separated by blank lines.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.reporting import markdown_table
    >>> wide = pd.DataFrame({"model": ["svc", "mlp"],
    ...                      **{f"metric {k}": [0.5, 0.25] for k in range(12)}})
    >>> print(markdown_table(wide).splitlines()[2])  # transposed
    | metric 0  | 0.5000 | 0.2500 |
    >>> long = pd.concat([wide] * 10, ignore_index=True)
    >>> text = markdown_table(long)  # split, each part keeps the model
    >>> max(len(line) for line in text.splitlines()) <= 100
    True
    >>> text.count("| model ")
    2
    """
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    if index is None:
        index = not isinstance(frame.index, pd.RangeIndex)
    if not index and frame.shape[1] > 1:
        frame, index = frame.set_index(frame.columns[0]), True

    def render(part: pd.DataFrame) -> str:
        return part.to_markdown(index=index, floatfmt=float_format)

    text = render(frame)
    if _width(text) <= max_width:
        return text
    if index and frame.shape[0] <= MAX_TRANSPOSED_ROWS < frame.shape[1]:
        transposed = frame.T
        transposed.index.name = ""
        text = render(transposed)
        if _width(text) <= max_width:
            return text
    parts, start = [], 0
    while start < frame.shape[1]:
        stop = start + 1
        while stop < frame.shape[1] and (
            _width(render(frame.iloc[:, start : stop + 1])) <= max_width
        ):
            stop += 1
        part = frame.iloc[:, start:stop]
        text = render(part)
        parts.append(
            text if _width(text) <= max_width else _as_list(part, float_format)
        )
        start = stop
    return "\n\n".join(parts)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "figure"


def _render(
    content: Any, figure_stem: str, folder: Path, float_format: str, dpi: int
) -> list[str]:
    """Turn one section's content into Markdown blocks, saving its figures."""
    from matplotlib.figure import Figure

    items = content if isinstance(content, list | tuple) else [content]
    n_figures = sum(isinstance(item, Figure) for item in items)
    blocks, k = [], 0
    for item in items:
        if isinstance(item, str):
            blocks.append(item.strip())
        elif isinstance(item, pd.DataFrame | pd.Series):
            blocks.append(markdown_table(item, float_format=float_format))
        elif isinstance(item, Figure):
            k += 1
            name = figure_stem if n_figures == 1 else f"{figure_stem}-{k}"
            save_figure(item, folder / f"{name}.png", dpi=dpi)
            blocks.append(f"![{name}]({name}.png)")
        else:
            raise TypeError(
                "Report content must be str, DataFrame, Series or matplotlib "
                f"Figure, got {type(item).__name__}."
            )
    return blocks


def write_report(
    path: str | os.PathLike,
    *,
    title: str,
    sections: Mapping[str, Any],
    headline: str | None = None,
    findings: Sequence[str] = (),
    command: str | None = None,
    seeds: Sequence[int] | int | None = None,
    runtime: float | None = None,
    date: str | None = None,
    git: Mapping[str, Any] | None = None,
    extra_header: Mapping[str, Any] | None = None,
    float_format: str = ".4f",
    dpi: int = 100,
) -> Path:
    """Write a Markdown report: headline, findings, run header, sections.

    The report opens with its title, the headline and at most five findings
    (one bullet each). A ``## Run`` block follows: the command, the seeds,
    the date, the machine, the package versions (skclassify included), the
    git commit with its dirty flag and the runtime (see
    :func:`report_header`). Each section is then a ``##`` heading followed by
    its content. Every file is written atomically.

    Parameters
    ----------
    path : str or path-like
        The Markdown file; its folder is created if needed. Figures are
        saved beside it as ``<stem>-<section>[-<k>].png``.

    title : str
        The ``#`` title.

    sections : dict of str to content
        Section heading -> content, in order. Content is a str (Markdown), a
        DataFrame or Series (a table at most 100 characters wide, see
        :func:`markdown_table`), a matplotlib
        :class:`~matplotlib.figure.Figure` (a linked PNG), or a list of these.

    headline : str, default=None
        One or two sentences: the answer of the report, with its numbers.

    findings : sequence of str, default=()
        At most five findings, each a sentence with its numbers.

    command : str, default=None
        The command that produced the report (default: ``python`` and
        ``sys.argv``).

    seeds : sequence of int or int, default=None
        The model seeds of the run.

    runtime : float, default=None
        The total runtime in seconds.

    date : str, default=None
        The date of the run (default: now, UTC, ISO 8601).

    git : dict, default=None
        The :func:`git_info` of the code that ran, best taken when the run
        started (default: taken now).

    extra_header : dict, default=None
        More header fields, e.g. ``{"Device": "1 x H100"}``.

    float_format : str, default=".4f"
        The format of floats in tables.

    dpi : int, default=100
        The resolution of the figures.

    Returns
    -------
    path : Path
        The Markdown file written.

    Raises
    ------
    ValueError
        If more than five findings are given.

    See Also
    --------
    report_header : The fields of the run header.
    summarize : Tables to report.
    plot_metric, plot_heatmap : Figures to report.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from skclassify.reporting import write_report
    >>> table = pd.DataFrame({"model": ["svc"], "accuracy_mean": [0.98]})
    >>> report = write_report(
    ...     Path(tempfile.mkdtemp()) / "demo.md", title="Demo",
    ...     headline="The SVC scores 0.98.",
    ...     findings=["Nothing else was run."],
    ...     sections={"Scores": ["Mean over 5 folds.", table]},
    ...     command="python bench.py", seeds=[0, 1, 2], runtime=12.5,
    ... )
    >>> text = report.read_text()
    >>> text.splitlines()[0]
    '# Demo'
    >>> "- **Seeds:** [0, 1, 2]" in text and "| svc     |" in text
    True
    """
    findings = list(findings)
    if len(findings) > MAX_FINDINGS:
        raise ValueError(
            f"A report opens with at most {MAX_FINDINGS} findings, got {len(findings)}."
        )
    path = Path(path)
    blocks = [f"# {title}"]
    if headline:
        blocks.append(f"**{headline.strip()}**")
    if findings:
        blocks.append("\n".join(f"- {finding.strip()}" for finding in findings))
    header = report_header(
        command=command,
        seeds=seeds,
        date=date,
        runtime=runtime,
        git=git,
        extra=extra_header,
    )
    blocks.append("## Run")
    blocks.append("\n".join(f"- **{key}:** {value}" for key, value in header.items()))
    for heading, content in sections.items():
        figure_stem = f"{path.stem}-{_slug(heading)}"
        blocks.append(f"## {heading}")
        blocks.extend(_render(content, figure_stem, path.parent, float_format, dpi))
    return atomic_write_text(path, "\n\n".join(blocks) + "\n")
