"""scikit-learn's private helpers that skclassify relies on, reached from here only.

If scikit-learn moves one of them, this module is the one to change.
"""

from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)
from sklearn.utils.multiclass import _check_partial_fit_first_call
from sklearn.utils.validation import _check_sample_weight

__all__ = [
    "Interval",
    "InvalidParameterError",
    "Options",
    "StrOptions",
    "check_partial_fit_first_call",
    "check_sample_weight",
    "safe_indexing",
    "validate_parameter_constraints",
    "validate_params",
]

check_sample_weight = _check_sample_weight
check_partial_fit_first_call = _check_partial_fit_first_call
safe_indexing = _safe_indexing
