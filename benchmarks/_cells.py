"""Raw cells of a report: the curve runs' store and the committed cell file.

- :class:`CurveStore`: one JSON line per finished curve run (a net, a class
  count, a seed and a fold), appended as each run ends, so that a stopped
  run resumes without recomputing the finished ones.
- :func:`write_cells`, :func:`read_cells`: every raw cell of a report, the
  cross-validation rows (``kind="table"``) and the curve checkpoints
  (``kind="curve"``), in one gzip-compressed JSON-lines file next to the
  report, each row with the commit that computed it; ``--from-cells``
  recomputes the report's tables and figures from that file alone.
"""

import gzip
import hashlib
import json
from pathlib import Path

import pandas as pd

from skclassify.evaluation import describe_estimator


def curve_key(estimator, **fields):
    """A hash of everything that decides one curve run."""
    text = json.dumps(
        {"estimator": describe_estimator(estimator), **fields},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class CurveStore:
    """The curve runs of one results folder, keyed by :func:`curve_key`."""

    def __init__(self, path, resume):
        self.path = Path(path)
        self.runs = {}
        if resume and self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    run = json.loads(line)
                    self.runs[run["key"]] = run
        elif self.path.exists():
            self.path.unlink()
        self.resumed = set(self.runs)

    def add(self, run):
        """Keep ``run`` (a dict with ``key`` and ``rows``) and append it."""
        self.runs[run["key"]] = run
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(run) + "\n")

    def frame(self, keys):
        """One row per checkpoint of the runs ``keys``."""
        rows = []
        for key in keys:
            run = self.runs[key]
            fields = {k: v for k, v in run.items() if k != "rows"}
            fields["resumed"] = key in self.resumed
            rows.extend({**fields, **row} for row in run["rows"])
        return pd.DataFrame(rows)


def write_cells(path, tables, curves, commit):
    """Write the report's raw cells to ``path`` (``.jsonl.gz``).

    Rows without a ``commit`` (computed by this run) get ``commit``.
    """
    frames = []
    for kind, frame in (("table", tables), ("curve", curves)):
        if frame is not None and len(frame):
            frame = frame.assign(kind=kind)
            if "commit" not in frame:
                frame = frame.assign(commit=commit)
            frame["commit"] = frame["commit"].fillna(commit)
            frames.append(frame)
    cells = pd.concat(frames, ignore_index=True)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as file:
        for record in cells.to_dict(orient="records"):
            file.write(json.dumps(_plain(record)) + "\n")
    return path


def _plain(record):
    out = {}
    for key, value in record.items():
        if isinstance(value, float) and value != value:  # NaN: absent
            continue
        out[key] = value.item() if hasattr(value, "item") else value
    return out


def read_cells(path):
    """The ``(tables, curves)`` frames of a file written by :func:`write_cells`."""
    with gzip.open(path, "rt", encoding="utf-8") as file:
        cells = pd.DataFrame([json.loads(line) for line in file if line.strip()])
    tables = cells[cells["kind"] == "table"].dropna(axis=1, how="all")
    curves = cells[cells["kind"] == "curve"].dropna(axis=1, how="all")
    return tables.reset_index(drop=True), curves.reset_index(drop=True)


def commits_text(*frames):
    """The commits that computed the cells, for the report header."""
    commits = sorted(
        {
            c
            for frame in frames
            if frame is not None and len(frame)
            for c in frame["commit"]
        }
    )
    return ", ".join(f"`{c}`" for c in commits) or "unknown"
