"""A fitted classifier's network as a plain list of layers (numpy, no Keras).

The ONNX converters emit one ONNX node per step of this list, then the
probability mapping of the estimator's target encoder. A
:class:`~skclassify.KerasMLPClassifier` is always such a stack. A
:class:`~skclassify.KerasClassifier` is one when its model is a chain of
the layers in :data:`SUPPORTED_LAYERS`; its architecture is read from the
JSON configuration stored at fit time and its weights from ``weights_``, so
no Keras model is built.
"""

import json
from typing import NamedTuple

import numpy as np

from ..activations import ACTIVATIONS

__all__ = ["SUPPORTED_LAYERS", "Act", "Dense", "NetLayers", "net_layers"]

#: Keras layer classes a KerasClassifier's model may consist of to convert.
SUPPORTED_LAYERS = ("InputLayer", "Dense", "Activation", "Softmax", "Dropout")
# identity at inference, as Dropout
_INFERENCE_IDENTITY = ("Dropout", "GaussianDropout", "GaussianNoise", "AlphaDropout")
_BY_KERAS_NAME = {record.keras: record.name for record in ACTIVATIONS.values()}


class Dense(NamedTuple):
    """``x @ kernel + bias`` (bias None: no bias)."""

    kernel: np.ndarray
    bias: np.ndarray | None


class Act(NamedTuple):
    """An activation, by its name in :data:`skclassify.activations.ACTIVATIONS`."""

    name: str


class NetLayers(NamedTuple):
    """What a converter needs from a fitted classifier."""

    layers: list
    #: registry name of the output activation the target encoder maps from
    output_activation: str
    multilabel: bool
    classes: np.ndarray


def net_layers(estimator):
    """The network of a fitted skclassify classifier as :class:`NetLayers`.

    Parameters
    ----------
    estimator : KerasMLPClassifier or KerasClassifier
        A fitted classifier.

    Returns
    -------
    NetLayers

    Raises
    ------
    ValueError
        For a ``KerasClassifier`` whose model is not a chain of the layers in
        :data:`SUPPORTED_LAYERS`, or uses an activation the registry lacks.
    """
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(estimator)
    encoder = estimator._target_encoder
    if hasattr(estimator, "coefs_"):
        layers = _mlp_layers(estimator)
    else:
        layers = _keras_layers(estimator)
    return NetLayers(
        layers,
        ACTIVATIONS[encoder.output_activation].name,
        bool(encoder.multilabel_),
        np.asarray(estimator.classes_),
    )


def _mlp_layers(estimator):
    hidden = ACTIVATIONS[estimator.activation].name
    layers = []
    last = len(estimator.coefs_) - 1
    for i, (coef, intercept) in enumerate(
        zip(estimator.coefs_, estimator.intercepts_, strict=True)
    ):
        layers.append(Dense(np.asarray(coef), np.asarray(intercept)))
        layers.append(Act(hidden if i < last else estimator.out_activation_))
    return layers


def _keras_layers(estimator):
    if estimator._spec.model_json is None:  # a subclass Keras cannot serialize
        raise _unsupported("no layer configuration (an unregistered Model subclass)")
    if getattr(estimator._target_encoder, "onehot_", False):
        raise ValueError(
            "Cannot convert a KerasClassifier fitted on one-hot y to ONNX: its "
            "predict returns one-hot rows, which skl2onnx's classifier outputs "
            "cannot express. Fit it on class labels to export it."
        )
    config = json.loads(estimator._spec.model_json)
    inner = config.get("config", {})
    entries = inner.get("layers", [])
    if config.get("class_name") not in ("Sequential", "Functional", "Model"):
        raise _unsupported(f"a model of class {config.get('class_name')!r}")
    if config.get("class_name") != "Sequential":
        _check_chain(entries)
    weights = list(estimator.weights_)
    layers = []
    for entry in entries:
        kind, layer = entry.get("class_name"), entry.get("config", {})
        if kind == "InputLayer" or kind in _INFERENCE_IDENTITY:
            continue
        if kind == "Dense":
            kernel = weights.pop(0)
            bias = weights.pop(0) if layer.get("use_bias", True) else None
            layers.append(Dense(kernel, bias))
            layers.append(Act(_activation_name(layer.get("activation"))))
        elif kind == "Activation":
            layers.append(Act(_activation_name(layer.get("activation"))))
        elif kind == "Softmax":
            if layer.get("axis", -1) not in (-1, 1):
                raise _unsupported(f"a Softmax over axis {layer.get('axis')}")
            layers.append(Act("softmax"))
        else:
            raise _unsupported(f"a {kind} layer ({layer.get('name')!r})")
    if weights:  # pragma: no cover - guarded by check_model at fit
        raise _unsupported("weights that belong to no Dense layer")
    return layers


def _check_chain(entries):
    """Each layer of a functional model takes the previous one's output."""
    previous = None
    for entry in entries:
        nodes = entry.get("inbound_nodes", [])
        if entry.get("class_name") == "InputLayer":
            if previous is not None:
                raise _unsupported("several inputs")
        else:
            sources = _sources(nodes)
            if len(nodes) != 1 or sources != [previous]:
                raise _unsupported(
                    f"layer {entry.get('name')!r}, which is not fed by the layer "
                    "before it alone (not a simple chain)"
                )
        previous = entry.get("config", {}).get("name", entry.get("name"))


def _sources(nodes):
    found = []

    def walk(node):
        if isinstance(node, dict):
            history = node.get("config", {}).get("keras_history")
            if node.get("class_name") == "__keras_tensor__" and history:
                found.append(history[0])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(nodes)
    return found


def _activation_name(activation):
    if isinstance(activation, dict):  # a registered function (the Gaussian)
        activation = activation.get("config")
    name = _BY_KERAS_NAME.get(activation)
    if name is None and activation in ACTIVATIONS:
        name = ACTIVATIONS[activation].name
    if name is None:
        raise _unsupported(f"the activation {activation!r}")
    return name


def _unsupported(what):
    return ValueError(
        f"Cannot convert this KerasClassifier to ONNX: its model has {what}. "
        "skclassify converts models that are a chain of "
        f"{', '.join(SUPPORTED_LAYERS)} layers with activations among "
        f"{', '.join(sorted({r.name for r in ACTIVATIONS.values()}))}; export "
        "other models with the Keras format (skclassify.export.save_keras) or "
        "tf2onnx."
    )
