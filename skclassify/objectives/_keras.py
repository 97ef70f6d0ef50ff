"""Keras losses and optimizers as the estimators' parameters give them.

``Model.compile`` accepts a loss as a name, a function, a ``keras.losses.Loss``
class or instance, and an optimizer as a name, class or instance. These
functions reduce them to what a structure key holds: a loss as ``(name,
kwargs)``, where ``name`` is a key of :data:`LOSSES` or, for a custom loss, the
user's function, class or instance itself (hashed by identity), and an
optimizer as its configuration without the learning rate. Keras is imported
when they are called, not when this module is imported.
"""

import json

from ._losses import LOSSES, OPTIMIZERS, make_optimizer

__all__ = [
    "is_custom_loss",
    "loss_record",
    "make_custom_loss",
    "make_keras_loss",
    "make_keras_optimizer",
    "optimizer_record",
]

_DROPPED_LOSS_KEYS = {"name", "reduction", "dtype"}


def _keras():
    from .._compat._keras import import_keras

    return import_keras()


def is_custom_loss(loss):
    """Whether a loss record's name is a user's loss (not a :data:`LOSSES` key)."""
    return not isinstance(loss, str)


def loss_record(loss, routed=()):
    """``(name, kwargs)`` of a Keras loss.

    Parameters
    ----------
    loss : str, callable, keras.losses.Loss class or instance
        What ``Model.compile`` accepts: a name (``"categorical_crossentropy"``,
        ``"kld"``, ``"CategoricalCrossentropy"``), a loss function, a
        ``keras.losses.Loss`` class or instance.
    routed : iterable of (str, object), default=()
        Routed ``loss__`` arguments; they override the instance's.

    Returns
    -------
    name : str or object
        A key of :data:`LOSSES` for Keras' own losses; for a custom loss, the
        function, class or instance itself (one compiled loop per object).
    kwargs : tuple of (str, object)
        Keyword arguments, sorted.
    """
    keras = _keras()
    if isinstance(loss, list | tuple | dict):
        raise ValueError(
            "The model was compiled with several losses; KerasClassifier trains "
            "models with one output and one loss."
        )
    if isinstance(loss, str):
        try:
            loss = keras.losses.get(loss)
        except ValueError:
            raise ValueError(
                f"Unknown loss {loss!r}: use a name Keras knows ({sorted(LOSSES)}, "
                "...), a loss function or a keras.losses.Loss class or instance."
            ) from None
    by_class = {record.keras_class: key for key, record in LOSSES.items()}
    kwargs = {}
    if isinstance(loss, type) and issubclass(loss, keras.losses.Loss):
        name = by_class.get(loss.__name__)
        if name is None or getattr(keras.losses, loss.__name__) is not loss:
            name = loss  # a user's Loss subclass
    elif isinstance(loss, keras.losses.Loss):
        cls_name = type(loss).__name__
        name = by_class.get(cls_name)
        if name is not None and getattr(keras.losses, cls_name) is type(loss):
            # Keras' own loss class: only what differs from its defaults, so
            # that equal losses give one key. (scikeras' loss_name snake-cases
            # the class name, wrong for KLDivergence: look the class up.)
            config = loss.get_config()
            defaults = type(loss)().get_config()
            kwargs = {
                k: v
                for k, v in config.items()
                if k not in _DROPPED_LOSS_KEYS and defaults.get(k, k) != v
            }
        else:
            fn = getattr(loss, "fn", None)  # Keras' wrapper of a function
            if fn is not None and _is_keras_function(keras, fn):
                name = fn.__name__
            else:
                name = loss  # a user's Loss instance
    elif callable(loss):
        name = loss.__name__ if _is_keras_function(keras, loss) else loss
    else:
        raise ValueError(
            f"Unsupported loss {loss!r}: use a name, a loss function or a "
            "keras.losses.Loss class or instance."
        )
    kwargs.update(dict(routed))
    return name, tuple(sorted((k, _hashable(v)) for k, v in kwargs.items()))


def _is_keras_function(keras, fn):
    name = getattr(fn, "__name__", None)
    return name in LOSSES and getattr(keras.losses, name, None) is fn


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def make_custom_loss(loss, kwargs=(), dtype="float32", reduction=None):
    """A Keras loss object for a user's loss function, class or instance.

    Parameters
    ----------
    loss : callable, keras.losses.Loss class or instance
        The user's loss. A function is called as ``loss(y_true, y_pred,
        **kwargs)`` and must return one value per row (as Keras' own loss
        functions do).
    kwargs : iterable of (str, object), default=()
        Routed ``loss__`` arguments.
    dtype : str, default="float32"
        Dtype of the computation.
    reduction : str or None, default=None
        Keras' reduction; ``None`` keeps one value per row (the training
        loop weights and averages them).

    Returns
    -------
    keras.losses.Loss
    """
    keras = _keras()
    kwargs = dict(kwargs)
    if isinstance(loss, type):
        try:
            return loss(**kwargs, reduction=reduction, dtype=dtype)
        except TypeError:  # a subclass that does not pass them on
            obj = loss(**kwargs)
    elif isinstance(loss, keras.losses.Loss):
        if kwargs:
            obj = type(loss).from_config({**loss.get_config(), **kwargs})
        else:  # a shallow copy (Keras' own copy pickles, which needs registration)
            obj = object.__new__(type(loss))
            obj.__dict__.update(loss.__dict__)
    else:
        return _function_loss_class(keras)(loss, kwargs, reduction, dtype)
    obj.reduction = reduction
    return obj


_FUNCTION_LOSS = None


def _function_loss_class(keras):
    global _FUNCTION_LOSS
    if _FUNCTION_LOSS is None:

        class FunctionLoss(keras.losses.Loss):
            """A user's loss function as a ``keras.losses.Loss``."""

            def __init__(self, fn, kwargs, reduction, dtype):
                super().__init__(
                    name=getattr(fn, "__name__", "loss"),
                    reduction=reduction,
                    dtype=dtype,
                )
                self.fn, self.fn_kwargs = fn, kwargs

            def call(self, y_true, y_pred):
                return self.fn(y_true, y_pred, **self.fn_kwargs)

        _FUNCTION_LOSS = FunctionLoss
    return _FUNCTION_LOSS


def make_keras_loss(loss, routed=()):
    """The Keras loss object of the estimator's ``loss`` (None stays None).

    Keras' own losses come from their registry entry; a custom loss is
    returned as given (a class is instantiated with the routed arguments).
    """
    if loss is None:
        return None
    name, kwargs = loss_record(loss, routed)
    if is_custom_loss(name):
        if isinstance(name, type):
            return name(**dict(kwargs))
        return name
    keras = _keras()
    return getattr(keras.losses, LOSSES[name].keras_class)(**dict(kwargs))


def make_keras_optimizer(optimizer, routed=()):
    """The Keras optimizer of the estimator's ``optimizer`` and ``optimizer__``."""
    keras = _keras()
    routed = dict(routed)
    if isinstance(optimizer, str) and optimizer in OPTIMIZERS:
        return make_optimizer(optimizer, tuple(routed.items()))
    if isinstance(optimizer, type) and issubclass(
        optimizer, keras.optimizers.Optimizer
    ):
        return _with_config(optimizer, {}, routed)
    if isinstance(optimizer, str | keras.optimizers.Optimizer):
        try:
            optimizer = keras.optimizers.get(optimizer)
        except ValueError:
            raise ValueError(
                f"Unknown optimizer {optimizer!r}: use a name Keras knows "
                f"({sorted(OPTIMIZERS)}, ...), a keras.optimizers class or instance."
            ) from None
        if not routed:
            return optimizer
        return _with_config(type(optimizer), optimizer.get_config(), routed)
    raise ValueError(
        f"optimizer must be a name, a keras.optimizers class or instance; got "
        f"{optimizer!r}."
    )


def _with_config(cls, config, routed):
    try:
        return cls.from_config({**config, **routed})
    except (TypeError, ValueError) as exc:
        names = ", ".join(f"optimizer__{key}" for key in routed) or "(none)"
        raise ValueError(
            f"Invalid routed parameter(s) {names} for {cls.__name__}: {exc}"
        ) from None


def optimizer_record(optimizer, routed=()):
    """``(config_json, learning_rate)`` of a Keras optimizer.

    The learning rate leaves the configuration, so that fits that differ only
    in it share one compiled loop; routed ``optimizer__`` arguments override the
    optimizer's own.
    """
    keras = _keras()
    routed = dict(routed)
    if routed:
        optimizer = _with_config(type(optimizer), optimizer.get_config(), routed)
    config = keras.optimizers.serialize(optimizer)
    inner = dict(config["config"])
    learning_rate = inner.pop("learning_rate", None)
    inner.pop("name", None)
    if isinstance(learning_rate, dict):
        # a LearningRateSchedule stays in the configuration (the loop's key):
        # the compiled optimizer evaluates it at every step, as Keras does
        inner["learning_rate"] = learning_rate
        learning_rate = None
    elif not isinstance(learning_rate, int | float | None):
        raise ValueError(
            f"Unsupported learning rate {learning_rate!r}: use a float or a "
            "keras.optimizers.schedules.LearningRateSchedule."
        )
    config = {**config, "config": inner}
    return json.dumps(config, sort_keys=True, default=str), learning_rate
