"""Optional dependencies: a clear message naming the extra that provides them."""

import importlib.util

from ._errors import CLIError

__all__ = ["EXTRAS", "require"]

#: Extra -> the modules it installs.
EXTRAS = {
    "report": ("pandas", "matplotlib", "tabulate", "tqdm"),
    "dask": ("dask", "distributed"),
}


def require(extra: str, what: str) -> None:
    """Raise CLIError naming the pip command if a module of ``extra`` is missing.

    Examples
    --------
    >>> from skclassify.cli._extras import require
    >>> require("report", "skclassify compare")
    """
    missing = [m for m in EXTRAS[extra] if importlib.util.find_spec(m) is None]
    if missing:
        raise CLIError(
            f"{what} needs {', '.join(missing)}, from the {extra!r} extra: "
            f"pip install 'skclassify[{extra}]'"
        )
