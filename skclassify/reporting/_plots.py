"""Plots of benchmark summaries, as bare matplotlib figures (no pyplot)."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["avoid_label_collisions", "plot_heatmap", "plot_metric"]

#: Markers and dash patterns of successive lines: no line hides another.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DASHES = ("-", "--", "-.", ":")
#: Dash patterns and colours of the reference lines (the first is black).
REFERENCE_STYLES = (":", "--", "-.", (0, (5, 1, 1, 1, 1, 1)))
REFERENCE_COLORS = ("black", "dimgray", "tab:brown", "tab:olive", "tab:cyan")


def plot_metric(
    summary: pd.DataFrame,
    *,
    x: str,
    y: str = "accuracy",
    hue: str | None = "model",
    logx: bool = False,
    log_base: float = 10,
    title: str | None = None,
    ylabel: str | None = None,
    references: Mapping[str, Any] | None = None,
    dodge: float = 0.0,
    figsize: tuple[float, float] = (6.4, 4.0),
) -> "Figure":
    """Line plot of a metric against a setting, one line per ``hue`` value.

    Every line gets its own marker and dash pattern, so that a line lying
    on another one stays visible. Error bars are confidence intervals of the
    mean (see :func:`summarize`), never mean ± std; x tick labels that would
    collide are rotated.

    Parameters
    ----------
    summary : DataFrame
        A table from :func:`summarize` (with ``<y>_mean``, and
        ``<y>_ci_low``, ``<y>_ci_high``: the 95% confidence interval of the
        mean, drawn as error bars and clipped to [0, 1] for scores) or any
        table with a ``y`` column.

    x : str
        The column on the horizontal axis, e.g. ``"n_classes"``.

    y : str, default="accuracy"
        The metric on the vertical axis.

    hue : str or None, default="model"
        The column that splits the lines; ``None`` draws one line.

    logx : bool, default=False
        Use a logarithmic horizontal axis.

    log_base : float, default=10
        The base of the logarithmic axis, e.g. 2 for numbers of classes.

    title, ylabel : str, default=None
        The title and the vertical label (default: ``y``).

    references : dict, default=None
        Reference lines drawn in black, label -> a number (a horizontal
        line, e.g. ``{"chance": 0.5}``) or a Series indexed by ``x`` (e.g.
        chance ``1 / k`` against the class count ``k``).

    dodge : float, default=0.0
        Shift the lines sideways by up to this fraction of a unit of ``x``
        (of a factor of ``log_base`` with ``logx``), so that equal values of
        several lines stay visible side by side.

    figsize : tuple of float, default=(6.4, 4.0)
        The size in inches.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure; save it with :func:`save_figure` or :func:`write_report`.

    See Also
    --------
    summarize : Builds the summary table.
    plot_heatmap : A metric over two settings.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.reporting import plot_metric
    >>> summary = pd.DataFrame({
    ...     "model": ["a", "a", "b", "b"],
    ...     "n_classes": [2, 256, 2, 256],
    ...     "accuracy_mean": [1.0, 0.1, 1.0, 1.0],
    ...     "accuracy_std": [0.0, 0.05, 0.0, 0.0],
    ... })
    >>> chance = pd.Series({2: 0.5, 256: 1 / 256})
    >>> fig = plot_metric(summary, x="n_classes", logx=True, log_base=2,
    ...                   references={"chance (1/k)": chance})
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['a', 'b', 'chance (1/k)']
    """
    from matplotlib.figure import Figure

    mean = f"{y}_mean" if f"{y}_mean" in summary else y
    low, high = f"{y}_ci_low", f"{y}_ci_high"
    has_ci = low in summary and high in summary
    groups = [(None, summary)] if hue is None else summary.groupby(hue, sort=False)

    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    groups = list(groups)
    for i, (label, group) in enumerate(groups):
        group = group.sort_values(x)
        shift = dodge * (i - (len(groups) - 1) / 2) / max(len(groups) - 1, 1)
        if not shift:
            xs = group[x]
        else:
            xs = group[x] * log_base**shift if logx else group[x] + shift
        yerr = None
        if has_ci:
            yerr = np.vstack(
                [
                    (group[mean] - group[low]).clip(lower=0).fillna(0),
                    (group[high] - group[mean]).clip(lower=0).fillna(0),
                ]
            )
        ax.errorbar(
            xs,
            group[mean],
            yerr=yerr,
            marker=MARKERS[i % len(MARKERS)],
            linestyle=DASHES[(i // len(MARKERS)) % len(DASHES)],
            markersize=6,
            markerfacecolor="none" if i % 2 else None,
            capsize=3,
            alpha=0.9,
            label=None if label is None else str(label),
        )
    _draw_references(ax, references or {})
    if logx:
        ax.set_xscale("log", base=log_base)
    avoid_label_collisions(fig, ax)
    ax.set_xlabel(x)
    ax.set_ylabel(ylabel or y)
    ax.grid(True, alpha=0.3)
    if title:
        ax.set_title(title)
    if hue is not None or references:
        handles, labels = ax.get_legend_handles_labels()
        last = set(references or {})
        order = sorted(range(len(labels)), key=lambda i: labels[i] in last)
        ax.legend([handles[i] for i in order], [labels[i] for i in order], title=hue)
    return fig


def _draw_references(ax, references: Mapping[str, Any]) -> None:
    """Reference lines: numbers are horizontal, Series follow ``x``."""
    for i, (label, value) in enumerate(references.items()):
        style = {
            "linestyle": REFERENCE_STYLES[i % len(REFERENCE_STYLES)],
            "color": REFERENCE_COLORS[i % len(REFERENCE_COLORS)],
            "linewidth": 1.2,
        }
        if isinstance(value, pd.Series):
            value = value.sort_index()
            ax.plot(value.index, value.to_numpy(), label=label, **style)
        else:
            ax.axhline(float(value), label=label, **style)


def plot_heatmap(
    table: pd.DataFrame,
    *,
    title: str | None = None,
    cmap: str = "viridis",
    fmt: str = ".2f",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> "Figure":
    """Heatmap of a 2-D table, each cell annotated with its value.

    The figure is sized so that every annotation fits its cell (smaller
    type where it would not), so that numbers never overprint; x tick
    labels that would collide are rotated.

    Parameters
    ----------
    table : DataFrame
        The values, e.g. ``summary.pivot(index="model", columns="n_classes",
        values="accuracy_mean")``; the index and columns label the axes.

    title : str, default=None
        The title.

    cmap : str, default="viridis"
        The matplotlib colormap.

    fmt : str, default=".2f"
        The format of the annotations; NaN cells are left blank.

    vmin, vmax : float, default=None
        The color range (default: the data range). Start it at chance or 0,
        so that small differences are not drawn as large ones.

    colorbar_label : str, default=None
        The label of the color bar.

    figsize : tuple of float, default=None
        The size in inches (default: grows with the table).

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.

    See Also
    --------
    plot_metric : A metric against one setting.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.reporting import plot_heatmap
    >>> table = pd.DataFrame([[1.0, 0.1], [1.0, 0.9]], index=["mlp", "svc"],
    ...                      columns=[2, 256])
    >>> fig = plot_heatmap(table, title="accuracy", vmin=0.0, vmax=1.0)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['1.00', '0.10', '1.00', '0.90']
    """
    from matplotlib.figure import Figure

    values = table.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    texts = [format(v, fmt) for v in values.ravel() if not np.isnan(v)]
    if figsize is None:
        # Each cell as wide as its longest annotation (about 0.6 em a
        # character at 10 points), so that neighbours never overprint.
        chars = max(map(len, texts), default=1)
        cell = max(0.8, 0.12 + chars * 10 * 0.65 / 72)
        labels = max((len(str(i)) for i in table.index), default=1)
        width = 1.6 + labels * 0.09 + cell * n_cols
        figsize = (max(4.0, width), max(3.0, 1.0 + 0.5 * n_rows))

    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    colorbar = fig.colorbar(image, ax=ax)
    if colorbar_label:
        colorbar.set_label(colorbar_label)

    ax.set_xticks(range(n_cols), [str(c) for c in table.columns])
    ax.set_yticks(range(n_rows), [str(i) for i in table.index])
    ax.set_xlabel(str(table.columns.name or ""))
    ax.set_ylabel(str(table.index.name or ""))
    annotations = []
    for (i, j), value in np.ndenumerate(values):
        if np.isnan(value):
            continue
        r, g, b, _ = image.cmap(image.norm(value))
        dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
        annotations.append(
            ax.text(
                j,
                i,
                format(value, fmt),
                ha="center",
                va="center",
                color="white" if dark else "black",
            )
        )
    if title:
        ax.set_title(title)
    _shrink_to_cells(fig, ax, annotations, n_cols)
    avoid_label_collisions(fig, ax)
    return fig


def _shrink_to_cells(fig, ax, annotations, n_cols: int) -> None:
    """Make the annotations smaller where one is wider than its cell."""
    if not annotations:
        return
    fig.draw_without_rendering()
    cell = ax.get_window_extent().width / n_cols
    widest = max(text.get_window_extent().width for text in annotations)
    if widest > 0.92 * cell:
        size = annotations[0].get_fontsize() * 0.92 * cell / widest
        for text in annotations:
            text.set_fontsize(max(5.0, size))


def _overlap(extents) -> bool:
    extents = sorted(extents, key=lambda e: e.x0)
    return any(a.x1 > b.x0 for a, b in zip(extents[:-1], extents[1:], strict=True))


def avoid_label_collisions(fig, ax) -> None:
    """Rotate the x tick labels of ``ax`` when neighbours would overlap.

    Labels that fit side by side stay horizontal; otherwise they are turned
    by 30 degrees, then 90 if that is not enough, anchored at their tick.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure of ``ax``.
    ax : matplotlib.axes.Axes
        The axes whose x tick labels to check.
    """
    for rotation in (0, 30, 90):
        labels = [label for label in ax.get_xticklabels() if label.get_text()]
        for label in labels:
            label.set_rotation(rotation)
            label.set_horizontalalignment("center" if rotation in (0, 90) else "right")
            label.set_rotation_mode("anchor" if rotation == 30 else "default")
        fig.draw_without_rendering()
        if not _overlap([label.get_window_extent() for label in labels]):
            return
