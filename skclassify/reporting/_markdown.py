"""Write reports: a Markdown file with a header, tables and PNG figures."""

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from skclassify.reporting._atomic import atomic_write_text, save_figure
from skclassify.reporting._header import report_header

__all__ = ["write_report"]

#: The most findings a report opens with.
MAX_FINDINGS = 5


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "figure"


def _render(content: Any, figure_stem: str, folder: Path, float_format: str, dpi: int):
    """Turn one section's content into Markdown blocks, saving its figures."""
    from matplotlib.figure import Figure

    items = content if isinstance(content, list | tuple) else [content]
    n_figures = sum(isinstance(item, Figure) for item in items)
    blocks, k = [], 0
    for item in items:
        if isinstance(item, str):
            blocks.append(item.strip())
        elif isinstance(item, pd.DataFrame | pd.Series):
            frame = item.to_frame() if isinstance(item, pd.Series) else item
            show_index = not isinstance(frame.index, pd.RangeIndex)
            blocks.append(frame.to_markdown(index=show_index, floatfmt=float_format))
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
        DataFrame or Series (a table via ``to_markdown``), a matplotlib
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
