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

try:  # scikit-learn >= 1.9: its callback API (``sklearn.callback``)
    from sklearn.callback import CallbackSupportMixin, ProgressBar, with_callbacks

    #: frames ``with_callbacks`` adds between the user's call and ``fit``
    CALLBACK_FRAMES = 1
except ImportError:  # older scikit-learn: no callbacks, nothing to support

    class CallbackSupportMixin:
        """Stands in for ``sklearn.callback.CallbackSupportMixin`` (< 1.9)."""

    ProgressBar = None
    CALLBACK_FRAMES = 0

    def with_callbacks(method):
        """Stands in for ``sklearn.callback.with_callbacks`` (< 1.9)."""
        return method


__all__ = [
    "CALLBACK_FRAMES",
    "CallbackSupportMixin",
    "Interval",
    "InvalidParameterError",
    "Options",
    "ProgressBar",
    "StrOptions",
    "check_partial_fit_first_call",
    "check_sample_weight",
    "safe_indexing",
    "validate_parameter_constraints",
    "with_callbacks",
    "validate_params",
]

check_sample_weight = _check_sample_weight
check_partial_fit_first_call = _check_partial_fit_first_call
safe_indexing = _safe_indexing
