"""Backend-independent training driver: batching, epochs, early stopping."""

import collections
import threading
from dataclasses import dataclass, field, replace

import numpy as np

from .._compat._keras import backend_name
from ._stopping import StoppingRule

__all__ = ["TrainResult", "batch_indices", "get_trainer", "train_network"]

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


def batch_indices(n_samples, batch_size, n_epochs, shuffle, random_state, shape=None):
    """Row indices of every mini-batch of ``n_epochs`` epochs.

    Returns an int32 array of shape (n_epochs, n_batches, rows_per_batch), or
    the larger ``shape`` when given (the compiled loops' fixed shape); entries
    past the last row of an epoch, and whole padding epochs and batches, are
    -1 (masked out of the loss, never run).
    """
    size = _rows_per_batch(n_samples, batch_size)
    n_batches = -(-n_samples // size)
    shape = (n_epochs, n_batches, size) if shape is None else shape
    idx = np.full((shape[0], shape[1] * shape[2]), -1, dtype=np.int32)
    for epoch in range(n_epochs):
        idx[epoch, :n_samples] = (
            random_state.permutation(n_samples) if shuffle else np.arange(n_samples)
        )
    return idx.reshape(shape)


def _rows_per_batch(n_samples, batch_size):
    """Rows per mini-batch: ``None`` means all rows, ``"auto"`` min(200, n)."""
    if batch_size is None:
        return n_samples
    if batch_size == "auto":
        return min(200, n_samples)
    return min(batch_size, n_samples)


@dataclass
class TrainResult:
    """What a training run leaves: numpy weights, optimizer state, history."""

    #: trainable weights at the end of the run (Keras order)
    weights: list
    #: optimizer variables at the end of the run
    optimizer_state: list
    #: the stopping rule's counters after the run
    rule: StoppingRule
    #: training loss and accuracy of each epoch run
    losses: list = field(default_factory=list)
    accuracies: list = field(default_factory=list)
    #: validation score of each epoch (early stopping), else empty
    validation_scores: list = field(default_factory=list)
    #: weights of the epoch with the best validation score, if one was run
    best_weights: list | None = None
    #: whether the stopping rule ended the run before ``epochs``
    stopped: bool = False
    #: non-trainable variables at the end (BatchNormalization statistics, ...)
    state: list = field(default_factory=list)
    #: validation loss and accuracy of each epoch, when validation data are given
    val_losses: list = field(default_factory=list)
    val_accuracies: list = field(default_factory=list)
    #: non-trainable variables of the best epoch, with ``best_weights``
    best_state: list | None = None
    #: the learning rate after the run (schedules and callbacks change it)
    learning_rate: float | None = None
    #: whether a callback (``stop_training``) ended the run
    stopped_by_callback: bool = False


def train_network(
    spec,
    X,
    Y,
    W,
    *,
    weights,
    rule,
    optimizer_state=None,
    learning_rate=None,
    alpha=0.0,
    epochs=200,
    batch_size=32,
    shuffle=True,
    random_state,
    validation=None,
    verbose=0,
    state=None,
    monitors=(),
    schedule=None,
    samples_seen=0,
    first_epoch=0,
):
    """Train the network described by ``spec`` from ``weights``.

    Parameters
    ----------
    spec : NetSpec
        Architecture, loss and optimizer: the key of the compiled loop.
    X, Y, W : ndarray
        Inputs, compact targets (class indices, or indicator rows) and sample
        weights.
    weights : list of ndarray
        Initial trainable weights (Keras order).
    rule : StoppingRule
        Stopping rule and its counters (not modified; the result has a copy).
    optimizer_state : list of ndarray or None
        Optimizer state to continue from (``None`` starts afresh).
    learning_rate : float or None
        Learning rate; ``None`` keeps the optimizer's default.
    alpha : float
        L2 penalty on scikit-learn's scale.
    epochs : int
        Maximum number of passes over the data.
    batch_size : int or None
        Rows per mini-batch; ``None`` means one batch of all rows.
    shuffle : bool
        Draw a new order of rows every epoch (else keep the given order).
    random_state : numpy.random.RandomState
        Source of the shuffling order and dropout seeds.
    validation : tuple (X_val, Y_val, W_val) or None
        Hold-out data: its loss and accuracy are logged every epoch, and early
        stopping (``rule.early_stopping``) watches one of them.
    verbose : int
        Print one line per epoch when > 0.
    state : list of ndarray or None
        Initial non-trainable variables (BatchNormalization statistics, frozen
        layers), in ``trainer.get_model_state()`` order; None keeps the
        template's.
    monitors : sequence of EpochMonitor
        Observers called between compiled chunks (Keras callbacks, see
        :mod:`skclassify.training._callbacks`); one that wants every epoch
        makes every chunk one epoch long. Without monitors nothing is added
        to the loop.
    schedule : LearningRateSchedule or None
        scikit-learn's ``invscaling``/``adaptive`` rules (see ``_stopping``).
    samples_seen : int
        Samples trained on before this run (scikit-learn's ``t_``), for
        ``invscaling``.
    first_epoch : int
        Number of the first epoch, as callbacks see it (Keras' ``initial_epoch``).

    Returns
    -------
    TrainResult
    """
    trainer = get_trainer(spec)
    rule = replace(rule)
    result = TrainResult(None, None, rule)
    n = X.shape[0]
    size = _rows_per_batch(n, batch_size)
    X, Y, W = _pad_rows(X, Y, W)
    # One index shape for every chunk of this fit (and for folds whose rows pad
    # to the same count), so the compiled loop is compiled once.
    n_batches = -(-n // size)
    padded_batches = -(-X.shape[0] // size)
    max_chunk = max(1, _MAX_INDEX_ENTRIES // (padded_batches * size))
    per_epoch = any(m.every_epoch for m in monitors) or (
        schedule is not None and schedule.every_epoch
    )
    if validation is not None or verbose or per_epoch:
        chunk = 1
    else:
        # a power of two, so that fits with other `epochs` share the compile
        longest = min(epochs, rule.n_iter_no_change + 1, max_chunk)
        chunk = min(1 << (int(longest) - 1).bit_length(), max_chunk)
    shape = (chunk, padded_batches, size)
    seed = int(random_state.randint(np.iinfo(np.int32).max))
    with trainer.lock:
        trainer.set_state(weights, optimizer_state, learning_rate, seed)
        if state is not None:
            trainer.set_model_state(state)
        X, Y, W = trainer.to_device(X, Y, W)
        if validation is not None:
            validation = trainer.to_device(*validation)
        session = _Session(trainer, epochs, n_batches)
        if learning_rate is not None and session.learning_rate() is None:
            raise ValueError(
                f"learning_rate={learning_rate} was given, but the optimizer's "
                "learning rate is a LearningRateSchedule, which sets the rate of "
                "every step: leave learning_rate=None."
            )
        for monitor in monitors:
            monitor.on_train_begin(session)
        done = 0
        while done < epochs:
            # As many epochs as the stopping rule cannot interrupt (with
            # validation or verbose output, the host looks at every epoch).
            n_run = min(epochs - done, rule.epochs_before_stop_possible(), chunk)
            for monitor in monitors:
                monitor.on_chunk_begin(first_epoch + done, session)
            idx = batch_indices(n, batch_size, n_run, shuffle, random_state, shape)
            losses, accuracies = trainer.train_epochs(
                X, Y, W, idx, (n_run, n_batches), alpha
            )
            for loss, accuracy in zip(
                losses.tolist(), accuracies.tolist(), strict=True
            ):
                done += 1
                result.losses.append(loss)
                result.accuracies.append(accuracy)
                if not rule.early_stopping:
                    rule.update_loss(loss)
                if verbose:
                    print(f"Iteration {done}, loss = {loss:.8f}", flush=True)
            logs = {"loss": result.losses[-1], "accuracy": result.accuracies[-1]}
            if validation is not None:
                val_loss, val_accuracy = trainer.evaluate_logs(*validation, alpha)
                result.val_losses.append(val_loss)
                result.val_accuracies.append(val_accuracy)
                logs.update(val_loss=val_loss, val_accuracy=val_accuracy)
                if rule.early_stopping:
                    result.validation_scores.append(val_accuracy)
                    if rule.update_score(rule.score_of(logs)):
                        result.best_weights = trainer.get_state()[0]
                        result.best_state = trainer.get_model_state()
                    if verbose:
                        print(f"Validation score: {val_accuracy:f}", flush=True)
            if schedule is not None and schedule.every_epoch:
                trainer.set_learning_rate(schedule.after_epoch(samples_seen + done * n))
            for monitor in monitors:
                monitor.on_chunk_end(first_epoch + done - 1, logs, session)
            if rule.should_stop:  # checked after each epoch, as in scikit-learn
                lowered = None if schedule is None else schedule.on_plateau()
                if lowered is None:
                    break
                trainer.set_learning_rate(lowered)
                rule.no_improvement_count = 0
            if session.stop_training:
                result.stopped_by_callback = True
                break
        for monitor in monitors:
            monitor.on_train_end(logs if done else {}, session)
        result.weights, result.optimizer_state = trainer.get_state()
        result.state = trainer.get_model_state()
        result.learning_rate = (
            session.learning_rate() if schedule is None else schedule.current
        )
    result.stopped = rule.should_stop or result.stopped_by_callback
    return result


class _Session:
    """What an epoch monitor may read and change between chunks of a run."""

    def __init__(self, trainer, epochs, steps):
        self._trainer = trainer
        self.epochs = epochs
        self.steps = steps
        self.stop_training = False

    def weights(self):
        return self._trainer.get_weights()

    def set_weights(self, weights):
        self._trainer.set_weights(weights)

    def state(self):
        return self._trainer.get_model_state()

    def set_state(self, values):
        self._trainer.set_model_state(values)

    def learning_rate(self):
        if getattr(self._trainer, "_scheduled", False) or (
            getattr(self._trainer, "_lr_index", 0) is None
        ):
            return None  # a LearningRateSchedule: no single rate
        return self._trainer.get_learning_rate()

    def set_learning_rate(self, learning_rate):
        self._trainer.set_learning_rate(learning_rate)


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
