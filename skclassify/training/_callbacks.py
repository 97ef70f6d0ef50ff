"""Keras callbacks around the compiled training loop.

The loop runs whole epochs in one compiled call, so callbacks are called
between calls: :func:`~skclassify.training.train_network` makes every call one
epoch long when a monitor asks for every epoch (Keras callbacks do), and does
nothing extra when there is none.

A Keras callback needs ``self.model``: :class:`KerasCallbacks` builds a *view*
of the network (the spec's model, compiled with the spec's optimizer), pushes
the current numpy weights, non-trainable state and learning rate into it before
each callback hook and reads them back after it. What a callback changes
(``EarlyStopping(restore_best_weights=True)`` setting the best weights,
``ReduceLROnPlateau`` lowering ``model.optimizer.learning_rate``,
``model.stop_training = True``) therefore takes effect in the loop.

Epoch hooks (``on_train_begin``, ``on_epoch_begin``, ``on_epoch_end``,
``on_train_end``) are called with the logs Keras would give (``loss``,
``accuracy``, and ``val_loss``, ``val_accuracy`` with validation data);
batch hooks are not called, since the batches run compiled.
"""

import warnings
from collections.abc import Mapping

import numpy as np

from .._compat._keras import import_keras

__all__ = ["KerasCallbacks", "SklearnCallbacks", "call_training", "resolve_callbacks"]


def call_training(call, model, *args, mask, **kwargs):
    """``call(*args, training=True, **kwargs)``, with the row mask if it matters.

    The compiled loops pad the last mini-batch of an epoch to the common
    batch size (padding rows have weight zero). BatchNormalization would
    count those rows in its batch mean and variance, so models with it are
    called with the row mask (its ``mask`` argument, passed down by Keras);
    other models are called as before, and their traced step is unchanged.
    """
    if not _has_batch_statistics(model):
        return call(*args, training=True, **kwargs)
    with warnings.catch_warnings():  # Sequential says it drops masks; BN gets it
        warnings.filterwarnings(
            "ignore", message=".*does not support masking", category=UserWarning
        )
        return call(*args, training=True, mask=mask > 0, **kwargs)


def _numpy(value):
    """A Keras variable or tensor as numpy (without NumPy 2's copy warning)."""
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def _has_batch_statistics(layer):
    keras = import_keras()
    if isinstance(layer, keras.layers.BatchNormalization):
        return True
    return any(_has_batch_statistics(inner) for inner in getattr(layer, "layers", []))


def resolve_callbacks(callbacks, routed=()):
    """A flat list of Keras callback instances, scikeras' conventions.

    Parameters
    ----------
    callbacks : None, callback, callback class, list or dict of them
        As scikeras' ``callbacks``: instances are used as they are, classes
        are instantiated with the routed arguments; lists may nest one level;
        a dict's values are taken in order.
    routed : iterable of (str, object)
        ``callbacks__<name>`` arguments: ``<arg>`` goes to every class,
        ``<key>__<arg>`` to the class under that dict key or list position
        (which wins).

    Returns
    -------
    list of keras.callbacks.Callback
    """
    if callbacks is None:
        return []
    keras = import_keras()
    shared, own = {}, {}
    for key, value in routed:
        head, sep, rest = key.partition("__")
        if sep:
            own.setdefault(head, {})[rest] = value
        else:
            shared[key] = value
    if isinstance(callbacks, Mapping):
        items = list(callbacks.items())
    elif isinstance(callbacks, list | tuple):
        items = [(str(i), cb) for i, cb in enumerate(callbacks)]
    else:
        items = [("0", callbacks)]
    resolved = []
    for key, item in items:
        for cb in item if isinstance(item, list | tuple) else [item]:
            if isinstance(cb, type) and issubclass(cb, keras.callbacks.Callback):
                try:
                    cb = cb(**{**shared, **own.get(key, {})})
                except TypeError as exc:
                    raise ValueError(
                        f"Cannot create the callback {cb.__name__} from the routed "
                        f"callbacks__ parameters: {exc}"
                    ) from None
            if not isinstance(cb, keras.callbacks.Callback):
                raise TypeError(
                    "callbacks must be a keras.callbacks.Callback (instance or "
                    "class), or a list or dict of them; got "
                    f"{type(cb).__name__}: {cb!r}."
                )
            resolved.append(cb)
    return resolved


class KerasCallbacks:
    """Keras callbacks as an epoch monitor of :func:`train_network`.

    Parameters
    ----------
    callbacks : list of keras.callbacks.Callback
        The callbacks, in order.
    spec : NetSpec or KerasModelSpec
        The network; its ``build_model`` and ``make_optimizer`` give the view.
    verbose : int, default=0
        Keras' ``verbose`` in the callbacks' ``params``.
    """

    #: Keras callbacks expect ``on_epoch_end`` after every epoch
    every_epoch = True

    def __init__(self, callbacks, spec, verbose=0):
        self.callbacks = list(callbacks)
        self.spec = spec
        self.verbose = verbose
        self.model = None

    # -- the view ---------------------------------------------------------------
    def _build_view(self):
        model = self.spec.build_model()
        optimizer = self.spec.make_optimizer()
        optimizer.build(model.trainable_variables)
        model.compile(optimizer=optimizer, loss=self.spec.make_loss())
        model.stop_training = False
        return model

    def _state_variables(self):
        return [
            v
            for v in self.model.non_trainable_variables
            if v.name != "seed_generator_state"
        ]

    def _push(self, session):
        self._pushed = (session.weights(), session.state(), session.learning_rate())
        weights, state, learning_rate = self._pushed
        for var, value in zip(self.model.trainable_variables, weights, strict=True):
            var.assign(value)
        for var, value in zip(self._state_variables(), state, strict=True):
            var.assign(value)
        if learning_rate is not None:
            self.model.optimizer.learning_rate = learning_rate

    def _pull(self, session):
        weights, state, learning_rate = self._pushed
        new = [_numpy(v) for v in self.model.trainable_variables]
        if any(not np.array_equal(a, b) for a, b in zip(new, weights, strict=True)):
            session.set_weights(new)
        new = [_numpy(v) for v in self._state_variables()]
        if any(not np.array_equal(a, b) for a, b in zip(new, state, strict=True)):
            session.set_state(new)
        if learning_rate is not None:
            now = float(_numpy(self.model.optimizer.learning_rate))
            if now != np.float32(learning_rate) and now != learning_rate:
                session.set_learning_rate(now)
        if self.model.stop_training:
            session.stop_training = True

    def _call(self, session, hook, *args):
        self._push(session)
        getattr(self._list, hook)(*args)
        self._pull(session)

    # -- the monitor interface ------------------------------------------------------
    def on_train_begin(self, session):
        """Build the view and call ``on_train_begin``."""
        keras = import_keras()
        self.model = self._build_view()
        self._list = keras.callbacks.CallbackList(
            self.callbacks,
            model=self.model,
            verbose=self.verbose,
            epochs=session.epochs,
            steps=session.steps,
        )
        base = keras.callbacks.Callback.on_epoch_begin
        self._begins = any(
            getattr(cb.on_epoch_begin, "__func__", None) is not base
            for cb in self.callbacks
        )
        self._call(session, "on_train_begin", {})

    def on_chunk_begin(self, epoch, session):
        """``on_epoch_begin`` of the chunk's (single) epoch, if one defines it."""
        if self._begins:
            self._call(session, "on_epoch_begin", epoch, {})

    def on_chunk_end(self, epoch, logs, session):
        """``on_epoch_end`` with the epoch's logs."""
        self._call(session, "on_epoch_end", epoch, dict(logs))

    def on_train_end(self, logs, session):
        """``on_train_end`` (``restore_best_weights`` acts here)."""
        self._call(session, "on_train_end", dict(logs))


class SklearnCallbacks:
    """scikit-learn's callbacks (``sklearn.callback``) as an epoch monitor.

    Every epoch is a subtask of the fit's callback context: its
    ``on_fit_task_begin`` and ``on_fit_task_end`` hooks run between compiled
    chunks, all the chunk's epochs at its end, unless ``every_epoch`` (a
    callback that evaluates the model, such as ``ScoringMonitor``), which
    makes every chunk one epoch. A callback's request to stop ends the fit.

    Parameters
    ----------
    context : sklearn.callback.CallbackContext
        The fit's root context.
    estimator : estimator
        The estimator being fitted.
    X, y : ndarray
        The training data, as the callbacks get them.
    reconstruct : callable
        ``reconstruct(weights, state)`` -> the fitted attributes of an
        estimator holding those weights (for ``fitted_estimator``).
    every_epoch : bool
        Whether the hooks must run after every epoch.
    """

    def __init__(self, context, estimator, X, y, reconstruct, every_epoch):
        self.context = context
        self.estimator = estimator
        self.X, self.y = X, y
        self.reconstruct = reconstruct
        self.every_epoch = every_epoch
        self._start = 0

    def on_train_begin(self, session):
        """Nothing: the estimator opens the root task."""

    def on_chunk_begin(self, epoch, session):
        """Remember where the chunk starts."""
        self._start = epoch

    def on_chunk_end(self, epoch, logs, session):
        """One begin/end pair of hooks per epoch of the chunk."""
        for _ in range(epoch - self._start + 1):
            task = self.context.subcontext(task_name="epoch")
            task.call_on_fit_task_begin(estimator=self.estimator, X=self.X, y=self.y)
            stop = task.call_on_fit_task_end(
                estimator=self.estimator,
                X=self.X,
                y=self.y,
                reconstruction_attributes=lambda: self.reconstruct(
                    session.weights(), session.state()
                ),
            )
            if stop:
                session.stop_training = True

    def on_train_end(self, logs, session):
        """Nothing: the estimator closes the root task."""
