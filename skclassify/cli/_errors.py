"""The error a command reports to the user, and status messages."""

import sys

__all__ = ["EXIT_ERROR", "PROG", "CLIError", "status"]

PROG = "skclassify"

#: Exit status of a usage or data error (as argparse uses for bad arguments).
EXIT_ERROR = 2


class CLIError(Exception):
    """A user error: reported as one line on stderr, with exit status 2."""


def status(message: str) -> None:
    """A progress line on stderr (stdout carries the results)."""
    print(message, file=sys.stderr, flush=True)
