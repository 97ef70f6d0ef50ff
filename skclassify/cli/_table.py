"""Read the user's CSV file: features, target, checks, optional subsample."""

from pathlib import Path

from ._errors import CLIError

__all__ = ["check_classes", "read_table", "subsample"]


def read_table(path: Path, target: str):
    """Read the CSV and split it into the feature frame and the target series."""
    import pandas as pd

    if not path.is_file():
        raise CLIError(f"no such file: {path}")
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise CLIError(f"{path} is empty: no header, no rows") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        # pandas' parser errors are ValueErrors
        raise CLIError(f"cannot read {path} as CSV: {exc}") from None

    columns = [str(column) for column in frame.columns]
    if target not in frame.columns:
        raise CLIError(
            f"{path} has no column {target!r}; its columns are: {', '.join(columns)}"
        )
    if frame.empty:
        raise CLIError(f"{path} has a header ({', '.join(columns)}) but no data rows")
    X = frame.drop(columns=[target])
    y = frame[target]
    if X.shape[1] == 0:
        raise CLIError(f"{path} has no feature columns besides the target {target!r}")
    if y.isna().any():
        raise CLIError(
            f"the target column {target!r} has {int(y.isna().sum())} row(s) without "
            "a label; drop them first"
        )
    return X, y


def _label(value) -> str:
    """A class label as the user wrote it: ``2``, not ``np.int64(2)``."""
    return str(value.item() if hasattr(value, "item") else value)


def check_classes(y, cv: int) -> None:
    """Check that ``y`` holds class labels that ``cv`` stratified folds can split."""
    from sklearn.utils.multiclass import type_of_target

    kind = type_of_target(y.to_numpy())
    if kind not in ("binary", "multiclass"):
        raise CLIError(
            f"the target column {y.name!r} does not hold class labels "
            f"(scikit-learn sees {kind!r} values)"
        )
    counts = y.value_counts()
    if len(counts) < 2:
        raise CLIError(
            f"the target column {y.name!r} holds {len(counts)} class; "
            "a classifier needs at least 2"
        )
    if cv < 2:
        raise CLIError("--cv must be at least 2 folds")
    if counts.min() < cv:
        raise CLIError(
            f"class {_label(counts.idxmin())} of {y.name!r} has only {counts.min()} "
            f"row(s), fewer than the {cv} folds of --cv; lower --cv"
        )


def subsample(X, y, max_rows: int, seed: int):
    """At most ``max_rows`` rows, stratified by class (``--max-rows``)."""
    from sklearn.model_selection import train_test_split

    if len(y) <= max_rows:
        return X, y
    try:
        X, _, y, _ = train_test_split(
            X, y, train_size=max_rows, stratify=y, random_state=seed
        )
    except ValueError as exc:
        raise CLIError(f"--max-rows {max_rows}: {exc}") from None
    return X.reset_index(drop=True), y.reset_index(drop=True)
