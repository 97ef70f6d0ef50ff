"""Cross-validate several classifiers over seeds x folds, in parallel, resumably."""

import os
import time
import warnings
from collections.abc import Mapping
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.utils import indexable
from sklearn.utils.parallel import Parallel, delayed
from tqdm.auto import tqdm

from skclassify._compat._sklearn import safe_indexing as _safe_indexing
from skclassify._compat._sklearn import validate_params
from skclassify.evaluation._keys import cell_key, data_fingerprint, split_fingerprint
from skclassify.evaluation._metrics import score_cell
from skclassify.evaluation._results import (
    CELL_COLUMNS,
    KEY_COLUMNS,
    METRIC_COLUMNS,
    ResultsStore,
)
from skclassify.evaluation._seeding import repeated_splits, set_random_state

__all__ = ["compare_models"]


def _run_cell(key: str, estimator, X, y, train, test, labels) -> dict[str, Any]:
    """Fit ``estimator`` (a fresh clone) on one split and score it."""
    X_test, y_test = _safe_indexing(X, test), _safe_indexing(y, test)

    start = time.perf_counter()
    estimator.fit(_safe_indexing(X, train), _safe_indexing(y, train))
    fit_time = time.perf_counter() - start

    start = time.perf_counter()
    y_pred = estimator.predict(X_test)
    predict_time = time.perf_counter() - start

    row = {"cell": key, **score_cell(estimator, X_test, y_test, y_pred, labels)}
    row["fit_time"] = fit_time
    row["predict_time"] = predict_time
    return row


def _check_inputs(models: Mapping, tags: Mapping, seeds) -> list[int]:
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
    reserved = {*KEY_COLUMNS, *METRIC_COLUMNS, *CELL_COLUMNS, "resumed"}
    if clash := sorted(reserved & set(tags)):
        raise ValueError(f"tags must not use the reserved column names {clash}.")
    seeds = list(seeds)
    if not seeds or not all(
        isinstance(s, Integral) and not isinstance(s, bool) for s in seeds
    ):
        raise ValueError(f"seeds must be a non-empty sequence of ints, got {seeds!r}.")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds!r}.")
    return [int(s) for s in seeds]


@validate_params(
    {
        "models": [dict],
        "X": ["array-like"],
        "y": ["array-like"],
        "cv": ["cv_object"],
        "seeds": ["array-like"],
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
    seeds=(0,),
    random_state: int | np.random.RandomState | None = 0,
    n_jobs: int | None = None,
    results_path: str | os.PathLike | None = None,
    resume: bool = False,
    progress: bool = True,
    tags: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Cross-validate several classifiers over model seeds x folds.

    Every (model, seed, fold) triple is a *run*: a clone of the model, with
    every ``*random_state`` parameter set to the seed (see
    :func:`set_random_state`), is fitted on the fold's training part and
    scored on its test part. Each seed is one repetition of repeated
    stratified k-fold: it draws its own split as well as its own model seed
    (see :func:`repeated_splits`), and every model sees the same splits, so
    that scores pair up by (seed, fold) and the spread over seeds holds both
    sources of variance, as the corrected repeated k-fold t-test
    (:func:`paired_ttest`) expects.

    Each run is keyed by a hash of everything that decides its numbers: the
    estimator's class and full parameters (nested ones included), the data,
    the split, the tags and the library versions (see :func:`cell_key`).
    Runs with equal keys are computed once: with a shared ``cv`` splitter, a
    model without a ``random_state`` gives the same cell for every seed.
    Runs go through
    joblib, so ``n_jobs`` spreads them over local processes and, inside
    ``joblib.parallel_config(backend="dask")`` (see :func:`dask_backend`),
    over a Dask cluster. Each finished run is appended at once to
    ``results_path``, so an interrupted run can be resumed; ``resume`` only
    ever reuses a cell whose key matches, so a changed model is recomputed.

    Parameters
    ----------
    models : dict of str to estimator
        The unfitted classifiers, by name. They are cloned for every run.

    X : array-like of shape (n_samples, n_features)
        The input samples.

    y : array-like of shape (n_samples,)
        The class labels.

    cv : int, cross-validation generator or iterable, default=5
        An int is the number of folds of each repetition: the seed ``s``
        gets ``StratifiedKFold(n_splits=cv, shuffle=True,
        random_state=split_seed(random_state, s))``; ``None`` means 5.
        Anything else is passed to :func:`sklearn.model_selection.check_cv`
        and gives the same splits to every seed; a repeated splitter (such
        as :class:`~sklearn.model_selection.RepeatedStratifiedKFold`) numbers
        its folds on across its repetitions.

    seeds : sequence of int, default=(0,)
        The model seeds, one repetition each. Use at least 3 for a report:
        one seed hides the spread that comes from the starting weights and
        the split.

    random_state : int, RandomState instance or None, default=0
        The base of each repetition's shuffling seed when ``cv`` is an int.
        Only an int makes the folds, and so ``resume``, reproducible.

    n_jobs : int, default=None
        The number of runs computed in parallel. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context (all Dask workers with the
        ``"dask"`` backend); -1 means all processors.

    results_path : str or path-like, default=None
        A JSON-lines file to which every finished run is appended and
        flushed (see :class:`ResultsStore`). Several runs may share one file.

    resume : bool, default=False
        Load the cells already in ``results_path`` whose key matches instead
        of computing them again. Needs ``results_path``. Without it, cells
        are computed and appended again (:func:`read_results` keeps the last
        copy).

    progress : bool, default=True
        Show a tqdm progress bar with one tick per cell computed or loaded.

    tags : dict, default=None
        Constant values identifying this run, e.g. ``{"n_classes": 256}``;
        each becomes a column of the result and enters the cell keys.

    Returns
    -------
    results : DataFrame
        One row per (model, seed, fold), models in the order of ``models``,
        then seeds, then folds, with the columns ``model``, ``seed``,
        ``fold``, ``accuracy``, ``balanced_accuracy``, ``roc_auc`` (one
        class against the rest, from ``predict_proba`` or else
        ``decision_function``), ``log_loss`` (NaN for models without
        ``predict_proba``), ``fit_time`` and ``predict_time``
        (seconds, as timed by the run that computed the cell), ``cell`` (the
        key), ``split`` (a hash of the fold's indices), ``n_train`` and
        ``n_test`` (the fold's sizes), ``resumed`` (whether the cell was
        loaded from ``results_path``), then one column per tag.

    See Also
    --------
    paired_ttest : Whether one model beats another over these runs.
    skclassify.reporting.summarize : Mean and spreads of the metrics.
    dask_backend : Run the cells on a Dask cluster.
    sklearn.model_selection.cross_validate : Cross-validates one estimator.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skclassify.datasets import make_sum_threshold
    >>> from skclassify.evaluation import compare_models
    >>> X, y = make_sum_threshold(random_state=0)
    >>> models = {"dummy": DummyClassifier(), "logreg": LogisticRegression()}
    >>> results = compare_models(models, X, y, cv=3, seeds=[0, 1], progress=False)
    >>> results.shape
    (12, 14)
    >>> results[["model", "seed", "fold"]].head(4).to_numpy().tolist()
    [['dummy', 0, 0], ['dummy', 0, 1], ['dummy', 0, 2], ['dummy', 1, 0]]
    >>> results.groupby("model")["accuracy"].mean().gt(0.8).to_dict()
    {'dummy': False, 'logreg': True}
    """
    tags = dict(tags or {})
    seeds = _check_inputs(models, tags, seeds)
    if resume and results_path is None:
        raise ValueError("resume=True needs a results_path to resume from.")

    X, y = indexable(X, y)
    labels = np.unique(y)
    splits = repeated_splits(X, y, cv=cv, seeds=seeds, random_state=random_state)
    data = data_fingerprint(X, y)
    split_ids = {
        seed: [split_fingerprint(train, test) for train, test in folds]
        for seed, folds in splits.items()
    }

    # Every run's estimator and key; equal keys share one computed cell.
    runs, estimators = {}, {}
    for name, model in models.items():
        for seed in seeds:
            estimator = set_random_state(clone(model), seed)
            for fold, split in enumerate(split_ids[seed]):
                key = cell_key(estimator, data, split, tags)
                runs[name, seed, fold] = key
                estimators.setdefault(key, (estimator, seed, fold))

    store = None if results_path is None else ResultsStore(results_path)
    done = store.completed() if resume else {}
    # A cell stored before a metric was added lacks it: compute it again.
    cells = {
        key: done[key]
        for key in estimators
        if key in done and all(m in done[key] for m in METRIC_COLUMNS)
    }
    resumed = set(cells)
    pending = [key for key in estimators if key not in cells]

    by_key = {}
    for run, key in runs.items():
        by_key.setdefault(key, []).append(run)

    def row(run: tuple[str, int, int], cell: Mapping[str, Any]) -> dict[str, Any]:
        name, seed, fold = run
        return {
            "model": name,
            "seed": seed,
            "fold": fold,
            **{metric: cell.get(metric) for metric in METRIC_COLUMNS},
            "cell": runs[run],
            "split": split_ids[seed][fold],
            "n_train": len(splits[seed][fold][0]),
            "n_test": len(splits[seed][fold][1]),
            **tags,
        }

    with (
        tqdm(
            total=len(estimators),
            initial=len(cells),
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
            delayed(_run_cell)(
                key,
                clone(estimators[key][0]),
                X,
                y,
                *splits[estimators[key][1]][estimators[key][2]],
                labels,
            )
            for key in pending
        )
        for cell in results:
            key = cell["cell"]
            cells[key] = cell
            rows = [row(run, cell) for run in by_key[key]]
            if store is not None:
                for finished in rows:
                    store.append(finished)
            bar.update()
            bar.set_postfix_str(
                f"{rows[0]['model']} seed {rows[0]['seed']} fold {rows[0]['fold']}: "
                f"acc={cell['accuracy']:.3f}"
            )

    records = [
        {**row(run, cells[key]), "resumed": key in resumed} for run, key in runs.items()
    ]
    columns = [*KEY_COLUMNS, *METRIC_COLUMNS, *CELL_COLUMNS, "resumed", *tags]
    df = pd.DataFrame.from_records(records, columns=columns)
    df[list(METRIC_COLUMNS)] = df[list(METRIC_COLUMNS)].astype(float)
    df[["seed", "fold", "n_train", "n_test"]] = df[
        ["seed", "fold", "n_train", "n_test"]
    ].astype(int)
    return df
