"""The structure key of a user's Keras model and the target encoding of its loss.

:func:`build_keras_spec` is :class:`~skclassify.KerasClassifier`'s
``_build_spec`` hook: it builds (or describes) the model, settles the loss
(compiled, given or default), fits the loss-aware target encoder and returns
the :class:`~skclassify.model.KerasModelSpec` that names the compiled loop.
"""

from .._compat._keras import import_keras
from ..activations import ACTIVATIONS
from ..model import KerasModelSpec
from ..objectives import (
    LossTargetEncoder,
    is_custom_loss,
    loss_record,
    make_keras_loss,
    make_keras_optimizer,
    optimizer_record,
    resolve_loss,
)
from ._keras_build import builder_meta, built_model_info, describe_model
from ._routing import routed_items

__all__ = ["build_keras_spec"]


def build_keras_spec(estimator, X, y, classes, builder_kwargs):
    """``(spec, encoder)`` of a :class:`~skclassify.KerasClassifier` for ``y``.

    The model is built (or described) here, since the target's encoding
    follows its loss: a compiled loss wins, then the estimator's ``loss``,
    then binary cross-entropy for one output unit or a multilabel target and
    categorical cross-entropy otherwise.
    """
    keras = import_keras()
    n_features = X.shape[1]
    dtype = estimator.dtype
    meta = builder_meta(
        y, classes, n_features, dtype, getattr(estimator, "feature_names_in_", None)
    )
    labels = meta["classes_"]
    routed_optimizer = routed_items(estimator, "optimizer")
    routed_loss = routed_items(estimator, "loss")
    optimizer = make_keras_optimizer(estimator.optimizer, routed_optimizer)
    own_optimizer = optimizer_record(optimizer)
    if isinstance(estimator.model, keras.Model):
        info = describe_model(
            estimator.model, n_features, dtype, routed_loss, routed_optimizer
        )
    else:
        own_loss = None
        if estimator.loss is not None:
            own_loss = loss_record(estimator.loss, routed_loss)
        compile_kwargs = {
            "optimizer": optimizer,
            "loss": make_keras_loss(estimator.loss, routed_loss),
            "metrics": estimator.metrics,
        }
        fingerprint = (
            dtype,
            routed_loss,
            routed_optimizer,
            own_optimizer,
            own_loss,
            _hashable_metrics(estimator.metrics),
        )
        info = built_model_info(
            estimator.model,
            builder_kwargs,
            meta,
            compile_kwargs,
            estimator.get_params(),
            fingerprint,
        )
    n_units = info.n_units
    if info.loss is not None:
        loss, loss_kwargs = info.loss
        if estimator.loss is not None:
            own, own_kwargs = loss_record(estimator.loss, routed_loss)
            if not _same_loss(own, loss):
                raise ValueError(
                    f"loss={estimator.loss!r}, but the model was compiled with "
                    f"{loss!r}. Leave loss=None to train with the compiled loss."
                )
            if is_custom_loss(own):  # a class with loss__ arguments: one key
                loss, loss_kwargs = own, own_kwargs
    elif estimator.loss is not None:
        loss, loss_kwargs = loss_record(estimator.loss, routed_loss)
    else:
        single = y.ndim == 2 or n_units == 1
        loss = "binary_crossentropy" if single else "categorical_crossentropy"
        loss, loss_kwargs = loss_record(loss, routed_loss)
    encoding = None
    if is_custom_loss(loss):  # scikeras: class indices (or the given one-hot)
        encoding = "binary" if n_units == 1 else "onehot" if y.ndim == 2 else "integer"
    record = ACTIVATIONS[info.activation]
    encoder = LossTargetEncoder(
        loss=loss,
        output_activation=record.name,
        classes=classes,
        encoding=encoding,
        onehot=True,
    ).fit(y)
    resolve_loss(loss, encoder.multilabel_, len(labels))  # checks multilabel losses
    if encoder.n_outputs_expected_ != n_units:
        raise ValueError(
            f"The model has {n_units} output unit(s), but loss {loss!r} with "
            f"{len(labels)} classes needs {encoder.n_outputs_expected_}: one per "
            "class (one in all for two classes with binary_crossentropy, hinge "
            "or squared_hinge). Size the last layer with meta['n_classes_']."
        )
    threshold = None
    if n_units == 1 or encoder.multilabel_:
        bounded = record.lo is not None and record.hi is not None
        threshold = (record.lo + record.hi) / 2 if bounded else 0.0
    opt_config, rate = info.optimizer or own_optimizer
    spec = KerasModelSpec(
        structure=info.structure,
        n_features=n_features,
        n_outputs=n_units,
        dtype=dtype,
        loss=loss,
        loss_kwargs=loss_kwargs,
        optimizer_config=opt_config,
        encoding=encoder.encoding_,
        multilabel=encoder.multilabel_,
        threshold=threshold,
        model_json=info.config,
        learning_rate=rate,
        rebuild=info.rebuild,
    )
    return spec, encoder


def _same_loss(own, compiled):
    """Whether a compiled loss is the estimator's (compile_kwargs' object)."""
    if isinstance(own, type) and not isinstance(compiled, type):
        return isinstance(compiled, own)
    return own == compiled if isinstance(own, str) else own is compiled


def _hashable_metrics(metrics):
    if metrics is None:
        return None
    if isinstance(metrics, dict):
        return tuple(sorted(metrics.items(), key=lambda item: str(item[0])))
    return tuple(metrics) if isinstance(metrics, list | tuple) else metrics
