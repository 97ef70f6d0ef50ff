"""The header of a report: what ran, where, with which code and seeds."""

import datetime
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["git_info", "machine_info", "report_header"]

#: Packages whose versions a report records: name -> distributions to try.
VERSION_PACKAGES = {
    "numpy": ("numpy",),
    "scikit-learn": ("scikit-learn",),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-macos"),
    "keras": ("keras",),
    "scikeras": ("scikeras",),
    "pandas": ("pandas",),
}

#: The root of the source tree skclassify is imported from.
_SOURCE_ROOT = Path(__file__).resolve().parents[2]


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
        ``python``, ``skclassify`` and each installed package of
        ``VERSION_PACKAGES``.

    Examples
    --------
    >>> from skclassify.reporting import machine_info
    >>> info = machine_info()
    >>> "skclassify" in info["versions"] and "scikit-learn" in info["versions"]
    True
    """
    import skclassify

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
    versions["skclassify"] = skclassify.__version__
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


def _git(args: Sequence[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def git_info(
    path: str | os.PathLike | None = None, *, ignore: Iterable[str | os.PathLike] = ()
) -> dict[str, Any]:
    """The git commit of a source tree and whether it has local changes.

    Parameters
    ----------
    path : str or path-like, default=None
        A folder inside the checkout (default: the tree skclassify is
        imported from).

    ignore : iterable of str or path-like, default=()
        Paths whose changes do not make the tree dirty, e.g. the folder a
        report is being written to. Untracked files never do.

    Returns
    -------
    info : dict
        ``commit`` (the full hash, or None outside a git checkout) and
        ``dirty`` (True, False, or None when unknown).

    Examples
    --------
    >>> from skclassify.reporting import git_info
    >>> sorted(git_info())
    ['commit', 'dirty']
    """
    root = Path(_SOURCE_ROOT if path is None else path).resolve()
    commit = _git(["rev-parse", "HEAD"], root)
    if commit is None:
        return {"commit": None, "dirty": None}
    # a path outside the tree cannot make it dirty, and git rejects it
    excludes = [
        f":(exclude){resolved}"
        for resolved in (Path(p).resolve() for p in ignore)
        if resolved.is_relative_to(root)
    ]
    status = _git(
        ["status", "--porcelain", "--untracked-files=no", "--", str(root), *excludes],
        root,
    )
    return {
        "commit": commit.strip(),
        "dirty": None if status is None else bool(status.strip()),
    }


def _format_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {seconds:02d} s"
    return f"{minutes} min {seconds:02d} s"


def _format_commit(info: Mapping[str, Any]) -> str:
    if info.get("commit") is None:
        return "unknown (not a git checkout)"
    state = {True: "dirty: local changes", False: "clean", None: "state unknown"}
    return f"`{info['commit'][:12]}` ({state[info.get('dirty')]})"


def report_header(
    *,
    command: str | None = None,
    seeds: Sequence[int] | int | None = None,
    date: str | None = None,
    runtime: float | None = None,
    git: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """The fields of a report header, in order.

    Parameters
    ----------
    command : str, default=None
        The command that produced the report (default: ``python`` and
        ``sys.argv``).

    seeds : sequence of int or int, default=None
        The model seeds of the run.

    date : str, default=None
        The date of the run (default: now, UTC, ISO 8601).

    runtime : float, default=None
        The total runtime in seconds.

    git : dict, default=None
        A :func:`git_info` result, best taken when the run starts (default:
        taken now).

    extra : dict, default=None
        More fields, appended in order.

    Returns
    -------
    fields : dict of str to str
        ``Command``, ``Seeds``, ``Date``, ``Machine``, ``Versions``,
        ``Commit``, ``Runtime``, then ``extra``.

    Examples
    --------
    >>> from skclassify.reporting import report_header
    >>> fields = report_header(command="python bench.py", seeds=[0, 1, 2])
    >>> list(fields)[:3], fields["Seeds"]
    (['Command', 'Seeds', 'Date'], '[0, 1, 2]')
    """
    info = machine_info()
    machine = f"{info['platform']}, {info['usable_cpus']} of {info['cpu_count']} CPUs"
    if info["memory_gib"] is not None:
        machine += f", {info['memory_gib']} GiB RAM"
    if command is None:
        command = shlex.join(["python", *sys.argv])
    if date is None:
        date = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    if isinstance(seeds, int):
        seeds = [seeds]
    fields = {
        "Command": f"`{command}`",
        "Seeds": "n/a" if seeds is None else str([int(s) for s in seeds]),
        "Date": date,
        "Machine": machine,
        "Versions": ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        "Commit": _format_commit(git_info() if git is None else git),
        "Runtime": "n/a" if runtime is None else _format_duration(runtime),
    }
    fields.update({str(k): str(v) for k, v in (extra or {}).items()})
    return fields
