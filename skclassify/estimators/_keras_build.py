"""scikeras' conventions for a user's model: builder calls, losses, optimizers.

A builder is called with its own parameters (given bare, ``units=32``, or
routed, ``model__units=32``; routed ones win) and, if it names them, ``meta``,
``compile_kwargs`` and ``params``, as in scikeras. The compiled loss and
optimizer of the model it returns (or the estimator's ``loss`` and
``optimizer``) are reduced to what :class:`~skclassify.model.KerasModelSpec`
holds: a :data:`~skclassify.encoding.LOSSES` name with keyword arguments, and
an optimizer configuration with its learning rate taken out.
"""

import collections
import inspect
import json
import threading
from typing import NamedTuple

import numpy as np

from .._compat._keras import import_keras, preserved_python_random
from ..encoding import LOSSES, OPTIMIZERS, make_optimizer
from ..model import check_model, model_json, model_structure, output_activation

__all__ = [
    "ModelInfo",
    "builder_meta",
    "builder_parameters",
    "built_model_info",
    "call_builder",
    "loss_record",
    "make_keras_loss",
    "make_keras_optimizer",
    "optimizer_record",
]

#: builder parameters that the estimator fills in itself
SPECIAL = ("meta", "compile_kwargs", "params")
_DROPPED_LOSS_KEYS = {"name", "reduction", "dtype"}


def builder_parameters(builder):
    """``(names, takes_kwargs)`` of a builder's own parameters.

    ``names`` excludes ``meta``, ``compile_kwargs`` and ``params``; a Keras
    model (not a builder) has none.
    """
    keras = import_keras()
    if builder is None or isinstance(builder, keras.Model):
        return frozenset(), False
    try:
        signature = inspect.signature(builder)
    except (TypeError, ValueError):
        return frozenset(), True
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    names = frozenset(
        name
        for name, p in signature.parameters.items()
        if p.kind in kinds and name not in SPECIAL
    )
    takes_kwargs = any(
        p.kind == inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()
    )
    return names, takes_kwargs


def builder_meta(y, classes, n_features, dtype, feature_names=None):
    """scikeras' ``meta`` dict for a builder, from the validated target.

    ``n_outputs_expected_`` is 1, the number of output tensors, as in scikeras;
    the number of output units follows from ``target_type_`` and ``n_classes_``.
    """
    if y.ndim == 2:
        labels = np.arange(y.shape[1])
        target_type = "multilabel-indicator"
    else:
        labels = np.unique(y if classes is None else np.asarray(classes))
        target_type = "binary" if len(labels) <= 2 else "multiclass"
    meta = {
        "n_features_in_": n_features,
        "X_shape_": (len(y), n_features),
        "X_dtype_": np.dtype(dtype),
        "y_dtype_": y.dtype,
        "classes_": labels,
        "n_classes_": len(labels),
        "target_type_": target_type,
        "n_outputs_": 1 if y.ndim == 1 else y.shape[1],
        "n_outputs_expected_": 1,
    }
    if feature_names is not None:
        meta["feature_names_in_"] = feature_names
    return meta


def call_builder(builder, own, meta, compile_kwargs, params):
    """Call ``builder`` with its parameters ``own`` and the special ones it names.

    Raises ``ValueError`` (not the builder's ``TypeError``) when a parameter
    without default is missing.
    """
    signature = inspect.signature(builder)
    takes_kwargs = any(
        p.kind == inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()
    )
    kwargs = dict(own)
    for name, value in (
        ("meta", meta),
        ("compile_kwargs", compile_kwargs),
        ("params", params),
    ):
        if name in signature.parameters or takes_kwargs:
            kwargs[name] = value
    missing = [
        name
        for name, p in signature.parameters.items()
        if p.default is inspect.Parameter.empty
        and p.kind
        in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        and name not in kwargs
    ]
    if missing:
        raise ValueError(
            f"The model builder {getattr(builder, '__name__', builder)!r} needs "
            f"{missing}: pass each as a parameter of KerasClassifier, bare "
            f"({missing[0]}=...) or routed (model__{missing[0]}=...)."
        )
    with preserved_python_random():
        return builder(**kwargs)


def loss_record(loss, routed=()):
    """``(name, kwargs)`` of a Keras loss: a :data:`LOSSES` key and its arguments.

    Accepts what ``Model.compile`` accepts: a name (``"categorical_crossentropy"``,
    ``"kld"``, ``"CategoricalCrossentropy"``), a loss function, a
    ``keras.losses.Loss`` class or instance. Routed ``loss__`` arguments
    override the instance's. (scikeras' ``loss_name`` does this for names and
    functions, but importing scikeras patches Keras' classes, and it names
    ``KLDivergence`` "k_l_divergence"; Keras' own ``losses.get`` is used.)
    """
    keras = import_keras()
    if isinstance(loss, (list, tuple, dict)):
        raise ValueError(
            "The model was compiled with several losses; KerasClassifier trains "
            "models with one output and one loss."
        )
    if isinstance(loss, type) and issubclass(loss, keras.losses.Loss):
        loss = loss()
    if isinstance(loss, str):
        try:
            loss = keras.losses.get(loss)
        except ValueError:
            pass  # reported below
    kwargs = {}
    if isinstance(loss, keras.losses.Loss) and type(loss) is not keras.losses.Loss:
        # scikeras' loss_name turns the class name to snake case, which is wrong
        # for e.g. KLDivergence ("k_l_divergence"): look the class up instead.
        by_class = {record.keras_class: key for key, record in LOSSES.items()}
        name = by_class.get(type(loss).__name__)
        config = loss.get_config()
        if name is None and "fn" in config:  # a LossFunctionWrapper
            name = getattr(loss.fn, "__name__", None)
        try:  # only what differs from the defaults: one key per loss
            defaults = type(loss)().get_config()
        except TypeError:
            defaults = {}
        kwargs = {
            k: v
            for k, v in config.items()
            if k not in _DROPPED_LOSS_KEYS and k != "fn" and defaults.get(k, k) != v
        }
    else:
        name = getattr(loss, "__name__", None)
    if name not in LOSSES:
        raise ValueError(
            f"Unsupported loss {loss!r}: KerasClassifier supports the losses "
            f"{sorted(LOSSES)} (as names, functions or keras.losses classes)."
        )
    kwargs.update(dict(routed))
    return name, tuple(sorted((k, _hashable(v)) for k, v in kwargs.items()))


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def make_keras_loss(loss, routed=()):
    """The Keras loss object of the estimator's ``loss`` (None stays None)."""
    if loss is None:
        return None
    name, kwargs = loss_record(loss, routed)
    keras = import_keras()
    return getattr(keras.losses, LOSSES[name].keras_class)(**dict(kwargs))


def make_keras_optimizer(optimizer, routed=()):
    """The Keras optimizer of the estimator's ``optimizer`` and ``optimizer__``."""
    keras = import_keras()
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
    keras = import_keras()
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


class ModelInfo(NamedTuple):
    """What a fit needs from a built model (no Keras object is kept)."""

    #: ``model_json(model, dtype)`` and its canonical form (the cache key)
    config: str
    structure: str
    n_units: int
    #: the compiled loss as ``(name, kwargs)``, or None
    loss: tuple | None
    #: the compiled optimizer as ``(config_json, learning_rate)``, or None
    optimizer: tuple | None
    #: name of the output activation in the registry
    activation: str


_CACHE_SIZE = 64
_built: collections.OrderedDict = collections.OrderedDict()
_built_lock = threading.Lock()


def describe_model(model, n_features, dtype, routed_loss=(), routed_optimizer=()):
    """The :class:`ModelInfo` of a Keras model (checked with ``check_model``)."""
    keras = import_keras()
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"The model builder must return a keras.Model; got {type(model)}."
        )
    if not model.built:
        model.build((None, n_features))
    n_units = check_model(model, n_features)
    compiled = getattr(model, "compiled", False)
    loss = optimizer = None
    if compiled and getattr(model, "loss", None) is not None:
        loss = loss_record(model.loss, routed_loss)
    if compiled and getattr(model, "optimizer", None) is not None:
        optimizer = optimizer_record(model.optimizer, routed_optimizer)
    config = model_json(model, dtype)
    return ModelInfo(
        config,
        model_structure(config),
        n_units,
        loss,
        optimizer,
        output_activation(model).name,
    )


def built_model_info(builder, own, meta, compile_kwargs, params, fingerprint):
    """Call the builder and describe its model, once per distinct set of arguments.

    Building a Keras model costs more than a warm training run of a small net
    (TensorFlow creates every variable eagerly), so the description of a
    builder's model is kept, keyed by the builder, its arguments, ``meta``, the
    compile arguments and ``fingerprint`` (dtype, routed loss and optimizer
    arguments). A builder must build the same model from the same arguments,
    as any scikit-learn parameter must mean the same thing in every fit.
    Builders that take ``params`` (all of ``get_params()``), or get unhashable
    arguments, are called every time.
    """
    key = None
    if "params" not in inspect.signature(builder).parameters:
        key = (builder, tuple(sorted(own.items())), _frozen(meta), fingerprint)
        try:
            hash(key)
        except TypeError:
            key = None
    if key is not None:
        with _built_lock:
            info = _built.get(key)
            if info is not None:
                _built.move_to_end(key)
                return info
    model = call_builder(builder, own, meta, compile_kwargs, params)
    dtype, routed_loss, routed_optimizer = fingerprint[:3]
    info = describe_model(
        model, meta["n_features_in_"], dtype, routed_loss, routed_optimizer
    )
    if key is not None:
        with _built_lock:
            _built[key] = info
            while len(_built) > _CACHE_SIZE:
                _built.popitem(last=False)
    return info


def _frozen(meta):
    items = []
    for key, value in sorted(meta.items()):
        if isinstance(value, np.ndarray):
            value = (value.dtype.str, tuple(value.tolist()))
        elif isinstance(value, np.dtype):
            value = value.str
        items.append((key, value))
    return tuple(items)
