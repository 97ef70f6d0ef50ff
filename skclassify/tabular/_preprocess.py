"""One ColumnTransformer from the column treatments."""

from collections.abc import Sequence

import numpy as np

from ._columns import ColumnTreatment

__all__ = ["make_preprocessor", "make_tree_preprocessor"]

#: One-hot columns per categorical feature at most; rarer levels share one.
MAX_CATEGORIES = 30

#: Integer codes per categorical feature for the trees (their limit is 255).
TREE_MAX_CATEGORIES = 254


def _as_text(X):
    """Categorical values as text, missing ones as NaN, so that every level
    of a column has one type (``1`` and ``"1"`` would not sort together)."""
    import pandas as pd

    frame = pd.DataFrame(X)
    text = frame.astype(str).to_numpy(dtype=object, copy=True)
    text[frame.isna().to_numpy()] = np.nan
    return text


def make_tree_preprocessor(treatments: Sequence[ColumnTreatment]):
    """The ColumnTransformer for gradient-boosted trees: no one-hot, no scaling.

    Numeric columns pass through (missing values stay NaN: the trees route
    them); categorical ones become integer codes (``OrdinalEncoder``, at most
    ``TREE_MAX_CATEGORIES`` per column, unknown and missing levels NaN), for
    the trees' native categorical splits. Numeric columns come first.

    Returns
    -------
    preprocessor : sklearn.compose.ColumnTransformer
    categorical_mask : list of bool
        Which output columns are categorical (``categorical_features`` of
        ``HistGradientBoostingClassifier``).

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.tabular import infer_columns
    >>> from skclassify.tabular._preprocess import make_tree_preprocessor
    >>> X = pd.DataFrame({"size": [1.5, None, 3.2], "color": ["red", "blue", None]})
    >>> preprocessor, mask = make_tree_preprocessor(infer_columns(X))
    >>> preprocessor.fit_transform(X).tolist(), mask
    ([[1.5, 1.0], [nan, 0.0], [3.2, nan]], [False, True])
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OrdinalEncoder

    numeric = [t.name for t in treatments if t.kind == "numeric"]
    categorical = [t.name for t in treatments if t.kind == "categorical"]
    if not numeric and not categorical:
        raise ValueError("every column is dropped: nothing is left to learn from.")
    transformers = []
    if numeric:
        transformers.append(("numeric", "passthrough", numeric))
    if categorical:
        encoder = OrdinalEncoder(
            handle_unknown="use_encoded_value",
            unknown_value=np.nan,
            encoded_missing_value=np.nan,
            max_categories=TREE_MAX_CATEGORIES,
        )
        transformers.append(
            (
                "categorical",
                make_pipeline(
                    FunctionTransformer(_as_text, feature_names_out="one-to-one"),
                    encoder,
                ),
                categorical,
            )
        )
    preprocessor = ColumnTransformer(
        transformers, remainder="drop", sparse_threshold=0.0
    )
    return preprocessor, [False] * len(numeric) + [True] * len(categorical)


def make_preprocessor(treatments: Sequence[ColumnTreatment]):
    """The scikit-learn ColumnTransformer that applies ``treatments``.

    - numeric columns: ``SimpleImputer(strategy="median", add_indicator=True)``
      then ``StandardScaler``;
    - categorical columns: as text, ``SimpleImputer(strategy="constant",
      fill_value="missing")`` then ``OneHotEncoder(handle_unknown="ignore")``
      with at most ``MAX_CATEGORIES`` columns per feature (rarer levels
      share an "infrequent" column);
    - dropped columns: left out.

    The output is a dense float array. Fitting it inside each training fold
    (in a pipeline) keeps the test fold out of the medians, the scaling and
    the category lists.

    Parameters
    ----------
    treatments : sequence of ColumnTreatment
        From :func:`infer_columns`.

    Returns
    -------
    preprocessor : sklearn.compose.ColumnTransformer
        Unfitted; it selects the columns by name, so fit it on a DataFrame.

    Raises
    ------
    ValueError
        If every column is dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> from skclassify.tabular import infer_columns, make_preprocessor
    >>> X = pd.DataFrame({"size": [1.5, None, 3.2], "color": ["red", "blue", None]})
    >>> make_preprocessor(infer_columns(X)).fit_transform(X).shape
    (3, 5)
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    numeric = [t.name for t in treatments if t.kind == "numeric"]
    categorical = [t.name for t in treatments if t.kind == "categorical"]
    if not numeric and not categorical:
        raise ValueError("every column is dropped: nothing is left to learn from.")
    transformers = []
    if numeric:
        transformers.append(
            (
                "numeric",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True),
                    StandardScaler(),
                ),
                numeric,
            )
        )
    if categorical:
        transformers.append(
            (
                "categorical",
                make_pipeline(
                    FunctionTransformer(_as_text, feature_names_out="one-to-one"),
                    SimpleImputer(strategy="constant", fill_value="missing"),
                    OneHotEncoder(
                        handle_unknown="ignore",
                        max_categories=MAX_CATEGORIES,
                        sparse_output=False,
                    ),
                ),
                categorical,
            )
        )
    return ColumnTransformer(transformers, remainder="drop", sparse_threshold=0.0)
