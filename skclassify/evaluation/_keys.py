"""Keys of result cells: a hash of everything that decides a cell's numbers.

A cell is one fit and score of one estimator on one train/test split of one
data set. Its key hashes the estimator's class and full parameters (nested
estimators included, recursively), the data, the split, the run's tags and
the versions of the libraries that compute it. Changing any of these gives a
new key, so a resumed run can never reuse a stale cell.
"""

import functools
import hashlib
import json
import math
from importlib import metadata
from typing import Any

import joblib
import numpy as np

__all__ = ["cell_key", "data_fingerprint", "describe_estimator", "split_fingerprint"]

#: Distributions whose versions enter every key.
KEY_DISTRIBUTIONS = ("skclassify", "scikit-learn", "numpy", "keras", "tensorflow")


@functools.cache
def _versions() -> dict[str, str | None]:
    versions = {}
    for name in KEY_DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _qualname(obj: Any) -> str:
    obj = obj if isinstance(obj, type) or callable(obj) else type(obj)
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', obj)}"


def _describe(value: Any, depth: int = 0) -> Any:
    """A JSON-friendly description of a parameter value that decides a fit.

    Stable across processes: nothing in it depends on memory addresses.
    """
    if depth > 20:
        raise ValueError(f"Cannot describe {value!r}: it nests too deeply.")
    depth += 1
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, (list, tuple)):
        return {
            "sequence": type(value).__name__,
            "items": [_describe(v) for v in value],
        }
    if isinstance(value, dict):
        return {"dict": {str(k): _describe(v) for k, v in sorted(value.items())}}
    if isinstance(value, np.ndarray):
        return {"ndarray": joblib.hash(value)}
    if isinstance(value, np.random.RandomState):
        return {"RandomState": joblib.hash(value)}
    if hasattr(value, "get_params") and not isinstance(value, type):
        return describe_estimator(value)
    if hasattr(value, "get_config") and not isinstance(value, type):
        config = _describe(value.get_config(), depth)
        return {"class": _qualname(value), "config": config}
    if hasattr(value, "dist") and hasattr(value, "args") and hasattr(value, "kwds"):
        # A frozen scipy.stats distribution, e.g. a search's loguniform(1e-4, 1).
        return {
            "distribution": _describe(getattr(value.dist, "name", value.dist), depth),
            "args": _describe(tuple(value.args), depth),
            "kwds": _describe(dict(value.kwds), depth),
        }
    if isinstance(value, type) or callable(value):
        return {"callable": _qualname(value)}
    if hasattr(value, "__dict__"):  # e.g. a CV splitter: its class and state
        return {"class": _qualname(value), "state": _describe(vars(value), depth)}
    return {"repr": repr(value)}


def describe_estimator(estimator: Any) -> dict[str, Any]:
    """The class and full parameters of an estimator, nested ones included.

    Parameters
    ----------
    estimator : estimator
        Anything with ``get_params``.

    Returns
    -------
    description : dict
        ``{"class": "module.Class", "params": {...}}``; a nested estimator
        (a pipeline's step, a search's ``estimator``) is described the same
        way, so that a change anywhere inside shows.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skclassify.evaluation import describe_estimator
    >>> description = describe_estimator(LogisticRegression(C=10.0))
    >>> description["class"], description["params"]["C"]
    ('sklearn.linear_model._logistic.LogisticRegression', 10.0)
    """
    params = estimator.get_params(deep=False)
    return {
        "class": _qualname(estimator),
        "params": {name: _describe(params[name], 1) for name in sorted(params)},
    }


def data_fingerprint(X, y) -> str:
    """A hash of the data: values, dtypes and (for pandas) column names.

    Examples
    --------
    >>> import numpy as np
    >>> from skclassify.evaluation import data_fingerprint
    >>> X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    >>> data_fingerprint(X, y) == data_fingerprint(X.copy(), y.copy())
    True
    >>> data_fingerprint(X, y) == data_fingerprint(X + 1, y)
    False
    """
    return joblib.hash((X, y))


def split_fingerprint(train, test) -> str:
    """A short hash of one train/test split (the indices, in order)."""
    return joblib.hash((np.asarray(train), np.asarray(test)))[:16]


def cell_key(estimator, data: str, split: str, tags: dict[str, Any]) -> str:
    """The key of one cell: a hash of estimator, data, split, tags, versions.

    Parameters
    ----------
    estimator : estimator
        The estimator as it will be fitted (its seed already set).

    data : str
        :func:`data_fingerprint` of ``X`` and ``y``.

    split : str
        :func:`split_fingerprint` of the fold.

    tags : dict
        The run's tags.

    Returns
    -------
    key : str
        32 hexadecimal digits.
    """
    content = {
        "estimator": describe_estimator(estimator),
        "data": data,
        "split": split,
        "tags": _describe(dict(tags)),
        "versions": _versions(),
    }
    text = json.dumps(content, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
