"""A user's Keras model as a structure key, and its weights as numpy arrays.

:class:`KerasModelSpec` names the compiled training loop of any single-input,
single-output Keras model: its JSON configuration (the architecture, in the
estimator's dtype), the loss and the optimizer's configuration (without the
learning rate, which the loop takes as a number). Every fit of the same
architecture therefore reuses one compiled loop, whatever its weights, seed or
learning rate. :func:`check_model` rejects what the loop cannot train
faithfully, with a message that says why.
"""

import json
from dataclasses import dataclass, field

import numpy as np

from ..activations import ACTIVATIONS
from ..objectives import LOSSES, make_custom_loss, make_loss

__all__ = [
    "KerasModelSpec",
    "check_model",
    "init_keras_weights",
    "model_json",
    "model_structure",
    "output_activation",
]

_FLOATS = {"float16", "bfloat16", "float32", "float64"}
# Keras' name of an activation -> our registry's record
_BY_KERAS_NAME = {record.keras: record for record in ACTIVATIONS.values()}


@dataclass(frozen=True)
class KerasModelSpec:
    """Everything that fixes the compiled training step of a user's model.

    Same interface as :class:`~skclassify.model.NetSpec`: the trainers call
    ``build_model``, ``make_loss``, ``make_optimizer`` and read the target
    fields.
    """

    #: the model's JSON with layer names replaced by canonical ones (the key);
    #: for a model that cannot be rebuilt from its JSON (an unregistered
    #: ``keras.Model`` subclass), a tuple that names its builder by identity
    structure: str | tuple
    n_features: int
    n_outputs: int
    dtype: str
    #: a key of :data:`skclassify.objectives.LOSSES` (or a custom loss
    #: function, class or instance), and its keyword arguments
    loss: str | object
    loss_kwargs: tuple
    #: JSON of ``keras.optimizers.serialize(optimizer)``, learning rate removed
    optimizer_config: str
    encoding: str
    multilabel: bool
    threshold: float | None
    #: ``model.to_json()`` with every layer in ``dtype``; what is built (with
    #: the user's layer names), not part of the key
    model_json: str = field(compare=False, repr=False)
    #: the learning rate of a compiled optimizer (the loop takes it as a number)
    learning_rate: float | None = field(default=None, compare=False)
    #: a function that builds the model afresh, where its JSON cannot
    rebuild: object = field(default=None, compare=False, repr=False)

    def build_model(self):
        """The (uncompiled) Keras model, rebuilt from its JSON configuration.

        Custom layers and functions must be registered with
        ``keras.saving.register_keras_serializable``; a ``keras.Model``
        subclass that is not is rebuilt by its builder (or cloned).
        """
        from .._compat._keras import import_keras, preserved_python_random

        keras = import_keras()
        if self.rebuild is not None:
            with preserved_python_random():
                model = self.rebuild()
                # a subclass's build() may leave its layers unbuilt: one call
                # creates every variable before the loop is traced
                model(keras.ops.zeros((1, self.n_features), self.dtype))
            return model
        try:
            with preserved_python_random():
                return keras.models.model_from_json(self.model_json)
        except Exception as exc:
            raise ValueError(
                "The model cannot be rebuilt from its configuration "
                f"(model.to_json()): {exc}. Register custom layers, activations "
                "and initializers with keras.saving.register_keras_serializable."
            ) from None

    def make_loss(self):
        """The unreduced Keras loss with its arguments."""
        return make_loss(self.loss, self.loss_kwargs, self.dtype)

    def compiled_model(
        self, weights, learning_rate=None, metrics=None, optimizer_state=None
    ):
        """The model with ``weights``, compiled as it was trained.

        Its optimizer has the spec's configuration, ``learning_rate`` and
        (when given) ``optimizer_state``; its loss is the spec's, with Keras'
        default reduction; ``metrics`` are compiled in.
        """
        from .._compat._keras import import_keras

        keras = import_keras()
        model = self.build_model()
        for var, value in zip(model.trainable_variables, weights, strict=True):
            var.assign(value)
        optimizer = self.make_optimizer()
        if learning_rate is not None:
            optimizer.learning_rate = learning_rate
        if isinstance(self.loss, str):
            cls = getattr(keras.losses, LOSSES[self.loss].keras_class)
            loss = cls(**dict(self.loss_kwargs))
        else:
            loss = make_custom_loss(
                self.loss, self.loss_kwargs, reduction="sum_over_batch_size"
            )
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        if optimizer_state:
            optimizer.build(model.trainable_variables)
            if len(optimizer.variables) == len(optimizer_state):
                for var, value in zip(
                    optimizer.variables, optimizer_state, strict=True
                ):
                    var.assign(value)
        return model

    def make_optimizer(self):
        """The Keras optimizer of the configuration."""
        from .._compat._keras import import_keras

        keras = import_keras()
        return keras.optimizers.deserialize(json.loads(self.optimizer_config))


def check_model(model, n_features):
    """Raise ``ValueError`` unless the training loop can train ``model`` as is.

    Parameters
    ----------
    model : keras.Model
        A built model.
    n_features : int
        Columns of the data.

    Returns
    -------
    int
        Output units of the model.
    """
    out_shape = _output_shape(model, n_features)
    if len(out_shape) != 2:
        raise ValueError(
            f"The model's output has shape {out_shape}; KerasClassifier needs "
            "(None, n_units)."
        )
    return int(out_shape[1])


def _output_shape(model, n_features):
    """Shape of the model's one output, checking it has one input and output.

    Several inputs or outputs are rejected: the compiled loop feeds one
    ``(n_samples, n_features)`` array and decodes one ``(n_samples, n_units)``
    array into classes, as a scikit-learn classifier's ``X`` and ``y`` are.
    """
    inputs = getattr(model, "inputs", None)  # None: a subclassed model
    several = (
        "KerasClassifier trains models with one input of shape (n_samples, "
        "n_features) and one output of shape (n_samples, n_units), as "
        "scikit-learn's X and y are one array each; combine several inputs "
        "or outputs inside the model."
    )
    if inputs is None:
        from .._compat._keras import import_keras

        keras = import_keras()
        try:
            out = model(keras.ops.zeros((1, n_features)), training=False)
        except Exception as exc:
            raise ValueError(
                f"The model cannot be called on a batch of shape (1, {n_features}): "
                f"{exc}"
            ) from None
        if isinstance(out, list | tuple | dict):
            raise ValueError(f"The model has several outputs; {several}")
        return (None, *tuple(out.shape)[1:])
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError(
            f"The model has {len(model.inputs)} inputs and {len(model.outputs)} "
            f"outputs; {several}"
        )
    in_shape = tuple(model.inputs[0].shape)
    if in_shape[1:] != (n_features,):
        raise ValueError(
            f"The model's input has shape {in_shape}; the data have {n_features} "
            "features, so it needs shape (None, n_features). Use "
            "meta['n_features_in_'] in the builder."
        )
    return tuple(model.outputs[0].shape)


def model_json(model, dtype):
    """``model.to_json()`` with every floating dtype set to ``dtype``.

    The estimator's ``dtype`` decides the precision of the whole network, as
    for :class:`~skclassify.KerasMLPClassifier`, whatever the layers say. The
    compile configuration is left out: the loss and optimizer are separate
    fields of the spec.
    """
    config = json.loads(model.to_json())
    config.pop("compile_config", None)
    return json.dumps(_with_dtype(config, dtype), sort_keys=True)


def model_structure(config_json):
    """The model's JSON with its layers renamed ``layer_0``, ``layer_1``, ...

    Keras names layers uniquely per process (``dense_7``), so the same
    architecture built twice has two JSON texts; renaming every layer (and the
    references to it) consistently, in order of appearance, gives one text per
    architecture.
    """
    config = json.loads(config_json)
    names = {}

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "layers" and isinstance(value, list):
                    for layer in value:
                        name = layer.get("config", {}).get("name")
                        if isinstance(name, str):
                            names.setdefault(name, f"layer_{len(names)}")
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    def rename(node, reference=False):
        if isinstance(node, dict):
            return {
                key: (
                    names.get(value, value)
                    if key == "name" and isinstance(value, str)
                    else rename(value, key in _REFERENCES)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [rename(item, reference) for item in node]
        if reference and isinstance(node, str):
            return names.get(node, node)
        return node

    top = config.get("config", {}).get("name")
    if isinstance(top, str):
        names[top] = "model"
    collect(config)
    return json.dumps(rename(config), sort_keys=True)


_REFERENCES = {"keras_history", "input_layers", "output_layers"}


def _with_dtype(config, dtype):
    if isinstance(config, list):
        return [_with_dtype(item, dtype) for item in config]
    if not isinstance(config, dict):
        return config
    out = {}
    for key, value in config.items():
        if key == "dtype" and isinstance(value, str) and value in _FLOATS:
            value = dtype
        elif (
            key == "dtype"
            and isinstance(value, dict)
            and value.get("class_name") in ("DTypePolicy", "FloatDTypePolicy")
            and value.get("config", {}).get("name") in _FLOATS
        ):
            value = {**value, "config": {**value["config"], "name": dtype}}
        else:
            value = _with_dtype(value, dtype)
        out[key] = value
    return out


def output_activation(model):
    """The registry record of the model's output activation.

    The last layer with an ``activation`` (a ``Dense`` layer's, or an
    ``Activation`` layer after it), or a ``Softmax`` layer. An activation the
    registry does not know is treated as unbounded (``"linear"``): one unit's
    output then goes through the logistic function, several through a softmax.
    """
    from .._compat._keras import import_keras

    keras = import_keras()
    for layer in reversed(model.layers):
        if type(layer).__name__ == "Softmax":
            return ACTIVATIONS["softmax"]
        activation = getattr(layer, "activation", None)
        if activation is not None:
            name = keras.activations.serialize(activation)
            if isinstance(name, dict):
                name = name.get("registered_name") or name.get("config")
            return _BY_KERAS_NAME.get(
                name, ACTIVATIONS.get(name, ACTIVATIONS["linear"])
            )
    return ACTIVATIONS["linear"]


def init_keras_weights(model, random_state, dtype="float32", trainable=True):
    """Initial trainable weights of ``model``, seeded from ``random_state`` only.

    Each variable is drawn by its layer's own initializer (``kernel_initializer``,
    ``bias_initializer``, ...; Glorot-uniform for matrices and zeros otherwise
    where a layer names none), given an explicit seed drawn from
    ``random_state``: the same seed gives the same weights in any process, and
    neither numpy's nor Keras' global random state is used or changed.

    Parameters
    ----------
    model : keras.Model
        A built model.
    random_state : numpy.random.RandomState
        Source of the seeds.
    dtype : str, default="float32"
        Dtype of the arrays.
    trainable : bool, default=True
        False: the non-trainable variables instead (BatchNormalization
        statistics, frozen layers; not the dropout seeds).

    Returns
    -------
    list of ndarray
        One array per variable of ``model.trainable_variables`` (or of the
        non-trainable ones), in that order.
    """
    from .._compat._keras import import_keras

    keras = import_keras()
    owners = {}
    for layer in model.layers:
        for var in layer.weights:
            owners.setdefault(id(var), layer)
    variables = (
        model.trainable_variables
        if trainable
        else [
            v for v in model.non_trainable_variables if v.name != "seed_generator_state"
        ]
    )
    weights = []
    for var in variables:
        seed = int(random_state.randint(np.iinfo(np.int32).max))
        layer = owners.get(id(var))
        init = getattr(layer, f"{var.name}_initializer", None)
        if init is None:
            init = "glorot_uniform" if len(var.shape) >= 2 else "zeros"
        init = keras.initializers.get(init)
        config = init.get_config()
        if "seed" in config:
            init = type(init).from_config({**config, "seed": seed})
        value = keras.ops.convert_to_numpy(init(tuple(var.shape), dtype=dtype))
        weights.append(np.asarray(value, dtype=dtype))
    return weights
