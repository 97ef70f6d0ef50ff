"""Write files atomically: to a temporary file in the same folder, then rename."""

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["atomic_path", "atomic_write_text", "save_figure"]


def _create_temporary(path: Path) -> Path:
    """Create an empty, new file beside ``path`` with the user's umask applied.

    Not :func:`tempfile.mkstemp`: it creates files with mode 0600 whatever the
    umask, and the rename would give that mode to every report.
    """
    for _ in range(100):
        candidate = path.with_name(
            f".{path.name}.{secrets.token_hex(4)}.tmp{path.suffix}"
        )
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate
    raise FileExistsError(f"no free temporary name beside {path}")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path that replaces ``path`` when the block succeeds.

    The temporary file lives in the folder of ``path`` (so that
    :func:`os.replace` is an atomic rename) and keeps its suffix (so that
    writers that guess the format from the name still work). It is created
    with the mode ``0666`` less the user's umask, as ``open`` would, and
    removed if the block raises.

    Parameters
    ----------
    path : str or path-like
        The final destination. Its folder is created if missing.

    Yields
    ------
    tmp_path : Path
        Where to write; it exists and is empty when the block starts.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skclassify.reporting import atomic_path
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = _create_temporary(path)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically and return the path.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skclassify.reporting import atomic_write_text
    >>> target = atomic_write_text(Path(tempfile.mkdtemp()) / "a.md", "# A\\n")
    >>> target.read_text()
    '# A\\n'
    """
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def save_figure(
    fig: "Figure", path: str | os.PathLike, *, dpi: int = 100, **savefig_kw
) -> Path:
    """Save a matplotlib figure as a PNG file, atomically.

    Works on a bare :class:`matplotlib.figure.Figure` (no ``pyplot``, no
    global backend change).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.

    path : str or path-like
        The destination, usually ending in ``.png``.

    dpi : int, default=100
        The resolution.

    **savefig_kw : dict
        Passed to :meth:`matplotlib.figure.Figure.savefig`.

    Returns
    -------
    path : Path
        The path written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from matplotlib.figure import Figure
    >>> from skclassify.reporting import save_figure
    >>> fig = Figure()
    >>> _ = fig.subplots().plot([0, 1], [1, 0])
    >>> png = save_figure(fig, Path(tempfile.mkdtemp()) / "line.png")
    >>> png.read_bytes()[:4]
    b'\\x89PNG'
    """
    savefig_kw.setdefault("format", "png")
    savefig_kw.setdefault("bbox_inches", "tight")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=dpi, **savefig_kw)
    return Path(path)
