"""The metrics of a cell, and which one a verdict should use.

Every cell of :func:`compare_models` is scored on all of :data:`METRICS`;
:func:`choose_metric` picks the one a verdict is about: the one asked for,
or balanced accuracy when the classes are too unequal for accuracy to mean
much (a model that always predicts the largest class scores its share).
"""

from typing import NamedTuple

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    log_loss,
    roc_auc_score,
)

__all__ = ["IMBALANCE_RATIO", "METRICS", "Metric", "MetricChoice", "choose_metric"]


class Metric(NamedTuple):
    """A score of a cell.

    Attributes
    ----------
    name : str
        The column of the results.
    label : str
        The name in prose.
    greater_is_better : bool
        Whether a larger value is better.
    description : str
        How it is computed.
    """

    name: str
    label: str
    greater_is_better: bool
    description: str


#: Every metric a cell is scored on, by column name.
METRICS = {
    "accuracy": Metric(
        "accuracy", "accuracy", True, "the share of test rows predicted right"
    ),
    "balanced_accuracy": Metric(
        "balanced_accuracy",
        "balanced accuracy",
        True,
        "the mean over classes of the share of each class's rows predicted right",
    ),
    "roc_auc": Metric(
        "roc_auc",
        "ROC AUC",
        True,
        "area under the ROC curve, one class against the rest averaged over "
        "classes; from predict_proba, else decision_function",
    ),
    "log_loss": Metric(
        "log_loss",
        "log loss",
        False,
        "the mean negative log-likelihood of the true class (n/a without "
        "predict_proba)",
    ),
}

#: Above this ratio of largest to smallest class size, the default metric is
#: balanced accuracy.
IMBALANCE_RATIO = 3.0


class MetricChoice(NamedTuple):
    """The metric a verdict is about, and why.

    Attributes
    ----------
    name : str
        A key of :data:`METRICS`.
    reason : str
        Why it was chosen (one sentence).
    """

    name: str
    reason: str


def choose_metric(y, metric: str | None = None) -> MetricChoice:
    """The metric of a verdict: ``metric``, or a default that suits ``y``.

    The default is accuracy, unless the largest class has more than
    :data:`IMBALANCE_RATIO` times the rows of the smallest: then accuracy
    mostly measures the class shares, and the default is balanced accuracy.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The class labels.

    metric : str, default=None
        A key of :data:`METRICS`, or None for the default.

    Returns
    -------
    choice : MetricChoice
        ``name`` and ``reason``.

    Examples
    --------
    >>> from skclassify.evaluation import choose_metric
    >>> choose_metric(["a"] * 83 + ["b"] * 17).name
    'balanced_accuracy'
    >>> choose_metric(["a"] * 83 + ["b"] * 17, "roc_auc").name
    'roc_auc'
    """
    if metric is not None:
        if metric not in METRICS:
            raise ValueError(
                f"metric must be one of {sorted(METRICS)}, got {metric!r}."
            )
        return MetricChoice(metric, f"{METRICS[metric].label}: asked for (--metric)")
    labels, counts = np.unique(np.asarray(y), return_counts=True)
    largest, smallest = counts.argmax(), counts.argmin()
    ratio = counts[largest] / counts[smallest]
    if ratio > IMBALANCE_RATIO:
        return MetricChoice(
            "balanced_accuracy",
            f"balanced accuracy: the largest class ({labels[largest]!s}, "
            f"{counts[largest]:,} rows) has {ratio:.1f} times the rows of the "
            f"smallest ({labels[smallest]!s}, {counts[smallest]:,}), more than "
            f"{IMBALANCE_RATIO:g}x; accuracy would reward predicting the "
            "largest class",
        )
    return MetricChoice(
        "accuracy",
        f"accuracy: the class sizes are within {IMBALANCE_RATIO:g}x of each other",
    )


def _full_columns(values, classes, labels: np.ndarray) -> np.ndarray:
    """Per-class columns over all ``labels`` (a fold may miss a class)."""
    full = np.zeros((values.shape[0], labels.shape[0]))
    full[:, np.searchsorted(labels, classes)] = values
    return full


def _scores(estimator, X_test, labels):
    """One column per label: probabilities, else decision values; or None."""
    classes = getattr(estimator, "classes_", labels)
    if hasattr(estimator, "predict_proba"):
        return _full_columns(estimator.predict_proba(X_test), classes, labels), True
    if not hasattr(estimator, "decision_function"):
        return None, False
    values = np.asarray(estimator.decision_function(X_test), dtype=float)
    if values.ndim == 1:  # binary: the score of classes[1]
        values = np.column_stack([-values, values])
    # A class the fold did not train on ranks below every other.
    full = np.full((values.shape[0], labels.shape[0]), values.min() - 1.0)
    full[:, np.searchsorted(labels, classes)] = values
    return full, False


def _roc_auc(y_test, scores, labels) -> float:
    """One-vs-rest ROC AUC, the mean over classes present in ``y_test``.

    NaN when ``y_test`` holds a single class (no ranking to measure).
    """
    if len(np.unique(y_test)) < 2:
        return float("nan")
    if len(labels) == 2:
        return float(roc_auc_score(y_test == labels[1], scores[:, 1]))
    areas = [
        roc_auc_score(y_test == label, scores[:, k])
        for k, label in enumerate(labels)
        if 0 < np.sum(y_test == label) < len(y_test)
    ]
    return float(np.mean(areas)) if areas else float("nan")


def score_cell(estimator, X_test, y_test, y_pred, labels) -> dict[str, float]:
    """Every metric of :data:`METRICS` for one fitted estimator on one fold."""
    y_test = np.asarray(y_test)
    row = {
        "accuracy": float(accuracy_score(y_test, y_pred)),
        "balanced_accuracy": float(balanced_accuracy_score(y_test, y_pred)),
    }
    scores, is_proba = _scores(estimator, X_test, labels)
    row["roc_auc"] = (
        float("nan") if scores is None else _roc_auc(y_test, scores, labels)
    )
    row["log_loss"] = (
        float(log_loss(y_test, scores, labels=labels)) if is_proba else float("nan")
    )
    return row
