"""KerasClassifier: any user-built Keras model as a scikit-learn classifier."""

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from .._compat._keras import import_keras
from .._compat._sklearn import InvalidParameterError, validate_parameter_constraints
from ..activations import ACTIVATIONS
from ..encoding import LossTargetEncoder, resolve_loss
from ..model import KerasModelSpec, init_keras_weights
from ..training import get_trainer
from ._base import TRAINING_CONSTRAINTS, BaseKerasClassifier
from ._keras_build import (
    builder_meta,
    builder_parameters,
    built_model_info,
    describe_model,
    loss_record,
    make_keras_loss,
    make_keras_optimizer,
    optimizer_record,
)
from ._routing import ROUTES, check_routed, routed_items
from ._validation import given_validation

__all__ = ["KerasClassifier"]

#: training parameters that ``fit__<name>`` may override
FIT_ROUTES = ("epochs", "batch_size", "shuffle", "verbose")
#: fit__ parameters that are not estimator parameters (scikeras passes them to
#: Keras' fit); checked where they are used
FIT_ONLY = ("callbacks", "validation_split", "validation_data")


class KerasClassifier(BaseKerasClassifier):
    """A scikit-learn classifier around any Keras model (scikeras' API).

    ``model`` is a function that builds a Keras model (a *builder*), or a Keras
    model. Migrating from ``scikeras.wrappers.KerasClassifier`` means changing
    the import; the fit runs on the lifecycle and the compiled training loop of
    :class:`~skclassify.KerasMLPClassifier`, with its semantics (stopping rule,
    ``sample_weight``, ``class_weight``, ``partial_fit``, ``warm_start``,
    reproducible ``random_state``).

    Parameters
    ----------
    model : callable or keras.Model, default=None
        A builder, called at the start of every fresh fit, or a built model
        (fits then start from its weights, which are never changed). A builder
        may take ``meta`` (a dict: ``n_features_in_``, ``X_shape_``,
        ``X_dtype_``, ``y_dtype_``, ``classes_``, ``n_classes_``,
        ``target_type_`` -- "binary", "multiclass" or "multilabel-indicator" --
        ``n_outputs_`` and ``n_outputs_expected_`` -- 1, the number of output
        tensors, as in scikeras), ``compile_kwargs`` (``optimizer``, ``loss``,
        ``metrics``, from this estimator's parameters), ``params`` (all of
        ``get_params()``) and parameters of its own. It may return the model
        compiled or not; a compiled model's loss and optimizer are the ones
        trained with, and the target is encoded for that loss. The model must
        have one input of shape ``(None, n_features)`` and one output of shape
        ``(None, n_units)``.
    optimizer : str, keras.optimizers class or instance, default="rmsprop"
        Optimizer of an uncompiled model (scikeras' and Keras' default).
    loss : str, keras loss function, class or instance, or None, default=None
        Loss of an uncompiled model, a key of
        :data:`skclassify.encoding.LOSSES` or its Keras form. ``None``: the
        compiled loss, or, for an uncompiled model, binary cross-entropy for one
        output unit or a multilabel target and categorical cross-entropy
        otherwise. Given together with a model compiled with another loss, it
        is an error.
    learning_rate : float or None, default=None
        Learning rate; ``None`` keeps ``optimizer__learning_rate``, else the
        compiled optimizer's, else Keras' default.
    batch_size : int, "auto" or None, default=32
        Rows per mini-batch (Keras' default); ``None`` trains on all rows at
        once, ``"auto"`` is ``min(200, n_samples)``.
    epochs : int, default=200
        Maximum number of passes over the data (scikeras' default, 1, is
        rarely what anyone wants).
    shuffle, early_stopping, validation_fraction, n_iter_no_change, tol, \
class_weight, dtype, random_state, verbose, warm_start
        As in :class:`~skclassify.KerasMLPClassifier`: training stops when the
        training loss has not improved by ``tol`` for more than
        ``n_iter_no_change`` epochs (pass ``n_iter_no_change=np.inf`` to run every
        epoch, as Keras' ``fit`` does); ``dtype`` is the precision of the whole model,
        whatever its layers say.
    callbacks : keras callback, class, list or dict of them, or None, \
default=None
        Keras callbacks (scikeras' parameter), called between epochs with
        Keras' logs (``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``)
        and ``self.model`` holding the current weights; what they change
        (weights, learning rate, ``stop_training``) takes effect. Classes are
        created with the routed ``callbacks__<name>`` (every class) or
        ``callbacks__<key>__<name>`` (the class under that dict key or list
        position) arguments. Batch-level hooks are not called.
    early_stopping_monitor : {"val_accuracy", "val_loss"}, \
default="val_accuracy"
        What ``early_stopping`` watches on the validation data.
    **params
        Parameters of the builder, bare (``units=32``, allowed when the builder
        names ``units`` or takes ``**kwargs``) or routed (``model__units=32``,
        which wins over the bare one); ``optimizer__<name>`` and
        ``loss__<name>`` (arguments of the Keras optimizer and loss: they
        override a compiled model's too); ``fit__<name>`` for ``epochs``,
        ``batch_size``, ``shuffle`` or ``verbose`` (they override the bare
        parameter in ``fit``, as in scikeras), and ``fit__callbacks`` (added
        to ``callbacks``), ``fit__validation_split`` (the last rows, before
        shuffling, as in Keras) or ``fit__validation_data`` (``(X_val,
        y_val)`` or ``(X_val, y_val, sample_weight_val)``): their loss and
        accuracy are in ``history_`` every epoch, and ``early_stopping``
        watches them instead of a stratified ``validation_fraction``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes (labels, for a multilabel target).
    target_type_ : str
        "binary", "multiclass" or "multilabel-indicator".
    weights_ : list of ndarray
        Trainable weights, in the order of ``model_.trainable_variables``.
    non_trainable_weights_ : list of ndarray
        Non-trainable variables (BatchNormalization statistics, weights of
        layers with ``trainable=False``), in the order of
        ``model_.non_trainable_variables`` without dropout seeds.
    learning_rate_ : float or None
        The learning rate at the end of the last fit (``ReduceLROnPlateau``
        changes it); None with a ``LearningRateSchedule``.
    model_ : keras.Model
        The trained model, uncompiled, built from ``weights_`` on demand.
    loss_, best_loss_, loss_curve_, validation_scores_, \
best_validation_score_, history_, t_, n_iter_, n_features_in_, \
feature_names_in_
        As in :class:`~skclassify.KerasMLPClassifier`.

    See Also
    --------
    KerasMLPClassifier : the same lifecycle, declared by hyperparameters.

    Notes
    -----
    *Routing.* Every parameter is one that ``__init__`` declares, or one of the
    keyword arguments it stores (``get_params`` returns them; ``clone`` and
    grid searches see them): bare builder parameters, checked in ``fit``
    against the builder's signature, and routed ones under the prefixes
    ``model``, ``optimizer``, ``loss`` and ``fit``.

    *Structure key.* A fit reduces the model to a
    :class:`~skclassify.model.KerasModelSpec`: its JSON configuration, the
    loss and the optimizer's configuration without its learning rate. Fits of
    the same architecture (folds, grid candidates, seeds, learning rates) run
    one compiled training loop; custom layers must be registered with
    ``keras.saving.register_keras_serializable``.

    *Weights.* Initial weights come from each layer's own initializer, seeded
    from ``random_state``; no global random state is used or changed. The
    fitted state is numpy (``weights_``); prediction is the compiled forward
    pass of the structure key.

    *Layers with state.* Non-trainable variables (BatchNormalization's moving
    statistics, frozen layers) go through the compiled loop and are stored in
    ``non_trainable_weights_``; regularizers and ``add_loss`` terms enter the
    training loss; Dropout and BatchNormalization train in training mode and
    predict in inference mode. Learning-rate schedules
    (``keras.optimizers.schedules``) run inside the loop, as in Keras.

    Not supported (rejected with a ``ValueError``): several inputs or
    outputs. Compiled metrics are ignored (``history_`` has ``loss`` and
    ``accuracy``).

    Examples
    --------
    >>> import keras
    >>> from skclassify import KerasClassifier
    >>> from skclassify.datasets import make_sum_threshold
    >>> def build(meta, hidden=20):
    ...     return keras.Sequential([
    ...         keras.Input((meta["n_features_in_"],)),
    ...         keras.layers.Dense(hidden, activation="relu"),
    ...         keras.layers.Dense(meta["n_classes_"], activation="softmax"),
    ...     ])
    >>> X, y = make_sum_threshold(n_samples=250, random_state=0)
    >>> clf = KerasClassifier(build, hidden=16, epochs=100, random_state=0)
    >>> clf.fit(X, y).predict_proba(X[:2]).shape
    (2, 2)
    """

    _routes = tuple(ROUTES)
    _parameter_constraints: dict = {
        **TRAINING_CONSTRAINTS,
        "model": "no_validation",
        "optimizer": "no_validation",
        "loss": "no_validation",
    }

    def __init__(
        self,
        model=None,
        *,
        optimizer="rmsprop",
        loss=None,
        learning_rate=None,
        batch_size=32,
        epochs=200,
        shuffle=True,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        class_weight=None,
        dtype="float32",
        random_state=None,
        verbose=0,
        warm_start=False,
        callbacks=None,
        early_stopping_monitor="val_accuracy",
        **params,
    ):
        self.model = model
        self.optimizer = optimizer
        self.loss = loss
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.class_weight = class_weight
        self.dtype = dtype
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.callbacks = callbacks
        self.early_stopping_monitor = early_stopping_monitor
        self._store_routed(params)

    # -- parameters -----------------------------------------------------------------
    def set_params(self, **params):
        """Set parameters: declared, routed and the builder's bare ones.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : estimator instance
            The estimator.
        """
        if "model" in params:
            self.model = params.pop("model")
        names, takes_kwargs = builder_parameters(self.model)
        declared = set(self._signature_names())
        bare = {
            k: params.pop(k)
            for k in list(params)
            if "__" not in k and k not in declared and (k in names or takes_kwargs)
        }
        self._store_routed(bare)
        return super().set_params(**params)

    def _check_extra_params(self, names):
        builder_names, takes_kwargs = builder_parameters(self.model)
        bare = {n for n in names if "__" not in n}
        unknown = sorted(bare - builder_names) if not takes_kwargs else []
        if unknown:
            raise ValueError(
                f"Unknown parameter {unknown[0]!r} for KerasClassifier: it is not "
                f"declared, and the model builder takes no such parameter (its "
                f"parameters: {sorted(builder_names)})."
            )
        check_routed(self, set(names) - bare)
        for key, value in routed_items(self, "fit"):
            if key in FIT_ONLY:
                continue
            if key not in FIT_ROUTES:
                raise ValueError(
                    f"Unsupported routed parameter 'fit__{key}': fit__ overrides "
                    f"{list(FIT_ROUTES)} and takes {list(FIT_ONLY)}."
                )
            validate_parameter_constraints(
                {key: self._parameter_constraints[key]},
                {key: value},
                caller_name=f"{type(self).__name__} (fit__{key})",
            )

    def _check_params(self):
        keras = import_keras()
        if not (isinstance(self.model, keras.Model) or callable(self.model)):
            raise InvalidParameterError(
                "The 'model' parameter of KerasClassifier must be a function that "
                f"builds a Keras model, or a keras.Model. Got {self.model!r}."
            )

    def _training_param(self, name):
        routed = dict(routed_items(self, "fit"))
        if name in routed:
            return routed[name]
        if name == "learning_rate" and self.learning_rate is None:
            return getattr(self, "_optimizer_learning_rate", None)
        return getattr(self, name)

    # -- the hooks of the lifecycle ------------------------------------------------
    def _make_encoder(self, y, classes):
        # The model is built here: the target's encoding follows its loss.
        keras = import_keras()
        multilabel = y.ndim == 2
        n_features = self.n_features_in_
        meta = builder_meta(
            y, classes, n_features, self.dtype, getattr(self, "feature_names_in_", None)
        )
        labels, target_type = meta["classes_"], meta["target_type_"]
        routed_optimizer = routed_items(self, "optimizer")
        routed_loss = routed_items(self, "loss")
        optimizer = make_keras_optimizer(self.optimizer, routed_optimizer)
        own_optimizer = optimizer_record(optimizer)
        if isinstance(self.model, keras.Model):
            info = describe_model(
                self.model, n_features, self.dtype, routed_loss, routed_optimizer
            )
        else:
            compile_kwargs = {
                "optimizer": optimizer,
                "loss": make_keras_loss(self.loss, routed_loss),
                "metrics": None,
            }
            fingerprint = (
                self.dtype,
                routed_loss,
                routed_optimizer,
                own_optimizer,
                None if self.loss is None else loss_record(self.loss, routed_loss),
            )
            info = built_model_info(
                self.model,
                self._builder_kwargs(),
                meta,
                compile_kwargs,
                self.get_params(),
                fingerprint,
            )
        n_units = info.n_units
        if info.loss is not None:
            loss, loss_kwargs = info.loss
            if self.loss is not None and loss_record(self.loss)[0] != loss:
                raise ValueError(
                    f"loss={self.loss!r}, but the model was compiled with {loss!r}. "
                    "Leave loss=None to train with the compiled loss."
                )
        elif self.loss is not None:
            loss, loss_kwargs = loss_record(self.loss, routed_loss)
        else:
            single = multilabel or n_units == 1
            loss = "binary_crossentropy" if single else "categorical_crossentropy"
            loss, loss_kwargs = loss_record(loss, routed_loss)
        resolve_loss(loss, multilabel, len(labels))  # checks multilabel losses
        opt_config, rate = info.optimizer or own_optimizer
        record = ACTIVATIONS[info.activation]
        encoder = LossTargetEncoder(
            loss=loss, output_activation=record.name, classes=classes
        ).fit(y)
        if encoder.n_outputs_expected_ != n_units:
            raise ValueError(
                f"The model has {n_units} output unit(s), but loss {loss!r} with "
                f"{len(labels)} classes needs {encoder.n_outputs_expected_}: one per "
                "class (one in all for two classes with binary_crossentropy, hinge "
                "or squared_hinge). Size the last layer with meta['n_classes_']."
            )
        threshold = None
        if n_units == 1 or multilabel:
            bounded = record.lo is not None and record.hi is not None
            threshold = (record.lo + record.hi) / 2 if bounded else 0.0
        self._spec = KerasModelSpec(
            structure=info.structure,
            n_features=n_features,
            n_outputs=n_units,
            dtype=self.dtype,
            loss=loss,
            loss_kwargs=loss_kwargs,
            optimizer_config=opt_config,
            encoding=encoder.encoding_,
            multilabel=multilabel,
            threshold=threshold,
            model_json=info.config,
        )
        self._optimizer_learning_rate = rate
        self.n_classes_ = len(labels)
        self.target_type_ = target_type
        return encoder

    def _builder_kwargs(self):
        names, takes_kwargs = builder_parameters(self.model)
        declared = set(self._signature_names())
        own = {
            key: value
            for key, value in vars(self).items()
            if not key.startswith("_")
            and not key.endswith("_")
            and "__" not in key
            and key not in declared
            and (key in names or takes_kwargs)
        }
        own.update(routed_items(self, "model"))
        return own

    def _network(self, n_features):
        return self._spec

    def _initial_weights(self, spec, random_state):
        keras = import_keras()
        if isinstance(self.model, keras.Model):
            return [
                np.array(v.numpy(), dtype=spec.dtype)
                for v in self.model.trainable_variables
            ]
        template = get_trainer(spec).model
        return init_keras_weights(template, random_state, spec.dtype)

    def _initial_state(self, spec, random_state):
        keras = import_keras()
        if isinstance(self.model, keras.Model):
            return [
                np.array(keras.ops.convert_to_numpy(v.value), dtype=spec.dtype)
                for v in self.model.non_trainable_variables
                if v.name != "seed_generator_state"
            ]
        template = get_trainer(spec).model
        return init_keras_weights(template, random_state, spec.dtype, trainable=False)

    def _get_state(self):
        state = getattr(self, "non_trainable_weights_", None)
        return None if state is None else list(state)

    def _set_state(self, state):
        self.non_trainable_weights_ = [np.asarray(v) for v in state or []]

    def _given_validation(self, X, Y, W):
        return given_validation(self, X, Y, W, dict(routed_items(self, "fit")))

    def _has_weights(self):
        return hasattr(self, "weights_")

    def _get_weights(self):
        return list(self.weights_)

    def _set_weights(self, weights):
        self.weights_ = [np.asarray(w) for w in weights]

    def _forward(self, X):
        X = X.toarray() if sp.issparse(X) else X
        X = np.ascontiguousarray(X, dtype=self._spec.dtype)
        return get_trainer(self._spec).predict_with_state(
            self.weights_, getattr(self, "non_trainable_weights_", []), X
        )

    @property
    def model_(self):
        """The trained Keras model (uncompiled), built from ``weights_``."""
        check_is_fitted(self)
        model = self._spec.build_model()
        for var, value in zip(model.trainable_variables, self.weights_, strict=True):
            var.assign(value)
        state = [
            v for v in model.non_trainable_variables if v.name != "seed_generator_state"
        ]
        for var, value in zip(state, self._get_state() or [], strict=False):
            var.assign(value)
        return model

    @property
    def out_activation_(self):
        """Name of the output activation (decides how outputs become probabilities)."""
        check_is_fitted(self)
        return ACTIVATIONS[self._target_encoder.output_activation].name
