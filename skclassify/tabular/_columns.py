"""Decide what to do with every column of a table: numeric, categorical or dropped."""

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

__all__ = ["ColumnTreatment", "infer_columns", "treatment_table"]

#: Integer columns with at most this many distinct values are categorical.
MAX_INTEGER_LEVELS = 10

#: The name pandas gives the index column that ``to_csv`` writes by default.
_PANDAS_INDEX = re.compile(r"^Unnamed: \d+$")


class ColumnTreatment(NamedTuple):
    """What the preprocessing does with one feature column, and why.

    Attributes
    ----------
    name : str
        The column.
    kind : {"numeric", "categorical", "dropped"}
        Numeric columns are imputed (median) and standardized; categorical
        ones are imputed (a ``"missing"`` category) and one-hot encoded;
        dropped ones are not used.
    reason : str
        Why, in a few words (shown in the report).
    n_missing : int
        Rows without a value.
    n_unique : int
        Distinct values, missing ones not counted.
    """

    name: str
    kind: str
    reason: str
    n_missing: int
    n_unique: int


def _check_names(names: Iterable[str], columns: Sequence[str], option: str) -> list:
    names = list(names)
    unknown = [name for name in names if name not in columns]
    if unknown:
        raise ValueError(
            f"{option} names column(s) that the table does not have: "
            f"{', '.join(map(str, unknown))}; its columns are: "
            f"{', '.join(map(str, columns))}."
        )
    return names


def _is_counter(values) -> bool:
    """Whether integer ``values`` are a row counter: a permutation of a..a+n-1."""
    n = len(values)
    return (
        n > 2
        and values.is_unique
        and values.min() in (0, 1)
        and values.max() - values.min() == n - 1
    )


def _infer_one(column, n_rows: int) -> tuple[str, str]:
    """(kind, reason) for one column by its dtype and values."""
    import pandas as pd

    values = column.dropna()
    n_unique = values.nunique()
    if _PANDAS_INDEX.match(str(column.name)):
        return "dropped", "an index column written by pandas' to_csv"
    if values.empty:
        return "dropped", "no values"
    if n_unique == 1:
        return "dropped", "constant"
    if pd.api.types.is_bool_dtype(column):
        return "categorical", "true/false values"
    if pd.api.types.is_integer_dtype(values) or (
        pd.api.types.is_float_dtype(values) and (values == values.round()).all()
    ):
        if len(values) == n_rows and _is_counter(values):
            return "dropped", "a row counter (every value once, consecutive)"
        if n_unique <= MAX_INTEGER_LEVELS:
            return "categorical", f"{n_unique} integer levels"
        return "numeric", "integers"
    if pd.api.types.is_numeric_dtype(values):
        return "numeric", "numbers"
    if n_unique == len(values) and len(values) == n_rows:
        return "dropped", "an identifier (a different value on every row)"
    return "categorical", f"{n_unique} distinct texts"


def infer_columns(
    X, *, categorical: Iterable[str] = (), drop: Iterable[str] = ()
) -> list[ColumnTreatment]:
    """Choose a treatment for every column of a table of features.

    - Numeric columns (floats, integers with more than ``MAX_INTEGER_LEVELS``
      distinct values) are ``"numeric"``.
    - Text, true/false and integer columns with few distinct values are
      ``"categorical"``.
    - Columns that identify rows rather than describe them are
      ``"dropped"``: pandas' index column (``Unnamed: 0``), row counters
      (integers ``0..n-1`` or ``1..n`` in any order), texts that differ on
      every row; so are empty and constant columns. Such columns can only
      leak the row order into the scores.

    Parameters
    ----------
    X : pandas.DataFrame
        The features (the target column already removed).

    categorical : iterable of str, default=()
        Columns to treat as categorical whatever their values.

    drop : iterable of str, default=()
        Columns not to use.

    Returns
    -------
    treatments : list of ColumnTreatment
        One per column of ``X``, in order.

    Raises
    ------
    ValueError
        If ``categorical`` or ``drop`` names a column that ``X`` lacks, or
        the same column.

    See Also
    --------
    make_preprocessor : The ColumnTransformer for these treatments.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.tabular import infer_columns
    >>> X = pd.DataFrame({
    ...     "Unnamed: 0": range(6),
    ...     "height": [1.6, 1.8, None, 1.7, 1.5, 1.9],
    ...     "city": ["Bonn", "Rome", "Bonn", None, "Oslo", "Rome"],
    ... })
    >>> for column in infer_columns(X):
    ...     print(column.name, column.kind, column.n_missing)
    Unnamed: 0 dropped 0
    height numeric 1
    city categorical 1
    """
    columns = list(X.columns)
    categorical = _check_names(categorical, columns, "--categorical")
    drop = _check_names(drop, columns, "--drop")
    if both := [name for name in categorical if name in drop]:
        raise ValueError(
            f"column(s) {', '.join(map(str, both))} are both categorical and dropped."
        )
    n_rows = len(X)
    treatments = []
    for name in columns:
        column = X[name]
        if name in drop:
            kind, reason = "dropped", "--drop"
        elif name in categorical:
            kind, reason = "categorical", "--categorical"
        else:
            kind, reason = _infer_one(column, n_rows)
        treatments.append(
            ColumnTreatment(
                name=str(name),
                kind=kind,
                reason=reason,
                n_missing=int(column.isna().sum()),
                n_unique=int(column.nunique(dropna=True)),
            )
        )
    return treatments


def treatment_table(treatments: Sequence[ColumnTreatment]):
    """The treatments as a table for a report: one row per column.

    Examples
    --------
    >>> from skclassify.tabular import ColumnTreatment, treatment_table
    >>> treatment_table([ColumnTreatment("age", "numeric", "numbers", 2, 40)])
      column     kind   reason  missing  distinct values           preprocessing
    0    age  numeric  numbers        2               40  median, StandardScaler
    """
    import pandas as pd

    steps = {
        "numeric": "median, StandardScaler",
        "categorical": "'missing' level, one-hot",
        "dropped": "-",
    }
    return pd.DataFrame(
        {
            "column": [t.name for t in treatments],
            "kind": [t.kind for t in treatments],
            "reason": [t.reason for t in treatments],
            "missing": [t.n_missing for t in treatments],
            "distinct values": [t.n_unique for t in treatments],
            "preprocessing": [steps[t.kind] for t in treatments],
        }
    )
