"""Write benchmark reports: a Markdown file with tables and PNG figures."""

import datetime
import os
import platform
import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from skclassify.evaluation._atomic import atomic_write_text, save_figure

__all__ = ["machine_info", "write_report"]

#: Packages whose versions a report records: name -> distributions to try.
VERSION_PACKAGES = {
    "numpy": ("numpy",),
    "scikit-learn": ("scikit-learn",),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-macos"),
    "keras": ("keras",),
    "scikeras": ("scikeras",),
    "pandas": ("pandas",),
}


def _version(distributions: Sequence[str]) -> str | None:
    for distribution in distributions:
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return None


def machine_info() -> dict[str, Any]:
    """Describe this machine and the versions of the key packages.

    Reads package metadata only; nothing heavy (such as TensorFlow) is
    imported.

    Returns
    -------
    info : dict
        ``platform``, ``machine``, ``cpu_count``, ``usable_cpus``,
        ``memory_gib`` (None without psutil) and ``versions``, a dict of
        ``python`` and each installed package of ``VERSION_PACKAGES``.

    Examples
    --------
    >>> from skclassify.evaluation import machine_info
    >>> info = machine_info()
    >>> "python" in info["versions"] and "scikit-learn" in info["versions"]
    True
    """
    try:
        import psutil

        memory_gib = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:  # pragma: no cover
        memory_gib = None
    usable = (
        len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count()
    )
    versions = {"python": platform.python_version()}
    for name, distributions in VERSION_PACKAGES.items():
        if (version := _version(distributions)) is not None:
            versions[name] = version
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "memory_gib": memory_gib,
        "versions": versions,
    }


def _format_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {seconds:02d} s"
    return f"{minutes} min {seconds:02d} s"


def _header(
    command: str | None,
    seed: Any,
    date: str | None,
    runtime: float | None,
    extra: Mapping[str, Any],
) -> str:
    info = machine_info()
    machine = f"{info['platform']}, {info['usable_cpus']} of {info['cpu_count']} CPUs"
    if info["memory_gib"] is not None:
        machine += f", {info['memory_gib']} GiB RAM"
    if command is None:
        command = shlex.join(["python", *sys.argv])
    if date is None:
        date = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    fields = {
        "Command": f"`{command}`",
        "Seed": "n/a" if seed is None else seed,
        "Date": date,
        "Machine": machine,
        "Versions": ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        "Runtime": "n/a" if runtime is None else _format_duration(runtime),
        **extra,
    }
    return "\n".join(f"- **{key}:** {value}" for key, value in fields.items())


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
    command: str | None = None,
    seed: Any = None,
    runtime: float | None = None,
    date: str | None = None,
    extra_header: Mapping[str, Any] | None = None,
    float_format: str = ".4f",
    dpi: int = 100,
) -> Path:
    """Write a Markdown report with a run header, tables and PNG figures.

    The report starts with a header block: the command, the seed, the date,
    the machine (platform, CPUs, memory, package versions, see
    :func:`machine_info`) and the runtime. Each section is a ``##`` heading
    followed by its content. Every file is written atomically.

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

    command : str, default=None
        The command that produced the report (default: ``python`` and
        ``sys.argv``).

    seed : int, default=None
        The random seed of the run.

    runtime : float, default=None
        The total runtime in seconds.

    date : str, default=None
        The date of the run (default: now, UTC, ISO 8601).

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

    See Also
    --------
    summarize : Tables to report.
    plot_metric, plot_heatmap : Figures to report.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from skclassify.evaluation import write_report
    >>> table = pd.DataFrame({"model": ["svc"], "accuracy_mean": [0.98]})
    >>> report = write_report(
    ...     Path(tempfile.mkdtemp()) / "demo.md", title="Demo",
    ...     sections={"Scores": ["Mean over 5 folds.", table]},
    ...     command="python bench.py --seed 0", seed=0, runtime=12.5,
    ... )
    >>> text = report.read_text()
    >>> text.splitlines()[0]
    '# Demo'
    >>> "- **Seed:** 0" in text and "| svc     |" in text
    True
    """
    path = Path(path)
    blocks = [f"# {title}", _header(command, seed, date, runtime, extra_header or {})]
    for heading, content in sections.items():
        figure_stem = f"{path.stem}-{_slug(heading)}"
        blocks.append(f"## {heading}")
        blocks.extend(_render(content, figure_stem, path.parent, float_format, dpi))
    return atomic_write_text(path, "\n\n".join(blocks) + "\n")
