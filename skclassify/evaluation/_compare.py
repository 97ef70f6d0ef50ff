"""Cross-validate several classifiers cell by cell, in parallel and resumably."""

import os
import time
import warnings
from collections.abc import Mapping
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.metrics import accuracy_score, balanced_accuracy_score, log_loss
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils import _safe_indexing, indexable
from sklearn.utils._param_validation import validate_params
from sklearn.utils.parallel import Parallel, delayed
from tqdm.auto import tqdm

from skclassify.evaluation._results import (
    KEY_COLUMNS,
    METRIC_COLUMNS,
    ResultsStore,
    cell_key,
)

__all__ = ["compare_models"]

#: Metrics computed from the predicted labels: column name -> scorer.
LABEL_METRICS = {
    "accuracy": accuracy_score,
    "balanced_accuracy": balanced_accuracy_score,
}


def _log_loss(estimator, X_test, y_test, labels: np.ndarray) -> float:
    """Log loss over all ``labels``, or NaN without ``predict_proba``."""
    if not hasattr(estimator, "predict_proba"):
        return float("nan")
    proba = estimator.predict_proba(X_test)
    classes = getattr(estimator, "classes_", labels)
    # A fold's training set may miss a class: give it probability 0.
    full = np.zeros((proba.shape[0], labels.shape[0]))
    full[:, np.searchsorted(labels, classes)] = proba
    return float(log_loss(y_test, full, labels=labels))


def _run_cell(
    name: str, fold: int, estimator, X, y, train, test, labels
) -> dict[str, Any]:
    """Fit a clone of ``estimator`` on one fold and score it: one result row."""
    estimator = clone(estimator)
    X_test, y_test = _safe_indexing(X, test), _safe_indexing(y, test)

    start = time.perf_counter()
    estimator.fit(_safe_indexing(X, train), _safe_indexing(y, train))
    fit_time = time.perf_counter() - start

    start = time.perf_counter()
    y_pred = estimator.predict(X_test)
    predict_time = time.perf_counter() - start

    row = {"model": name, "fold": fold}
    row.update(
        {key: float(score(y_test, y_pred)) for key, score in LABEL_METRICS.items()}
    )
    row["log_loss"] = _log_loss(estimator, X_test, y_test, labels)
    row["fit_time"] = fit_time
    row["predict_time"] = predict_time
    return row


def _check_inputs(models: Mapping, tags: Mapping) -> None:
    if not models:
        raise ValueError("models must hold at least one estimator, got {}.")
    for name, estimator in models.items():
        if not isinstance(name, str):
            raise TypeError(f"Model names must be str, got {name!r}.")
        if not (hasattr(estimator, "fit") and hasattr(estimator, "predict")):
            raise TypeError(
                f"models[{name!r}] must be an estimator with fit and predict, "
                f"got {estimator!r}."
            )
    reserved = set(KEY_COLUMNS) | set(METRIC_COLUMNS)
    if clash := sorted(reserved & set(tags)):
        raise ValueError(f"tags must not use the reserved column names {clash}.")


@validate_params(
    {
        "models": [dict],
        "X": ["array-like"],
        "y": ["array-like"],
        "cv": ["cv_object"],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "results_path": [str, os.PathLike, None],
        "resume": ["boolean"],
        "progress": ["boolean"],
        "tags": [dict, None],
    },
    prefer_skip_nested_validation=False,
)
def compare_models(
    models: dict[str, BaseEstimator],
    X,
    y,
    *,
    cv=5,
    random_state: int | np.random.RandomState | None = 0,
    n_jobs: int | None = None,
    results_path: str | os.PathLike | None = None,
    resume: bool = False,
    progress: bool = True,
    tags: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Cross-validate several classifiers on the same folds, one row per cell.

    Every (model, fold) pair is a *cell*: a clone of the model is fitted on
    the fold's training part and scored on its test part. Cells run through
    joblib, so ``n_jobs`` spreads them over local processes and, inside
    ``joblib.parallel_config(backend="dask")`` (see :func:`dask_backend`),
    over a Dask cluster. Each finished cell is appended at once to
    ``results_path``, so an interrupted run can be resumed.

    Parameters
    ----------
    models : dict of str to estimator
        The unfitted classifiers, by name. They are cloned for every fold.

    X : array-like of shape (n_samples, n_features)
        The input samples.

    y : array-like of shape (n_samples,)
        The class labels.

    cv : int, cross-validation generator or iterable, default=5
        An int is the number of folds of a
        ``StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)``;
        ``None`` means 5. Anything else is passed to
        :func:`sklearn.model_selection.check_cv`.

    random_state : int, RandomState instance or None, default=0
        Shuffles the stratified folds when ``cv`` is an int. Only an int makes
        the folds, and so ``resume``, reproducible.

    n_jobs : int, default=None
        The number of cells run in parallel. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context (all Dask workers with the
        ``"dask"`` backend); -1 means all processors.

    results_path : str or path-like, default=None
        A JSON-lines file to which every finished cell is appended and
        flushed (see :class:`ResultsStore`). Several runs, told apart by
        their ``tags``, may share one file.

    resume : bool, default=False
        Load the cells already in ``results_path`` that have the same model,
        fold and tags instead of computing them again. Needs ``results_path``.
        Without it, cells are computed and appended again
        (:func:`read_results` keeps the last copy).

    progress : bool, default=True
        Show a tqdm progress bar with one tick per cell.

    tags : dict, default=None
        Constant values identifying this run, e.g. ``{"n_classes": 256}``;
        each becomes a column of the result.

    Returns
    -------
    results : DataFrame
        One row per (model, fold), models in the order of ``models``, with
        the columns ``model``, ``fold``, ``accuracy``, ``balanced_accuracy``,
        ``log_loss`` (NaN for models without ``predict_proba``), ``fit_time``
        and ``predict_time`` (seconds), then one column per tag.

    See Also
    --------
    summarize : Mean and std of the metrics per model.
    dask_backend : Run the cells on a Dask cluster.
    sklearn.model_selection.cross_validate : Cross-validates one estimator.

    Notes
    -----
    Set the ``random_state`` of stochastic models yourself (for instance with
    :func:`set_random_state`): the folds are seeded here, the estimators are
    only cloned.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skclassify.datasets import make_sum_threshold
    >>> from skclassify.evaluation import compare_models
    >>> X, y = make_sum_threshold(random_state=0)
    >>> models = {"dummy": DummyClassifier(), "logreg": LogisticRegression()}
    >>> results = compare_models(models, X, y, cv=3, progress=False)
    >>> results.shape
    (6, 7)
    >>> results.groupby("model")["accuracy"].mean().gt(0.8).to_dict()
    {'dummy': False, 'logreg': True}
    """
    tags = dict(tags or {})
    _check_inputs(models, tags)
    if resume and results_path is None:
        raise ValueError("resume=True needs a results_path to resume from.")

    X, y = indexable(X, y)
    labels = np.unique(y)
    if cv is None or isinstance(cv, Integral):
        cv = StratifiedKFold(
            n_splits=5 if cv is None else cv, shuffle=True, random_state=random_state
        )
    splits = list(check_cv(cv, y, classifier=True).split(X, y))

    store = None if results_path is None else ResultsStore(results_path)
    done = store.completed(tags) if resume else {}
    cells = [(name, fold) for name in models for fold in range(len(splits))]
    rows = {}
    for name, fold in cells:
        key = cell_key({"model": name, "fold": fold, **tags}, tags)
        if key in done:
            rows[name, fold] = {**done[key], **tags}
    pending = [cell for cell in cells if cell not in rows]

    with (
        tqdm(
            total=len(cells),
            initial=len(rows),
            disable=not progress,
            desc="compare_models",
            unit="cell",
        ) as bar,
        warnings.catch_warnings(),
    ):
        # loky replaces a worker whose memory grew by 300 MB (a process that
        # compiled many networks does) and warns; the cells are unaffected.
        warnings.filterwarnings("ignore", message="A worker stopped while some jobs")
        results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            delayed(_run_cell)(name, fold, models[name], X, y, *splits[fold], labels)
            for name, fold in pending
        )
        for row in results:
            row.update(tags)
            if store is not None:
                store.append(row)
            rows[row["model"], row["fold"]] = row
            bar.update()
            bar.set_postfix_str(
                f"{row['model']} fold {row['fold']}: acc={row['accuracy']:.3f}"
            )

    columns = [*KEY_COLUMNS, *METRIC_COLUMNS, *tags]
    df = pd.DataFrame.from_records([rows[cell] for cell in cells], columns=columns)
    df[list(METRIC_COLUMNS)] = df[list(METRIC_COLUMNS)].astype(float)
    df["fold"] = df["fold"].astype(int)
    return df
