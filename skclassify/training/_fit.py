"""Backend-independent training driver: batching, epochs, early stopping."""

import collections
import threading
from dataclasses import dataclass, field

import numpy as np

from .._backend import backend_name

__all__ = ["TrainResult", "get_trainer", "train_network", "batch_indices"]

_CACHE_SIZE = 16
_cache: collections.OrderedDict = collections.OrderedDict()
_cache_lock = threading.Lock()
# Upper bound on the int32 batch-index array handed to one compiled call.
_MAX_INDEX_ENTRIES = 4_000_000
# Smallest row count the data are padded to (see _pad_rows).
_MIN_ROWS = 256


def get_trainer(spec):
    """Return the compiled trainer for ``spec``, building it on first use.

    Trainers are kept in a small LRU cache, so the folds of a cross-validation
    or the candidates of a grid search reuse one compiled graph per
    architecture instead of tracing a new one per fit.
    """
    with _cache_lock:
        trainer = _cache.pop(spec, None)
        if trainer is None:
            backend = backend_name()
            if backend == "tensorflow":
                from ._tf_loop import TFTrainer as trainer_cls
            elif backend == "jax":
                from ._jax_loop import JaxTrainer as trainer_cls
            else:
                raise NotImplementedError(
                    f"skclassify trains with the 'tensorflow' or 'jax' Keras "
                    f"backend; the active backend is {backend!r}."
                )
            trainer = trainer_cls(spec)
        _cache[spec] = trainer
        while len(_cache) > _CACHE_SIZE:
            _, evicted = _cache.popitem(last=False)
            with evicted.lock:  # not while another thread trains with it
                evicted.close()
    return trainer


def batch_indices(n_samples, batch_size, n_epochs, shuffle, random_state):
    """Row indices of every mini-batch of ``n_epochs`` epochs.

    Returns an int32 array of shape (n_epochs, n_batches, batch_size); the
    last batch of an epoch is padded with -1 (masked out of the loss).
    """
    size = _rows_per_batch(n_samples, batch_size)
    n_batches = -(-n_samples // size)
    idx = np.full((n_epochs, n_batches * size), -1, dtype=np.int32)
    for epoch in range(n_epochs):
        idx[epoch, :n_samples] = (
            random_state.permutation(n_samples) if shuffle else np.arange(n_samples)
        )
    return idx.reshape(n_epochs, n_batches, size)


def _rows_per_batch(n_samples, batch_size):
    """Rows per mini-batch: ``None`` means one batch of all rows."""
    return n_samples if batch_size is None else min(batch_size, n_samples)


@dataclass
class TrainResult:
    """Weights, optimizer state and per-epoch history of a training run."""

    weights: list
    optimizer_state: list
    history: dict = field(default_factory=dict)


def train_network(
    spec,
    X,
    Y,
    W,
    *,
    weights,
    optimizer_state=None,
    learning_rate=None,
    epochs=200,
    batch_size=32,
    shuffle=True,
    random_state,
    validation=None,
    n_iter_no_change=10,
    tol=1e-4,
    verbose=0,
):
    """Train the network described by ``spec`` from ``weights``.

    Parameters
    ----------
    spec : NetSpec
        Architecture, loss and optimizer.
    X, Y, W : ndarray
        Inputs, encoded targets and sample weights.
    weights : list of ndarray
        Initial trainable weights.
    optimizer_state : list of ndarray or None
        Optimizer state to continue from (``None`` starts afresh).
    learning_rate : float or None
        Learning rate; ``None`` keeps the optimizer's default.
    epochs : int
        Maximum number of passes over the data.
    batch_size : int or None
        Rows per mini-batch; ``None`` means one batch of all rows.
    shuffle : bool
        Draw a new order of rows every epoch (else keep the given order).
    random_state : numpy.random.RandomState
        Source of the shuffling order and dropout seeds.
    validation : tuple (X_val, Y_val, W_val) or None
        Hold-out data; enables early stopping on its loss.
    n_iter_no_change, tol : int, float
        Stop once the validation loss has not decreased by more than ``tol``
        for ``n_iter_no_change`` epochs; the weights of the epoch with the
        lowest validation loss are restored (Keras' ``EarlyStopping`` with
        ``restore_best_weights=True``).
    verbose : int
        Print one line per epoch when > 0.

    Returns
    -------
    TrainResult
    """
    trainer = get_trainer(spec)
    history = collections.defaultdict(list)
    n = X.shape[0]
    X, Y, W = _pad_rows(X, Y, W)
    if validation is not None or verbose:
        chunk = 1
    else:
        size = _rows_per_batch(n, batch_size)
        rows_per_epoch = -(-n // size) * size
        chunk = max(1, min(epochs, _MAX_INDEX_ENTRIES // rows_per_epoch))
    seed = int(random_state.randint(np.iinfo(np.int32).max))
    best_loss, best_weights, stale = np.inf, None, 0
    with trainer.lock:
        trainer.set_state(weights, optimizer_state, learning_rate, seed)
        done = 0
        while done < epochs:
            n_run = min(chunk, epochs - done)
            idx = batch_indices(n, batch_size, n_run, shuffle, random_state)
            losses, accuracies = trainer.train_epochs(X, Y, W, idx)
            history["loss"].extend(float(v) for v in losses)
            history["accuracy"].extend(float(v) for v in accuracies)
            done += n_run
            if validation is not None:
                val_loss, val_acc = trainer.evaluate(*validation)
                history["val_loss"].append(val_loss)
                history["val_accuracy"].append(val_acc)
                if val_loss < best_loss - tol:
                    best_loss, stale = val_loss, 0
                    best_weights = trainer.get_state()[0]
                else:
                    stale += 1
            if verbose:
                print(_epoch_line(done, epochs, history), flush=True)
            if validation is not None and stale >= n_iter_no_change:
                break
        final_weights, final_optimizer = trainer.get_state()
    if best_weights is not None:
        final_weights = best_weights
    return TrainResult(final_weights, final_optimizer, dict(history))


def _pad_rows(*arrays):
    """Pad to the next power of two rows (at least 256) with zero weight rows.

    Compiled loops are specialised to their input shapes; padding makes folds
    of slightly different sizes share one executable. Padded rows are never
    drawn into a batch (batch indices only address the first ``n`` rows).
    """
    n = arrays[0].shape[0]
    size = max(_MIN_ROWS, 1 << max(n - 1, 0).bit_length())
    if size == n:
        return arrays
    return tuple(
        np.concatenate([a, np.zeros((size - n, *a.shape[1:]), dtype=a.dtype)])
        for a in arrays
    )


def _epoch_line(epoch, epochs, history):
    parts = [f"Epoch {epoch}/{epochs}"]
    parts += [f"{key}: {values[-1]:.4f}" for key, values in history.items()]
    return " - ".join(parts)
