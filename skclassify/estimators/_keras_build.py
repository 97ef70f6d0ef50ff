"""scikeras' conventions for a user's model: builder calls, meta, the model's spec.

A builder is called with its own parameters (given bare, ``units=32``, or
routed, ``model__units=32``; routed ones win) and, if it names them, ``meta``,
``compile_kwargs`` and ``params``, as in scikeras. The compiled loss and
optimizer of the model it returns (or the estimator's ``loss`` and
``optimizer``) are reduced to what :class:`~skclassify.model.KerasModelSpec`
holds: a :data:`~skclassify.objectives.LOSSES` name with keyword arguments, and
an optimizer configuration with its learning rate taken out.
"""

import collections
import functools
import inspect
import threading
from typing import NamedTuple

import numpy as np

from .._compat._keras import import_keras, preserved_python_random
from ..model import check_model, model_json, model_structure, output_activation
from ..objectives import loss_record, optimizer_record

__all__ = [
    "ModelInfo",
    "builder_meta",
    "builder_parameters",
    "built_model_info",
    "call_builder",
    "describe_model",
]

#: builder parameters that the estimator fills in itself
SPECIAL = ("meta", "compile_kwargs", "params")


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


class ModelInfo(NamedTuple):
    """What a fit needs from a built model (no Keras object is kept)."""

    #: ``model_json(model, dtype)`` and its canonical form (the cache key);
    #: for a model its JSON cannot rebuild, an identity-based tuple
    config: str
    structure: str | tuple
    n_units: int
    #: the compiled loss as ``(name, kwargs)``, or None
    loss: tuple | None
    #: the compiled optimizer as ``(config_json, learning_rate)``, or None
    optimizer: tuple | None
    #: name of the output activation in the registry
    activation: str
    #: builds the model afresh where its JSON cannot (else None)
    rebuild: object = None


_CACHE_SIZE = 64
_built: collections.OrderedDict = collections.OrderedDict()
_built_lock = threading.Lock()


def describe_model(
    model, n_features, dtype, routed_loss=(), routed_optimizer=(), identity=None
):
    """The :class:`ModelInfo` of a Keras model (checked with ``check_model``).

    A model that its JSON cannot rebuild (a ``keras.Model`` subclass that is
    not registered with ``keras.saving.register_keras_serializable``) is named
    by ``identity``, ``(key, rebuild)``: a hashable key (its builder and
    arguments) and a function that builds it again; by default, the model
    object itself and ``keras.models.clone_model``.
    """
    keras = import_keras()
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"The model builder must return a keras.Model; got {type(model)}."
        )
    own_build = type(model).build is not keras.Model.build
    if not model.built and (own_build or isinstance(model, keras.Sequential)):
        model.build((None, n_features))  # else check_model calls it once
    n_units = check_model(model, n_features)
    compiled = getattr(model, "compiled", False)
    loss = optimizer = None
    if compiled and getattr(model, "loss", None) is not None:
        loss = loss_record(model.loss, routed_loss)
    if compiled and getattr(model, "optimizer", None) is not None:
        optimizer = optimizer_record(model.optimizer, routed_optimizer)
    try:
        config = model_json(model, dtype)
    except Exception:  # a subclass without get_config: no JSON at all
        config = None
    structure, rebuild = None, None
    if config is not None and _from_json_works(keras, model, config):
        structure = model_structure(config)
    else:
        wrong = {v.dtype for v in model.trainable_variables} - {dtype}
        if wrong:
            raise ValueError(
                f"The model (a {type(model).__name__}, rebuilt by its builder "
                "since its configuration cannot rebuild it) has weights of dtype "
                f"{sorted(wrong)}; set dtype={sorted(wrong)[0]!r} or build it in "
                f"{dtype!r}."
            )
        if identity is None:
            identity = (("model", id(model)), functools.partial(_clone, model))
        key, rebuild = identity
        structure = ("rebuilt", type(model).__qualname__, key)
    return ModelInfo(
        config,
        structure,
        n_units,
        loss,
        optimizer,
        output_activation(model).name,
        rebuild,
    )


def _from_json_works(keras, model, config):
    if type(model) is keras.Sequential or type(model).__name__ == "Functional":
        return True  # Keras' own classes: custom layers are reported when built
    try:
        with preserved_python_random():
            keras.models.model_from_json(config)
    except Exception:
        return False
    return True


def _clone(model):
    try:
        return import_keras().models.clone_model(model)
    except Exception as exc:
        raise ValueError(
            f"The model (a {type(model).__name__}) cannot be cloned ({exc}); pass "
            "a function that builds it as `model`, or give the class a get_config."
        ) from None


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
    rebuild = functools.partial(
        call_builder, builder, own, meta, compile_kwargs, params
    )
    info = describe_model(
        model,
        meta["n_features_in_"],
        dtype,
        routed_loss,
        routed_optimizer,
        identity=(("builder", key if key is not None else object()), rebuild),
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
