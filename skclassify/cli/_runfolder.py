"""The run folder of ``compare``: its name, its lock, and what may be overwritten.

A run folder holds one run: ``report.md``, its figures ``report-*.png``,
``results.jsonl`` (one line per finished cell) and ``settings.json`` (what
decides the results, and its hash). It is named by the data and that hash, so
runs with other data or settings never share a folder.
"""

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ._errors import CLIError, status

__all__ = ["RunFolder", "file_digest", "settings_hash"]

LOCK_NAME = ".skclassify.lock"
REPORT_NAME = "report.md"
RESULTS_NAME = "results.jsonl"
SETTINGS_NAME = "settings.json"


def file_digest(path: Path) -> str:
    """The first 16 hex digits of the SHA-256 of a file."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()[:16]


def settings_hash(settings: Mapping[str, Any]) -> str:
    """A short hash of JSON-able settings (key order does not matter)."""
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


class RunFolder:
    """Claim a folder for one run: lock it and check what it already holds.

    Use as a context manager; the lock is released on exit, and by the
    operating system if the process dies.
    """

    def __init__(self, path: Path, settings: Mapping[str, Any]) -> None:
        self.path = Path(path)
        self.settings = dict(settings)
        self.hash = settings_hash(settings)
        self._lock_file = None

    @property
    def report(self) -> Path:
        return self.path / REPORT_NAME

    @property
    def results(self) -> Path:
        return self.path / RESULTS_NAME

    def _owned(self) -> list[Path]:
        """The files of a run that exist in the folder."""
        names = [REPORT_NAME, RESULTS_NAME, SETTINGS_NAME]
        found = [self.path / name for name in names if (self.path / name).exists()]
        return found + sorted(self.path.glob("report-*.png"))

    def _lock(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock_file = open(self.path / LOCK_NAME, "a+")  # noqa: SIM115
        except OSError as exc:
            raise CLIError(
                f"cannot write to the output folder {self.path}: {exc.strerror or exc}"
            ) from None
        try:
            _try_lock(self._lock_file)
        except BlockingIOError:
            self._lock_file.seek(0)
            owner = self._lock_file.read().strip() or "unknown"
            self._lock_file.close()
            self._lock_file = None
            raise CLIError(
                f"another skclassify compare (pid {owner}) is writing to "
                f"{self.path}; wait for it to finish or choose another --output-dir"
            ) from None
        self._lock_file.seek(0)
        self._lock_file.truncate()
        self._lock_file.write(f"{os.getpid()}\n")
        self._lock_file.flush()

    def claim(self, *, resume: bool, force: bool) -> None:
        """Lock the folder and decide what happens to an earlier run in it."""
        self._lock()
        owned = self._owned()
        if owned and force:
            for path in owned:
                path.unlink()
            status(f"--force: removed the earlier run's files in {self.path}")
        elif owned and not resume:
            names = ", ".join(path.name for path in owned[:3])
            raise CLIError(
                f"{self.path} already holds a run ({names}); add --resume to "
                "reuse its finished cells, --force to replace it, or choose "
                "another --output-dir"
            )
        elif owned:
            self._check_same_settings()
        self._clean_up()
        text = json.dumps({"hash": self.hash, **self.settings}, indent=2, default=str)
        from skclassify.evaluation import atomic_write_text

        atomic_write_text(self.path / SETTINGS_NAME, text + "\n")

    def _check_same_settings(self) -> None:
        path = self.path / SETTINGS_NAME
        try:
            earlier = json.loads(path.read_text(encoding="utf-8")).get("hash")
        except (OSError, ValueError):
            earlier = None
        if earlier != self.hash:
            raise CLIError(
                f"{self.path} holds a run with other data or settings "
                f"(settings hash {earlier}, this run {self.hash}); --resume "
                "needs the same ones: choose another --output-dir or use --force"
            )

    def _clean_up(self) -> None:
        """Remove what a killed run left: temporary files, a half-written line."""
        for tmp in self.path.glob(".*.tmp*"):
            tmp.unlink(missing_ok=True)
            status(f"removed {tmp.name}, left by an interrupted run")
        results = self.results
        if results.exists():
            data = results.read_bytes()
            if data and not data.endswith(b"\n"):
                with results.open("r+b") as f:
                    f.truncate(data.rfind(b"\n") + 1)
                status(f"removed a half-written last line of {results}")

    def release(self) -> None:
        if self._lock_file is not None:
            # Closing releases the lock. The file stays: deleting it would let
            # a waiting process lock a file that a third one no longer sees.
            self._lock_file.close()
            self._lock_file = None

    @contextlib.contextmanager
    def claimed(self, *, resume: bool, force: bool) -> Iterator["RunFolder"]:
        try:
            self.claim(resume=resume, force=force)
            yield self
        finally:
            self.release()


def _try_lock(f) -> None:
    """An exclusive, non-blocking lock; BlockingIOError if held elsewhere."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            raise BlockingIOError from None
        return
    fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
