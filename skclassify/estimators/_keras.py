"""KerasClassifier: any user-built Keras model as a scikit-learn classifier."""

import copy
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._compat._keras import import_keras
from .._compat._sklearn import (
    InvalidParameterError,
    Options,
    validate_parameter_constraints,
)
from ..activations import ACTIVATIONS
from ..model import init_keras_weights
from ..objectives import LOSSES, loss_record, suits_multilabel
from ..training import get_trainer
from ._base import TRAINING_CONSTRAINTS, BaseKerasClassifier
from ._keras_build import builder_parameters
from ._keras_spec import build_keras_spec
from ._routing import ROUTES, check_routed, routed_items
from ._validation import given_validation

__all__ = ["KerasClassifier"]

#: training parameters that ``fit__<name>`` (or ``fit(X, y, <name>=...)``) sets
FIT_ROUTES = ("epochs", "batch_size", "shuffle", "verbose")
#: fit__ parameters that are not estimator parameters (scikeras passes them to
#: Keras' fit); checked where they are used
FIT_ONLY = ("callbacks", "validation_split", "validation_data")
#: arguments of ``predict`` (``predict__<name>`` or ``predict(X, <name>=...)``)
PREDICT_ROUTES = ("batch_size", "verbose")
_PREDICT_CONSTRAINTS = {
    "batch_size": [
        TRAINING_CONSTRAINTS["batch_size"][0],
        Options(Integral, {-1}),
        None,
    ],
    "verbose": ["verbose"],
}


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
        :data:`skclassify.objectives.LOSSES` or its Keras form, or a custom loss
        (a function ``loss(y_true, y_pred)`` returning one value per row, or a
        ``keras.losses.Loss`` subclass or instance); a custom loss gets the
        class indices, as in scikeras (one 0/1 column for one output unit, the
        one-hot rows when ``y`` is one-hot). ``None``: the compiled loss, or,
        for an uncompiled model, binary cross-entropy for one output unit or a
        multilabel target and categorical cross-entropy otherwise. Given
        together with a model compiled with another loss, it is an error.
        With a categorical loss, a one-hot ``y`` (a 0/1 matrix with one 1 per
        row) is read as classes, and ``predict`` returns one-hot rows.
    metrics : list of (str, callable or keras.metrics.Metric) or None, default=None
        Keras metrics, passed to the builder in ``compile_kwargs`` and compiled
        into :attr:`model_`; validated in ``fit``.
    run_eagerly : bool, default=False
        Accepted for scikeras compatibility and ignored: training always runs
        the compiled loop (a Keras model runs eagerly only to debug it; use
        ``model_`` for that).
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
        parameter in ``fit``, as in scikeras; so do keyword arguments of
        ``fit``: ``fit(X, y, epochs=5)``), and ``fit__callbacks`` (added to
        ``callbacks``), ``fit__validation_split`` (the last rows, before
        shuffling, as in Keras) or ``fit__validation_data`` (``(X_val,
        y_val)`` or ``(X_val, y_val, sample_weight_val)``): their loss and
        accuracy are in ``history_`` every epoch, and ``early_stopping``
        watches them instead of a stratified ``validation_fraction``;
        ``predict__batch_size`` and ``predict__verbose`` (or
        ``predict(X, batch_size=...)``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes (labels, for a multilabel target).
    target_type_ : str
        "binary", "multiclass" or "multilabel-indicator" (also for one-hot
        ``y``).
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
        The trained model, built from ``weights_`` on demand and compiled with
        the optimizer (its configuration, learning rate and state), loss and
        ``metrics`` in use: ``model_.optimizer.momentum`` shows
        ``optimizer__momentum``.
    current_epoch : int
        Epochs trained so far (``len(history_["loss"])``; 0 before a fit), as
        in scikeras.
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

    *Subclassed models.* A ``keras.Model`` subclass that its JSON cannot
    rebuild (not registered) is named by identity: by its builder and
    arguments (the builder is called again to make the training template),
    or, passed as a model, by the object (cloned with
    ``keras.models.clone_model``).

    *Wrapping a trained model.* :meth:`initialize` makes a fitted classifier
    of ``model`` (a trained or loaded Keras model) without training it.

    *partial_fit.* Without ``classes`` on the first call, the classes are
    those of the first batch, as in scikeras; a later batch with another
    class is an error (``KerasMLPClassifier`` keeps scikit-learn's rule).

    Not supported (rejected with a ``ValueError``): several inputs or outputs
    (scikit-learn's ``X`` and ``y`` are one array each; combine inputs inside
    the model). ``metrics`` are compiled into ``model_``; ``history_`` has
    ``loss`` and ``accuracy`` (and ``val_loss``, ``val_accuracy`` with
    validation data), not the compiled metrics.

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
        "metrics": [list, tuple, dict, None],
        "run_eagerly": ["boolean"],
    }

    def __init__(
        self,
        model=None,
        *,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
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
        run_eagerly=False,
        **params,
    ):
        self.model = model
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
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
        self.run_eagerly = run_eagerly
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
        self._check_call_params("fit", dict(routed_items(self, "fit")))
        self._check_call_params("predict", dict(routed_items(self, "predict")))

    def _check_call_params(self, route, params, prefix=None):
        allowed = FIT_ROUTES if route == "fit" else PREDICT_ROUTES
        constraints = (
            self._parameter_constraints if route == "fit" else _PREDICT_CONSTRAINTS
        )
        prefix = f"{route}__" if prefix is None else prefix
        for key, value in params.items():
            if route == "fit" and key in FIT_ONLY:
                continue  # checked where they are used
            if key not in allowed:
                taken = f" and takes {list(FIT_ONLY)}" if route == "fit" else ""
                raise ValueError(
                    f"Unsupported {route} parameter '{prefix}{key}': it sets "
                    f"{list(allowed)}{taken}."
                )
            validate_parameter_constraints(
                {key: constraints[key]},
                {key: value},
                caller_name=f"{type(self).__name__} ({prefix}{key})",
            )

    def _check_params(self):
        keras = import_keras()
        if not (isinstance(self.model, keras.Model) or callable(self.model)):
            raise InvalidParameterError(
                "The 'model' parameter of KerasClassifier must be a function that "
                f"builds a Keras model, or a keras.Model. Got {self.model!r}."
            )
        self._keras_metrics()  # validates them

    def _keras_metrics(self):
        """Fresh copies of ``metrics`` for ``compile`` (checked by Keras' own rules)."""
        if self.metrics is None:
            return None
        keras = import_keras()
        items = (
            self.metrics.values() if isinstance(self.metrics, dict) else self.metrics
        )
        for metric in items:
            if isinstance(metric, str):
                if metric in ("accuracy", "acc", "crossentropy", "ce"):
                    continue  # compile's names that it resolves from the loss
                try:
                    keras.metrics.get(metric)
                except ValueError:
                    raise ValueError(
                        f"Unknown metric {metric!r} in metrics={self.metrics!r}: use "
                        "names Keras knows, metric functions or keras.metrics "
                        "objects."
                    ) from None
            elif not callable(metric) and not isinstance(
                metric, keras.metrics.Metric | list | tuple
            ):
                raise ValueError(
                    f"Invalid metric {metric!r} in metrics: use names Keras knows, "
                    "metric functions or keras.metrics objects."
                )
        return copy.deepcopy(self.metrics)

    def _training_param(self, name):
        routed = self._fit_arguments()
        if name in routed:
            return routed[name]
        if name == "learning_rate" and self.learning_rate is None:
            spec = getattr(self, "_spec", None)
            return None if spec is None else spec.learning_rate
        return getattr(self, name)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = self._loss_suits_multilabel()
        return tags

    def _loss_suits_multilabel(self):
        # Tags must not raise: a loss that cannot be read promises nothing.
        loss = self.loss
        if loss is None:
            compiled = getattr(self.model, "loss", None)
            if compiled is None or not getattr(self.model, "compiled", False):
                return True  # binary cross-entropy, unless a builder compiles
            loss = compiled
        if isinstance(loss, str) and loss in LOSSES:
            return suits_multilabel(loss)
        try:
            name = loss_record(loss)[0]
        except (ValueError, TypeError):
            return False
        return isinstance(name, str) and suits_multilabel(name)

    # -- fitting ----------------------------------------------------------------
    def fit(self, X, y, sample_weight=None, **kwargs):
        """Train on (X, y) from new weights, or from the last ones with ``warm_start``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, a multilabel indicator matrix, or one-hot rows.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample.
        **kwargs : dict
            ``epochs``, ``batch_size``, ``shuffle``, ``verbose``,
            ``callbacks``, ``validation_split`` or ``validation_data`` for
            this call, as scikeras routes them to Keras' ``fit`` (they win
            over ``fit__<name>`` and the parameter; ``callbacks`` are added to
            the ``callbacks`` parameter's).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._check_call_params("fit", kwargs, prefix="")
        self._fit_overrides = kwargs
        try:
            return super().fit(X, y, sample_weight)
        finally:
            del self._fit_overrides

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """Train for one epoch, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, a multilabel indicator matrix, or one-hot rows.
        classes : array-like of shape (n_classes,), default=None
            All classes. Without them on the first call, the classes are
            those of this ``y``, as in scikeras; a later ``y`` with a class
            outside them is an error.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample.
        **kwargs : dict
            ``batch_size``, ``shuffle`` or ``verbose`` for this call.

        Returns
        -------
        self : object
            The updated estimator.
        """
        for name in ("epochs", "initial_epoch"):
            if name in kwargs:
                raise TypeError(
                    f"Invalid argument `{name}` to `partial_fit`: `partial_fit` "
                    "always trains for 1 epoch."
                )
        self._check_call_params("fit", kwargs, prefix="")
        first = not hasattr(self, "classes_")
        if classes is not None and not first:
            classes = np.asarray(classes)
            if not np.array_equal(np.unique(classes), self.classes_):
                raise ValueError(
                    f"`classes={classes}` is not the same as on the first call to "
                    f"partial_fit, which was: {self.classes_}."
                )
        self._fit_overrides = kwargs
        try:
            return self._fit(
                X,
                y,
                sample_weight,
                incremental=True,
                classes=classes if first else None,
            )
        finally:
            del self._fit_overrides

    def initialize(self, X, y):
        """Make a fitted classifier of ``model`` without training it.

        For a trained or loaded Keras model: ``KerasClassifier(model=trained)
        .initialize(X, y)`` then predicts with its weights, as scikeras'
        ``initialize`` does. ``X`` and ``y`` give the features and classes (a
        few rows of each class suffice). A builder's model starts from
        weights drawn from ``random_state``, as a fit does. ``partial_fit``
        continues from here; ``fit`` starts afresh unless ``warm_start``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data of the model's input shape.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Labels of every class (a multilabel indicator matrix, or one-hot
            rows).

        Returns
        -------
        self : object
            The estimator, fitted (``n_iter_`` is 0).
        """
        self._validate_params()
        self._check_extra_params(set(self._extra_params))
        self._check_params()
        X, y = self._validate_xy(X, y, reset=True)
        self._spec, self._target_encoder = self._build_spec(X, y, None)
        self.classes_ = self._target_encoder.classes_
        rng = check_random_state(self.random_state)
        self._set_weights(self._initial_weights(self._spec, rng))
        self._set_state(self._initial_state(self._spec, rng))  # e.g. BN statistics
        self._initialize_counters()
        self._optimizer_state = None
        self.n_iter_ = 0
        return self

    # -- prediction ----------------------------------------------------------------
    def predict(self, X, **kwargs):
        """Predicted class labels for X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.
        **kwargs : dict
            ``batch_size`` (rows per compiled forward call; -1 or None: all)
            or ``verbose`` (ignored), as scikeras routes them to Keras'
            ``predict``; they win over ``predict__<name>``.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_labels)
            Labels of the same kind as the ``y`` given to ``fit`` (an indicator
            matrix for multilabel targets, one-hot rows for one-hot ``y``).
        """
        outputs = self._outputs(X, **kwargs)
        return self._target_encoder.inverse_transform(outputs)

    def predict_proba(self, X, **kwargs):
        """Class probabilities for X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.
        **kwargs : dict
            As for :meth:`predict`.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Probabilities in [0, 1]; each row sums to 1 (for multilabel
            targets, each column is the probability of its label).
        """
        outputs = self._outputs(X, **kwargs)
        return self._target_encoder.inverse_transform(outputs, return_proba=True)

    # -- the hooks of the lifecycle ------------------------------------------------
    def _build_spec(self, X, y, classes):
        return build_keras_spec(self, X, y, classes, self._builder_kwargs())

    def _builder_kwargs(self):
        names, takes_kwargs = builder_parameters(self.model)
        own = {
            key: value
            for key, value in self._extra_params.items()
            if "__" not in key and (key in names or takes_kwargs)
        }
        own.update(routed_items(self, "model"))
        return own

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
        return given_validation(self, X, Y, W, self._fit_arguments())

    def _fit_arguments(self):
        return {**super()._fit_arguments(), **getattr(self, "_fit_overrides", {})}

    def _has_weights(self):
        return hasattr(self, "weights_")

    def _get_weights(self):
        return list(self.weights_)

    def _set_weights(self, weights):
        self.weights_ = [np.asarray(w) for w in weights]

    def _forward(self, X, **kwargs):
        params = dict(routed_items(self, "predict"))
        params.update(kwargs)
        self._check_call_params("predict", params, prefix="")
        X = X.toarray() if sp.issparse(X) else X
        X = np.ascontiguousarray(X, dtype=self._spec.dtype)
        trainer = get_trainer(self._spec)
        state = getattr(self, "non_trainable_weights_", [])
        size = params.get("batch_size")
        if size in (None, -1) or size >= X.shape[0]:
            return trainer.predict_with_state(self.weights_, state, X)
        return np.concatenate(
            [
                trainer.predict_with_state(
                    self.weights_, state, X[start : start + size]
                )
                for start in range(0, X.shape[0], size)
            ]
        )

    # -- fitted views -----------------------------------------------------------
    @property
    def model_(self):
        """The trained Keras model, compiled with the optimizer, loss and metrics.

        Built from ``weights_`` on each access; its optimizer has the
        configuration, learning rate and (after a fit) state that trained it.
        """
        check_is_fitted(self)
        model = self._spec.compiled_model(
            self.weights_,
            learning_rate=self._training_param("learning_rate"),
            metrics=self._keras_metrics(),
            optimizer_state=getattr(self, "_optimizer_state", None),
        )
        state = [
            v for v in model.non_trainable_variables if v.name != "seed_generator_state"
        ]
        for var, value in zip(state, self._get_state() or [], strict=False):
            var.assign(value)
        return model

    @property
    def current_epoch(self):
        """Epochs trained so far (0 before any fit), as scikeras counts them."""
        history = getattr(self, "history_", None)
        return 0 if history is None else len(history["loss"])

    @property
    def n_classes_(self):
        """Number of classes (labels, for a multilabel target)."""
        check_is_fitted(self)
        return len(self.classes_)

    @property
    def target_type_(self):
        """ "binary", "multiclass" or "multilabel-indicator" (also one-hot ``y``)."""
        check_is_fitted(self)
        encoder = self._target_encoder
        if encoder.multilabel_ or encoder.onehot_:
            return "multilabel-indicator"
        return "binary" if len(self.classes_) <= 2 else "multiclass"

    @property
    def out_activation_(self):
        """Name of the output activation (decides how outputs become probabilities)."""
        check_is_fitted(self)
        return ACTIVATIONS[self._target_encoder.output_activation].name
