"""The one fit lifecycle of skclassify's classifiers.

``fit`` and ``partial_fit`` both call :meth:`BaseKerasClassifier._fit`, shaped
like scikit-learn's ``BaseMultilayerPerceptron._fit``: validate, encode the
target, initialise or continue, train, store numpy state. A subclass says
which network to train and how its target is encoded (one hook,
``_build_spec(X, y, classes) -> (spec, encoder)``, whose results the fit
stores as fitted state), how it starts (``_initial_weights``) and how its
weights are stored (``_get_weights``, ``_set_weights``, ``_forward``); data
flow one way, from the estimator down to :func:`skclassify.training.train_network`.
"""

import copy
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state, compute_sample_weight
from sklearn.utils.multiclass import (
    check_classification_targets,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import column_or_1d, validate_data

from .._compat._sklearn import (
    CALLBACK_FRAMES,
    CallbackSupportMixin,
    Interval,
    Options,
    ProgressBar,
    StrOptions,
    check_partial_fit_first_call,
    check_sample_weight,
    with_callbacks,
)
from ..objectives import OPTIMIZERS
from ..training import StoppingRule, train_network
from ..training._callbacks import KerasCallbacks, SklearnCallbacks, resolve_callbacks
from ._outputs import ClassifierOutputsMixin
from ._routing import RoutedParamsMixin, check_routed, routed_items

__all__ = ["BaseKerasClassifier"]

#: Constraints of the training parameters every skclassify classifier declares.
TRAINING_CONSTRAINTS = {
    "optimizer": [StrOptions(set(OPTIMIZERS))],
    "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
    "batch_size": [
        Interval(Integral, 1, None, closed="left"),
        StrOptions({"auto"}),
        None,
    ],
    "epochs": [Interval(Integral, 1, None, closed="left")],
    "shuffle": ["boolean"],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [
        Interval(Integral, 1, None, closed="left"),
        Options(Real, {np.inf}),
    ],
    "tol": [Interval(Real, 0, None, closed="left")],
    "early_stopping_monitor": [StrOptions({"val_accuracy", "val_loss"})],
    "callbacks": "no_validation",
    "class_weight": [dict, StrOptions({"balanced"}), None],
    "dtype": [StrOptions({"float32", "float64"})],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
    "warm_start": ["boolean"],
}


class BaseKerasClassifier(
    ClassifierOutputsMixin,
    RoutedParamsMixin,
    CallbackSupportMixin,
    ClassifierMixin,
    BaseEstimator,
):
    """Base of skclassify's classifiers: parameters, lifecycle, prediction.

    Not for direct use. Subclasses declare their parameters and implement
    ``_build_spec``, ``_initial_weights``, ``_get_weights``, ``_set_weights``
    and ``_forward``.
    """

    #: prefixes of routed parameters this estimator accepts (see _routing)
    _routes = ("optimizer", "loss", "callbacks")

    # -- fitting --------------------------------------------------------------------
    @with_callbacks
    def fit(self, X, y, sample_weight=None):
        """Train on (X, y) from new weights, or from the last ones with ``warm_start``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, incremental=False)

    @with_callbacks
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one epoch, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        classes : array-like of shape (n_classes,), default=None
            All classes (for a multilabel ``y``: ``range(n_labels)``); required
            on the first call, as in scikit-learn.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample.

        Returns
        -------
        self : object
            The updated estimator.
        """
        if not check_partial_fit_first_call(self, classes):
            classes = None  # later calls check y against classes_
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def _fit(self, X, y, sample_weight, incremental, classes=None):
        self._validate_params()
        self._check_extra_params(set(self._extra_params))
        self._check_params()
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True.")
        first_pass = not self._has_weights() or (
            not self.warm_start and not incremental
        )
        X, y = self._validate_xy(X, y, reset=first_pass)
        refit_encoder = (
            classes is not None
            or not hasattr(self, "_target_encoder")
            or (not self.warm_start and not incremental)
        )
        if refit_encoder:
            self._spec, self._target_encoder = self._build_spec(X, y, classes)
            self.classes_ = self._target_encoder.classes_
        else:
            self._check_classes(y)
        X = X.toarray() if sp.issparse(X) else X
        X = np.asarray(X, dtype=self.dtype)  # at most one copy
        W = self._sample_weight(X, y, sample_weight)
        Y = self._target_encoder.codes(y)
        if Y.ndim == 2:  # multilabel indicator rows
            Y = Y.astype(self.dtype)
        keep = W > 0  # rows of weight zero are left out, as if removed
        if not keep.all():
            X, Y, W = X[keep], Y[keep], W[keep]
        if not incremental and not (Y != Y[:1]).any():  # O(n), no sort
            raise ValueError(
                f"The training data hold 1 class (samples of zero weight left out); "
                f"{type(self).__name__} needs samples of at least 2 classes."
            )
        rng = check_random_state(self.random_state)
        spec = self._spec
        if first_pass:
            self._set_weights(self._initial_weights(spec, rng))
            self._set_state(self._initial_state(spec, rng))
            self._initialize_counters()
        elif not hasattr(self, "t_"):  # weights set by hand: continue from them
            self._initialize_counters()
        X, Y, W, validation = self._given_validation(X, Y, W)
        if self.early_stopping and validation is None:
            X, Y, W, validation = self._split_validation(X, Y, W, rng)
        rule = StoppingRule(
            self.tol,
            self.n_iter_no_change,
            self.early_stopping,
            self.best_loss_,
            self.best_validation_score_,
            self._no_improvement_count,
            monitor=self._monitor(),
        )
        callbacks = self._keras_callbacks()
        monitors = [KerasCallbacks(callbacks, spec)] if callbacks else []
        epochs = 1 if incremental else self._training_param("epochs")
        context = None
        if getattr(self, "_skl_callbacks", None):  # scikit-learn's callbacks
            context, monitor = self._sklearn_monitor(X, Y, epochs)
            monitors.append(monitor)
        schedule = self._learning_rate_schedule(first_pass)
        learning_rate = self._training_param("learning_rate")
        if schedule is not None and not first_pass and not incremental:
            learning_rate = self.learning_rate_  # a warm start goes on from it
        result = train_network(
            spec,
            X,
            Y,
            W,
            weights=self._get_weights(),
            rule=rule,
            optimizer_state=getattr(self, "_optimizer_state", None)
            if incremental
            else None,
            learning_rate=learning_rate,
            alpha=getattr(self, "alpha", 0.0),
            epochs=epochs,
            batch_size=self._training_param("batch_size"),
            shuffle=self._training_param("shuffle"),
            random_state=rng,
            validation=validation,
            verbose=self._training_param("verbose"),
            state=self._get_state(),
            monitors=monitors,
            schedule=schedule,
            samples_seen=self.t_,
            first_epoch=len(self.loss_curve_),
        )
        self._store_result(result, X.shape[0], incremental)
        if context is not None:
            context.call_on_fit_task_end(
                estimator=self, X=X, y=monitor.y, reconstruction_attributes={}
            )
        return self

    def _sklearn_monitor(self, X, Y, epochs):
        """The fit's ``sklearn.callback`` context, and the monitor of its epochs."""
        labels = Y.astype(int) if Y.ndim == 2 else self.classes_[Y]
        context = self._init_callback_context(max_subtasks=epochs)
        context.call_on_fit_task_begin(estimator=self, X=X, y=labels)
        every_epoch = any(
            ProgressBar is None or not isinstance(cb, ProgressBar)
            for cb in self._skl_callbacks
        )
        monitor = SklearnCallbacks(
            context, self, X, labels, self._fitted_attributes, every_epoch
        )
        return context, monitor

    def _fitted_attributes(self, weights, state):
        """The fitted attributes of this estimator with ``weights`` and ``state``."""
        fitted = copy.copy(self)
        fitted._set_weights(weights)
        fitted._set_state(state)
        return {
            key: value
            for key, value in vars(fitted).items()
            if key.endswith("_") and not key.startswith("__")
        }

    def _monitor(self):
        return getattr(self, "early_stopping_monitor", "val_accuracy")

    def _keras_callbacks(self):
        """This fit's Keras callbacks: ``callbacks`` (with ``callbacks__``
        routing, as scikeras), then ``fit__callbacks``."""
        return resolve_callbacks(
            getattr(self, "callbacks", None), routed_items(self, "callbacks")
        ) + resolve_callbacks(self._fit_arguments().get("callbacks"))

    def _fit_arguments(self):
        """This fit's ``fit__`` arguments (KerasClassifier adds those of the call)."""
        return dict(routed_items(self, "fit"))

    def _given_validation(self, X, Y, W):
        """Validation data given to ``fit`` (KerasClassifier's
        ``fit__validation_split``/``fit__validation_data``): ``(X, Y, W, None)``
        when there are none."""
        return X, Y, W, None

    def _learning_rate_schedule(self, fresh):
        """scikit-learn's learning-rate schedule of this fit, or None."""
        return None

    def _initial_state(self, spec, random_state):
        """Initial non-trainable variables (None: the network has none)."""
        return None

    def _get_state(self):
        """Non-trainable variables to train from (None: the network has none)."""
        return None

    def _set_state(self, state):
        """Store the non-trainable variables after training."""

    def _validate_xy(self, X, y, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        target_type = type_of_target(y)
        if target_type not in ("binary", "multiclass", "multilabel-indicator"):
            raise ValueError(
                f"{type(self).__name__} supports binary, multiclass and multilabel "
                f"targets; got a {target_type!r} target."
            )
        return X, y

    def _check_classes(self, y):
        if self._target_encoder.multilabel_:
            return
        classes = unique_labels(y)
        if self.warm_start and set(classes) != set(self.classes_):
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as in "
                f"the previous call to fit. Previously got {self.classes_}, `y` has "
                f"{classes}."
            )
        if len(np.setdiff1d(classes, self.classes_)):
            raise ValueError(
                f"`y` has classes not in `self.classes_`. `self.classes_` has "
                f"{self.classes_}. 'y' has {classes}."
            )

    def _sample_weight(self, X, y, sample_weight):
        W = check_sample_weight(
            sample_weight, X, dtype=np.dtype(self.dtype), ensure_non_negative=True
        )
        if self.class_weight is not None:
            if self._target_encoder.multilabel_:
                raise ValueError("class_weight is not supported for multilabel y.")
            if self._target_encoder.onehot_:  # one-hot rows: weight by class
                y = self._target_encoder.codes(y)
            W = W * compute_sample_weight(self.class_weight, y).astype(self.dtype)
        return W

    def _split_validation(self, X, Y, W, rng):
        # as MLPClassifier: stratified for binary targets, random otherwise
        stratify = Y if Y.ndim == 1 and len(self.classes_) == 2 else None
        try:
            X, X_val, Y, Y_val, W, W_val = train_test_split(
                X,
                Y,
                W,
                test_size=self.validation_fraction,
                stratify=stratify,
                random_state=rng,
            )
        except ValueError as exc:
            raise ValueError(
                f"Cannot hold out validation_fraction={self.validation_fraction} "
                f"of {X.shape[0]} samples for early stopping: {exc}"
            ) from None
        if X_val.shape[0] < 2:
            raise ValueError(
                "The validation set is too small. Increase 'validation_fraction' "
                "or the size of your dataset."
            )
        return X, Y, W, (X_val, Y_val, W_val)

    def _initialize_counters(self):
        rule = StoppingRule.fresh(self.tol, self.n_iter_no_change, self.early_stopping)
        self.t_ = 0
        self.loss_curve_ = []
        self.history_ = {"loss": [], "accuracy": []}
        self.best_loss_ = rule.best_loss
        self.best_validation_score_ = rule.best_validation_score
        self.validation_scores_ = [] if self.early_stopping else None
        self._no_improvement_count = 0
        self._best_weights = self._get_weights() if self.early_stopping else None
        self._best_state = self._get_state() if self.early_stopping else None

    def _store_result(self, result, n_train, incremental):
        weights, state = result.weights, result.state
        if self.early_stopping:
            if result.best_weights is not None:
                self._best_weights = result.best_weights
                self._best_state = result.best_state
            weights = self._best_weights  # restore the best epoch's weights
            state = self._best_state if self._best_state is not None else state
        if not all(np.isfinite(w).all() for w in weights):
            raise ValueError(
                "Solver produced non-finite parameter weights. The input data may "
                "contain large values and need to be preprocessed, or the "
                f"learning_rate ({self._training_param('learning_rate')}) may be too "
                "large."
            )
        self._set_weights(weights)
        self._set_state(state)
        self._optimizer_state = result.optimizer_state
        self.learning_rate_ = result.learning_rate
        n_iter = len(result.losses)
        self.n_iter_ = n_iter
        self.t_ += n_train * n_iter
        self.loss_ = result.losses[-1]
        self.loss_curve_ = [*self.loss_curve_, *result.losses]
        history = {
            "loss": list(self.loss_curve_),
            "accuracy": [*self.history_.get("accuracy", []), *result.accuracies],
        }
        if result.val_losses:
            for key, values in (
                ("val_loss", result.val_losses),
                ("val_accuracy", result.val_accuracies),
            ):
                history[key] = [*self.history_.get(key, []), *values]
        self.history_ = history
        rule = result.rule
        self.best_loss_ = rule.best_loss
        self.best_validation_score_ = rule.best_validation_score
        self._no_improvement_count = rule.no_improvement_count
        if self.early_stopping:
            self.validation_scores_ = [
                *self.validation_scores_,
                *result.validation_scores,
            ]
        epochs = self._training_param("epochs")
        if rule.should_stop and self._training_param("verbose"):
            watched = "Validation score" if self.early_stopping else "Training loss"
            print(
                f"{watched} did not improve more than tol={self.tol:f} for "
                f"{self.n_iter_no_change} consecutive epochs. Stopping."
            )
        if not incremental and not result.stopped and n_iter == epochs:
            warnings.warn(
                f"Stochastic Optimizer: Maximum iterations ({epochs}) reached "
                "and the optimization hasn't converged yet.",
                ConvergenceWarning,
                stacklevel=4 + CALLBACK_FRAMES,  # the user's call of fit
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_label = True
        return tags

    # -- helpers for subclasses ---------------------------------------------------
    def _build_spec(self, X, y, classes):
        """``(spec, encoder)``: the network to train and its fitted target encoder.

        ``spec`` is the hashable structure key of the compiled loop
        (:class:`~skclassify.model.NetSpec` or
        :class:`~skclassify.model.KerasModelSpec`); ``encoder`` the fitted
        :class:`~skclassify.objectives.LossTargetEncoder` of its loss for
        ``y`` (and ``classes``, from ``partial_fit``). Called on a fresh fit;
        ``warm_start`` and ``partial_fit`` continue with both.
        """
        raise NotImplementedError

    def _check_params(self):
        """Checks beyond ``_parameter_constraints`` (registries, shapes)."""

    def _check_extra_params(self, names):
        """Check the parameters beyond the signature (by default: routed ones)."""
        check_routed(self, names)

    def _training_param(self, name):
        """This fit's value of a training parameter (``epochs``, ``batch_size``,
        ``shuffle``, ``verbose``, ``learning_rate``); a subclass may override it
        (``KerasClassifier``'s routed ``fit__epochs``)."""
        return getattr(self, name)
