"""Tables of mixed columns: what to do with each column, and the preprocessing.

- :func:`infer_columns`: numeric, categorical or dropped, and why
  (:class:`ColumnTreatment`, :func:`treatment_table` for a report).
- :func:`make_preprocessor`: one :class:`~sklearn.compose.ColumnTransformer`
  (imputation, scaling, one-hot encoding) for those treatments.
- :data:`MODELS`, :func:`make_models`: the one registry of models that
  ``skclassify compare`` and the benchmarks cross-validate (each with its
  ``--tune`` search, which always holds the default; :data:`INNER_CV` folds).
- :func:`halving_search`, :class:`DefaultOrTuned`: the net's tuning, by
  successive halving over its epochs with the default always a candidate.

Needs pandas (the ``report`` extra).
"""

from skclassify.tabular._columns import ColumnTreatment, infer_columns, treatment_table
from skclassify.tabular._models import (
    INNER_CV,
    MODELS,
    Built,
    Contender,
    Halving,
    ModelSpec,
    make_models,
)
from skclassify.tabular._preprocess import make_preprocessor, make_tree_preprocessor
from skclassify.tabular._search import DefaultOrTuned, halving_cost, halving_search
from skclassify.tabular._subsample import SubsampledClassifier

__all__ = [
    "INNER_CV",
    "MODELS",
    "Built",
    "Contender",
    "DefaultOrTuned",
    "Halving",
    "ModelSpec",
    "SubsampledClassifier",
    "halving_cost",
    "halving_search",
    "make_models",
    "ColumnTreatment",
    "infer_columns",
    "make_preprocessor",
    "make_tree_preprocessor",
    "treatment_table",
]
