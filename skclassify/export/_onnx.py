"""skl2onnx converters for skclassify's classifiers.

:func:`register_converters` registers, for both classifiers, a shape
calculator and a converter with skl2onnx's classifier parser, as skl2onnx does
for :class:`~sklearn.neural_network.MLPClassifier`: the options ``zipmap``,
``nocl`` and ``output_class_labels`` mean what they mean there, and a
classifier inside a :class:`~sklearn.pipeline.Pipeline` or
:class:`~sklearn.compose.ColumnTransformer` converts in the same call.

The graph is the network (one node per layer of :func:`net_layers`), then
:func:`skclassify.objectives.outputs_to_proba`'s mapping of the outputs to
probabilities, then the labels (argmax, or ``p > 0.5`` per label for
multilabel targets), as ``predict_proba`` and ``predict`` compute them.
skl2onnx and onnx are imported only when the converters are registered.
"""

import numpy as np

from ..activations import ACTIVATIONS
from ._layers import Act, Dense, net_layers

__all__ = ["register_converters"]

_SELU_ALPHA, _SELU_GAMMA = 1.6732632423543772, 1.0507009873554805
# activation -> (ONNX operator, attributes), for those that are one operator
_SINGLE_OPS = {
    "relu": ("Relu", {}),
    "leaky_relu": ("LeakyRelu", {"alpha": 0.2}),
    "elu": ("Elu", {"alpha": 1.0}),
    "selu": ("Selu", {"alpha": _SELU_ALPHA, "gamma": _SELU_GAMMA}),
    "tanh": ("Tanh", {}),
    "sigmoid": ("Sigmoid", {}),
    "hard_sigmoid": ("HardSigmoid", {"alpha": 1.0 / 6.0, "beta": 0.5}),
    "softsign": ("Softsign", {}),
    "softplus": ("Softplus", {}),
    "linear": ("Identity", {}),
    "softmax": ("Softmax", {"axis": 1}),
}
# silu, gelu and gaussian are built from several operators (_activation)

_OPTIONS = {
    "zipmap": [True, False, "columns"],
    "output_class_labels": [False, True],
    "nocl": [True, False],
}


def register_converters():
    """Register the converters of both classifiers with skl2onnx.

    ``import skclassify.export`` calls it when skl2onnx is installed; calling
    it again is harmless.
    """
    from skl2onnx import update_registered_converter

    from ..estimators import KerasClassifier, KerasMLPClassifier

    for cls in (KerasMLPClassifier, KerasClassifier):
        update_registered_converter(
            cls,
            f"Skclassify{cls.__name__}",
            _shape_calculator,
            _convert,
            options=_OPTIONS,
        )


def _shape_calculator(operator):
    from skl2onnx.common.data_types import Int64TensorType, StringTensorType
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes,
    )

    calculate_linear_classifier_output_shapes(operator)
    model = operator.raw_operator
    if model._target_encoder.multilabel_:  # one label column per output
        n = operator.inputs[0].get_first_dimension()
        operator.outputs[0].type = Int64TensorType([n, len(model.classes_)])
    elif operator.outputs[0].type is None:  # pragma: no cover
        operator.outputs[0].type = StringTensorType([None])


class _Graph:
    """Adds nodes and constants to skl2onnx's container with unique names."""

    def __init__(self, scope, container, proto_dtype, np_dtype):
        self.scope, self.container = scope, container
        self.proto_dtype, self.np_dtype = proto_dtype, np_dtype

    def const(self, value, name="c"):
        value = np.asarray(value, dtype=self.np_dtype)
        out = self.scope.get_unique_variable_name(name)
        self.container.add_initializer(
            out, self.proto_dtype, list(value.shape), value.ravel().tolist()
        )
        return out

    def op(self, op_type, inputs, domain=None, **attrs):
        out = self.scope.get_unique_variable_name(op_type.lower())
        kwargs = {"op_domain": domain} if domain else {}
        self.container.add_node(
            op_type,
            inputs if isinstance(inputs, list) else [inputs],
            out,
            name=self.scope.get_unique_operator_name(op_type),
            **kwargs,
            **attrs,
        )
        return out

    def clip(self, x, lo=None, hi=None):
        from skl2onnx.common._apply_operation import apply_clip

        out = self.scope.get_unique_variable_name("clip")
        apply_clip(
            self.scope,
            x,
            out,
            self.container,
            min=None if lo is None else np.array(lo, dtype=self.np_dtype),
            max=None if hi is None else np.array(hi, dtype=self.np_dtype),
        )
        return out


def _activation(g, x, name):
    if name in _SINGLE_OPS:
        op_type, attrs = _SINGLE_OPS[name]
        return g.op(op_type, x, **attrs)
    if name == "silu":  # x * sigmoid(x)
        return g.op("Mul", [x, g.op("Sigmoid", x)])
    if name == "gelu":  # 0.5 * x * (1 + erf(x / sqrt(2)))
        erf = g.op("Erf", g.op("Mul", [x, g.const(1.0 / np.sqrt(2.0))]))
        half_x = g.op("Mul", [x, g.const(0.5)])
        return g.op("Mul", [half_x, g.op("Add", [erf, g.const(1.0)])])
    if name == "gaussian":  # exp(-x**2)
        return g.op("Exp", g.op("Neg", g.op("Mul", [x, x])))
    raise ValueError(f"No ONNX conversion of the activation {name!r} yet.")


def _network(g, x, layers):
    for layer in layers:
        if isinstance(layer, Dense):
            x = g.op("MatMul", [x, g.const(layer.kernel, "kernel")])
            if layer.bias is not None:
                x = g.op("Add", [x, g.const(layer.bias.reshape(1, -1), "bias")])
        elif isinstance(layer, Act):
            x = _activation(g, x, layer.name)
    return x


def _probabilities(g, out, activation, multilabel, n_units):
    """:func:`skclassify.objectives.outputs_to_proba` as ONNX nodes."""
    record = ACTIVATIONS[activation]
    lo, hi = record.lo, record.hi
    if multilabel or n_units == 1:
        if lo is not None and hi is not None:
            shifted = g.op("Sub", [g.clip(out, lo, hi), g.const(lo)])
            p1 = g.op("Div", [shifted, g.const(hi - lo)])
        else:
            p1 = g.op("Sigmoid", out)
        if multilabel:
            return p1
        return g.op("Concat", [g.op("Sub", [g.const(1.0), p1]), p1], axis=1)
    if record.name == "softmax":
        proba = g.op("Relu", out)
    elif lo is not None:
        proba = g.op("Sub", [g.clip(out, lo, hi), g.const(lo)])
    else:
        return g.op("Softmax", out, axis=1)
    # rows that sum to 0 become uniform
    total = g.op("MatMul", [proba, g.const(np.ones((n_units, 1)), "ones")])
    zero = g.op("Not", g.op("Greater", [total, g.const(0.0)]))
    proba = g.op("Where", [zero, g.const(1.0), proba])
    total = g.op("Where", [zero, g.const(float(n_units)), total])
    return g.op("Div", [proba, total])


def _convert(scope, operator, container):
    from skl2onnx.common.data_types import guess_proto_type
    from skl2onnx.proto import onnx_proto

    net = net_layers(operator.raw_operator)
    proto_dtype = guess_proto_type(operator.inputs[0].type)
    if proto_dtype != onnx_proto.TensorProto.DOUBLE:
        proto_dtype = onnx_proto.TensorProto.FLOAT
    np_dtype = (
        np.float64 if proto_dtype == onnx_proto.TensorProto.DOUBLE else np.float32
    )
    g = _Graph(scope, container, proto_dtype, np_dtype)
    x = g.op("Cast", operator.inputs[0].full_name, to=proto_dtype)
    out = _network(g, x, net.layers)
    last = next(layer for layer in reversed(net.layers) if isinstance(layer, Dense))
    n_units = last.kernel.shape[1]
    proba = _probabilities(g, out, net.output_activation, net.multilabel, n_units)
    container.add_node(
        "Identity",
        [proba],
        [operator.outputs[1].full_name],
        name=scope.get_unique_operator_name("Identity"),
    )
    _labels(g, proba, net, operator.outputs[0].full_name)


def _labels(g, proba, net, label_name):
    from skl2onnx.proto import onnx_proto

    int64 = onnx_proto.TensorProto.INT64
    if net.multilabel:
        above = g.op("Greater", [proba, g.const(0.5)])
        g.container.add_node(
            "Cast", [above], [label_name], to=int64,
            name=g.scope.get_unique_operator_name("Cast"),
        )  # fmt: skip
        return
    classes = net.classes
    numeric = np.issubdtype(classes.dtype, np.number) or classes.dtype == np.bool_
    if numeric:  # as skl2onnx's MLPClassifier: integer labels
        values, ctype = classes.astype(np.int64), int64
    else:
        values = np.array([str(c).encode("utf-8") for c in classes])
        ctype = onnx_proto.TensorProto.STRING
    classes_name = g.scope.get_unique_variable_name("classes")
    g.container.add_initializer(classes_name, ctype, [len(values)], values.tolist())
    index = g.op("ArgMax", proba, axis=1)
    picked = g.op("ArrayFeatureExtractor", [classes_name, index], domain="ai.onnx.ml")
    shape = g.scope.get_unique_variable_name("shape")
    g.container.add_initializer(shape, int64, [1], [-1])
    g.container.add_node(
        "Reshape", [picked, shape], [label_name],
        name=g.scope.get_unique_operator_name("Reshape"),
    )  # fmt: skip
