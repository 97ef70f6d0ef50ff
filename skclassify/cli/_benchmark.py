"""``skclassify benchmark`` and ``skclassify list``: run the benchmark scripts."""

import argparse
import ast
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from ._errors import CLIError

__all__ = ["benchmark_command", "list_command"]


# -- benchmarks ----------------------------------------------------------------------
def _source_benchmarks() -> Path | None:
    """The ``benchmarks`` folder of the source tree this package runs from.

    Present when skclassify is imported from a checkout (an editable install,
    or ``PYTHONPATH``); absent from an installed wheel, which holds only the
    package.
    """
    import skclassify

    folder = Path(skclassify.__file__).resolve().parents[1] / "benchmarks"
    return folder if (folder / "_common.py").is_file() else None


def _benchmarks_folder(path: Path | None) -> Path:
    if path is not None:
        if not path.is_dir():
            raise CLIError(f"no benchmarks folder at {path.resolve()}")
        return path
    here = Path("benchmarks")
    if here.is_dir():
        return here
    source = _source_benchmarks()
    if source is not None:
        return source
    raise CLIError(
        f"no benchmarks folder at {here.resolve()}, and this skclassify is "
        "installed without one: the benchmark scripts live in the benchmarks/ "
        "folder of the source repository, not in the package. Clone the "
        "repository, install it with pip install -e '.[report]' and run from "
        "its root, or pass --benchmarks-dir DIR"
    )


def _available_benchmarks(folder: Path) -> dict[str, tuple[Path, str]]:
    """Benchmark name -> (script, first docstring line).

    A benchmark is a ``*.py`` file of ``folder``, not starting with ``_``, that
    defines a top-level ``main`` function. Scripts are parsed, not run; one
    that cannot be parsed is listed, so that running it shows the error.
    """
    found = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError) as exc:
            found[path.stem] = (path, f"(cannot be parsed: {type(exc).__name__})")
            continue
        if any(
            isinstance(node, ast.FunctionDef) and node.name == "main"
            for node in tree.body
        ):
            docstring = ast.get_docstring(tree) or ""
            found[path.stem] = (path, docstring.strip().partition("\n")[0])
    return found


def list_command(args: argparse.Namespace, argv: Sequence[str]) -> int:
    folder = _benchmarks_folder(args.benchmarks_dir)
    scripts = _available_benchmarks(folder)
    if not scripts:
        print(f"No benchmarks in {folder}.")
        return 0
    width = max(map(len, scripts))
    for name, (_, summary) in scripts.items():
        print(f"{name:<{width}}  {summary}".rstrip())
    return 0


@contextlib.contextmanager
def _script_context(path: Path, args: Sequence[str]) -> Iterator[None]:
    """Run as ``python benchmarks/NAME.py ARGS`` would: argv and import path."""
    saved_argv, saved_path = sys.argv, list(sys.path)
    folder = path.parent.resolve()
    sys.argv = [str(path), *args]
    # Like running the script: its folder first, so sibling helper modules
    # import; then the folder above it (the repository root), as ``python -m``.
    sys.path[:0] = [str(folder), str(folder.parent)]
    try:
        yield
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path


def benchmark_command(args: argparse.Namespace, argv: Sequence[str]) -> int:
    import runpy

    from ._extras import require

    require("report", "skclassify benchmark")
    folder = _benchmarks_folder(args.benchmarks_dir)
    scripts = _available_benchmarks(folder)
    if args.name not in scripts:
        available = ", ".join(scripts) or "none"
        raise CLIError(
            f"unknown benchmark {args.name!r} in {folder}; available: {available}"
        )
    path = scripts[args.name][0]
    with _script_context(path, args.args):
        # Not "__main__": the script's own ``if __name__ == "__main__"`` block
        # must not run; its main is called below with the arguments.
        namespace = runpy.run_path(str(path), run_name=f"benchmarks.{args.name}")
        script_main = namespace.get("main")
        if not callable(script_main):
            raise CLIError(f"{path} defines no main(argv) function")
        status = script_main(list(args.args))
    # A main may return an exit status, or None (or its results) for success.
    return status if isinstance(status, int) and not isinstance(status, bool) else 0
