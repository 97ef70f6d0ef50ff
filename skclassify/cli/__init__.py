"""The ``skclassify`` command line: ``compare``, ``benchmark`` and ``list``.

Run ``skclassify --help`` (or ``python -m skclassify --help``) for the usage.
"""

from skclassify.cli._main import main

__all__ = ["main"]
