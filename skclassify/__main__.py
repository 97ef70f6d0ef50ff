"""``python -m skclassify``: the command line (see :mod:`skclassify.cli`)."""

import sys

from skclassify.cli import main

if __name__ == "__main__":  # guard: Dask and loky workers re-import this module
    sys.exit(main())
