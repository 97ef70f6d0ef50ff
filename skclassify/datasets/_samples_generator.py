"""Generate the synthetic classification tasks of the source documents."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from .._compat._sklearn import Interval, StrOptions, validate_params

__all__ = ["make_sum_threshold", "make_waves"]

#: How ``labels`` maps the boolean "sum above threshold" to integer labels.
LABEL_ENCODINGS = {
    "binary": lambda above: above.astype(np.int64),
    "signed": lambda above: above.astype(np.int64) * 2 - 1,
}


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "threshold": [Interval(Real, None, None, closed="neither"), None],
        "labels": [StrOptions(set(LABEL_ENCODINGS))],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_sum_threshold(
    n_samples: int = 250,
    n_features: int = 5,
    *,
    threshold: float | None = None,
    labels: str = "binary",
    random_state: int | np.random.RandomState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Generate the "row sum above a threshold" binary classification task.

    The features are independent and uniform on ``[0, 1)``; the target is::

      y[i] = 1 if np.sum(X[i]) > threshold else 0    (labels="binary")
      y[i] = 1 if np.sum(X[i]) > threshold else -1   (labels="signed")

    With the defaults (250 samples, 5 features, threshold 2.5) this is the
    first task of the "Keras from scratch" tutorial; ``labels="signed"``
    reproduces its hinge-loss experiment (``(sum > 2.5) * 2 - 1``).

    Parameters
    ----------
    n_samples : int, default=250
        The number of samples.

    n_features : int, default=5
        The number of features.

    threshold : float, default=None
        A sample is positive when the sum of its features is strictly greater
        than ``threshold``. ``None`` means ``n_features / 2``, the expected
        row sum, which gives balanced classes.

    labels : {"binary", "signed"}, default="binary"
        The label encoding: ``"binary"`` gives 0/1, ``"signed"`` gives -1/+1.

    random_state : int, RandomState instance or None, default=None
        Determines random number generation for dataset creation. Pass an int
        for reproducible output across multiple function calls.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The input samples, float64 in ``[0, 1)``.

    y : ndarray of shape (n_samples,)
        The integer labels, in ``{0, 1}`` or ``{-1, 1}``.

    See Also
    --------
    make_waves : The "x/256 is class x" multi-class task.
    sklearn.datasets.make_hastie_10_2 : A similar thresholded binary task.

    Examples
    --------
    >>> from skclassify.datasets import make_sum_threshold
    >>> X, y = make_sum_threshold(random_state=0)
    >>> X.shape, y.shape
    ((250, 5), (250,))
    >>> sorted(set(y.tolist()))
    [0, 1]
    >>> _, y = make_sum_threshold(labels="signed", random_state=0)
    >>> sorted(set(y.tolist()))
    [-1, 1]
    """
    rng = check_random_state(random_state)
    if threshold is None:
        threshold = n_features / 2

    X = rng.uniform(size=(n_samples, n_features))
    y = LABEL_ENCODINGS[labels](X.sum(axis=1) > threshold)
    return X, y


@validate_params(
    {
        "n_samples_per_class": [Interval(Integral, 1, None, closed="left")],
        "n_classes": [Interval(Integral, 2, None, closed="left")],
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "sigma": [Interval(Real, 0, None, closed="left")],
        "order": [StrOptions({"grouped", "interleaved", "shuffled"})],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_waves(
    n_samples_per_class: int = 10,
    *,
    n_classes: int = 256,
    n_features: int = 200,
    sigma: float = 1e-4,
    order: str = "grouped",
    random_state: int | np.random.RandomState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Generate the "x/256 is class x" multi-class task.

    Every feature of a sample of class ``i`` is drawn independently from::

      N(i / (n_classes - 1), sigma ** 2)

    so the classes are constant "waveforms" at evenly spaced levels in
    ``[0, 1]``, separated by ``1 / (n_classes - 1)`` and blurred by a tiny
    noise of standard deviation ``sigma``. With 256 classes this is the
    synthetic reproduction of the question "why can't a neural net learn the
    classifier 'x/256 is class x'?".

    Parameters
    ----------
    n_samples_per_class : int, default=10
        The number of samples of each class.

    n_classes : int, default=256
        The number of classes, at least 2.

    n_features : int, default=200
        The number of features (the length of a waveform).

    sigma : float, default=1e-4
        The standard deviation of the Gaussian noise.

    order : {"grouped", "interleaved", "shuffled"}, default="grouped"
        The row order. ``"grouped"``: all samples of class 0, then of class 1,
        and so on. ``"interleaved"``: as the source's batch generator, every
        consecutive block of ``n_classes`` rows holds each class exactly once,
        in order ``0, 1, ..., n_classes - 1``. ``"shuffled"``: a random
        permutation drawn from ``random_state``.

    random_state : int, RandomState instance or None, default=None
        Determines random number generation for dataset creation. Pass an int
        for reproducible output across multiple function calls.

    Returns
    -------
    X : ndarray of shape (n_samples_per_class * n_classes, n_features)
        The input samples, float64.

    y : ndarray of shape (n_samples_per_class * n_classes,)
        The integer class of each sample, in ``0, ..., n_classes - 1``.

    See Also
    --------
    make_sum_threshold : The "row sum above a threshold" binary task.
    sklearn.datasets.make_blobs : Isotropic Gaussian blobs at random centers.

    Examples
    --------
    >>> from skclassify.datasets import make_waves
    >>> X, y = make_waves(2, n_classes=4, n_features=3, random_state=0)
    >>> X.shape, y.shape
    ((8, 3), (8,))
    >>> y.tolist()
    [0, 0, 1, 1, 2, 2, 3, 3]
    >>> X.mean(axis=1).round(2).tolist()
    [0.0, 0.0, 0.33, 0.33, 0.67, 0.67, 1.0, 1.0]
    >>> _, y = make_waves(2, n_classes=4, order="interleaved", random_state=0)
    >>> y.tolist()
    [0, 1, 2, 3, 0, 1, 2, 3]
    """
    rng = check_random_state(random_state)
    classes = np.arange(n_classes, dtype=np.int64)
    if order == "interleaved":
        y = np.tile(classes, n_samples_per_class)
    else:
        y = np.repeat(classes, n_samples_per_class)

    noise = rng.standard_normal(size=(y.shape[0], n_features))
    X = (y / (n_classes - 1))[:, np.newaxis] + sigma * noise

    if order == "shuffled":
        permutation = rng.permutation(y.shape[0])
        X, y = X[permutation], y[permutation]
    return X, y
