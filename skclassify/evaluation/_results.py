"""An append-only JSON-lines store of cross-validation results.

One line per (model, seed, fold) run, written and flushed as soon as it
finishes, so that an interrupted run loses nothing and can be resumed. Every
row carries its ``cell`` key (see :func:`cell_key`): a hash of everything that
decides its numbers, which is what a resumed run matches on.
"""

import json
import math
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ResultsStore", "read_results"]

#: The columns that label a row, besides the run's tags.
KEY_COLUMNS = ("model", "seed", "fold")

#: The measured columns of a cell; every other column identifies it.
METRIC_COLUMNS = (
    "accuracy",
    "balanced_accuracy",
    "roc_auc",
    "log_loss",
    "fit_time",
    "predict_time",
)

#: Columns describing a row's cell: its key, its split and the split's sizes.
CELL_COLUMNS = ("cell", "split", "n_train", "n_test")


def _to_builtin(value: Any) -> Any:
    """Make ``value`` JSON-friendly: numpy scalars to Python, NaN to None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else value
    if isinstance(value, (tuple, list)):
        return [_to_builtin(item) for item in value]
    return value


class ResultsStore:
    """Append-only JSON-lines file of result rows, one row per line.

    Rows are plain dicts of JSON-friendly values; NaN is stored as ``null``
    and numpy scalars as Python numbers. Every :meth:`append` flushes and
    syncs the file. A half-written last line (from a killed run) is ignored
    with a warning by :meth:`read` and terminated before the next append.

    Parameters
    ----------
    path : str or path-like
        The ``.jsonl`` file. It and its folder are created on the first
        append.

    See Also
    --------
    read_results : Read such a file as a DataFrame.
    compare_models : Writes its cells to a store.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skclassify.evaluation import ResultsStore
    >>> store = ResultsStore(Path(tempfile.mkdtemp()) / "results.jsonl")
    >>> store.append({"model": "dummy", "fold": 0, "accuracy": 0.5})
    >>> store.read()
    [{'model': 'dummy', 'fold': 0, 'accuracy': 0.5}]
    >>> store.append({"model": "dummy", "fold": 1, "cell": "ab12", "accuracy": 1.0})
    >>> list(store.completed())
    ['ab12']
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    def read(self) -> list[dict[str, Any]]:
        """Return all complete rows in file order (empty if no file)."""
        if not self.path.exists():
            return []
        rows = []
        with self.path.open(encoding="utf-8") as f:
            for lineno, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    warnings.warn(
                        f"Skipping unreadable line {lineno} of {self.path} "
                        "(probably cut off by an interrupted run).",
                        RuntimeWarning,
                        stacklevel=2,
                    )
        return rows

    def completed(self) -> dict[str, dict[str, Any]]:
        """Return the rows that have a cell key, keyed by it.

        When a cell was written several times, the last row wins.
        """
        return {row["cell"]: row for row in self.read() if row.get("cell")}

    def append(self, row: Mapping[str, Any]) -> None:
        """Append one row as a JSON line, then flush and sync the file."""
        line = json.dumps({k: _to_builtin(v) for k, v in row.items()})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+b") as f:
            f.seek(0, os.SEEK_END)
            if f.tell() > 0:
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    f.write(b"\n")  # terminate a line cut off by a crash
            f.write(line.encode("utf-8") + b"\n")
            f.flush()
            os.fsync(f.fileno())


def read_results(path: str | os.PathLike, *, deduplicate: bool = True) -> pd.DataFrame:
    """Read a results file written by :func:`compare_models` as a DataFrame.

    Parameters
    ----------
    path : str or path-like
        The JSON-lines results file.

    deduplicate : bool, default=True
        Keep only the last row of each label: its model, seed, fold, cell
        key and every other non-metric column (the tags). A cell is written
        twice when a run is repeated without ``resume=True``.

    Returns
    -------
    results : DataFrame
        One row per cell; ``null`` values read as NaN.

    See Also
    --------
    compare_models : Writes such files.
    summarize : Mean and std of the metrics per group.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skclassify.evaluation import ResultsStore, read_results
    >>> store = ResultsStore(Path(tempfile.mkdtemp()) / "results.jsonl")
    >>> store.append({"model": "dummy", "fold": 0, "accuracy": 0.4})
    >>> store.append({"model": "dummy", "fold": 0, "accuracy": 0.5})
    >>> read_results(store.path)
       model  fold  accuracy
    0  dummy     0       0.5
    """
    df = pd.DataFrame.from_records(ResultsStore(path).read())
    if df.empty:
        return df
    for column in METRIC_COLUMNS:
        if column in df:
            df[column] = df[column].astype(float)
    if deduplicate:
        subset = [c for c in df.columns if c not in METRIC_COLUMNS]
        hashable = df[subset].map(lambda v: json.dumps(v) if isinstance(v, list) else v)
        df = df[~hashable.duplicated(keep="last")].reset_index(drop=True)
    return df
