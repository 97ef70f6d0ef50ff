"""scikit-learn's private helpers that skclassify relies on, reached from here only.

If scikit-learn moves one of them, this module is the one to change.
"""

from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
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
    "validate_parameter_constraints",
]

check_sample_weight = _check_sample_weight
check_partial_fit_first_call = _check_partial_fit_first_call
