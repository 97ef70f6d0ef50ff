"""KerasMLPClassifier: scikit-learn's MLPClassifier, trained by Keras."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._compat._sklearn import Interval, InvalidParameterError, StrOptions
from ..activations import ACTIVATIONS
from ..model import NetSpec, forward, from_keras_weights, init_coefs, to_keras_weights
from ..objectives import LOSSES, LossTargetEncoder, resolve_loss, suits_multilabel
from ..training import LearningRateSchedule
from ._base import TRAINING_CONSTRAINTS, BaseKerasClassifier
from ._routing import routed_items

__all__ = ["KerasMLPClassifier"]


class KerasMLPClassifier(BaseKerasClassifier):
    """Multi-layer perceptron classifier trained with Keras.

    The Keras counterpart of :class:`sklearn.neural_network.MLPClassifier`:
    the same parameters (Keras' names where Keras has one: ``epochs`` for
    ``max_iter``, ``learning_rate`` for ``learning_rate_init``, ``optimizer``
    for ``solver``), the same stopping rule, the same fitted attributes, with
    Keras' activations, losses and optimizers. All epochs of a fit run in one
    compiled training loop that every fit of the same architecture reuses.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Units of each hidden layer; ``()`` means no hidden layer.
    activation : str, default="relu"
        Hidden activation, a key of :data:`skclassify.activations.ACTIVATIONS`
        (relu, leaky_relu, elu, selu, tanh, sigmoid or logistic, hard_sigmoid,
        softsign, softplus, linear or identity, silu or swish, gelu, gaussian).
    output_activation : str, default="auto"
        Output activation; ``"auto"`` picks the one that suits the loss
        (softmax for categorical cross-entropy, sigmoid for binary
        cross-entropy, tanh for hinge losses).
    loss : str, default="auto"
        A key of :data:`skclassify.objectives.LOSSES`, or ``"auto"``: binary
        cross-entropy with one sigmoid unit for two classes and for multilabel
        targets, categorical cross-entropy with softmax otherwise (what
        ``MLPClassifier`` does). Targets are encoded to suit the loss.
    optimizer : str, default="adam"
        sgd, rmsprop, adagrad, adadelta, adam, adamax or nadam. Further
        arguments are routed: ``optimizer__momentum=0.9``.
    learning_rate : float or None, default=None
        Initial learning rate (``MLPClassifier``'s ``learning_rate_init``);
        ``None`` keeps the optimizer's Keras default (0.001 for adam, as
        ``MLPClassifier``; 0.01 for sgd).
    learning_rate_schedule : {"constant", "invscaling", "adaptive"}, \
default="constant"
        ``MLPClassifier``'s ``learning_rate``, applied as it applies it:
        ``"invscaling"`` sets the rate to ``learning_rate / (t_ + 1) **
        power_t`` after every epoch (``t_`` counts the samples seen);
        ``"adaptive"`` divides the rate by 5 whenever the stopping rule
        fires (``n_iter_no_change`` epochs without an improvement of ``tol``)
        and stops once it is at most 1e-6. ``MLPClassifier`` applies them
        with ``solver="sgd"`` only; here they apply to any optimizer.
    power_t : float, default=0.5
        Exponent of ``"invscaling"`` (``MLPClassifier``'s ``power_t``).
    alpha : float, default=1e-4
        L2 penalty on scikit-learn's scale: ``0.5 * alpha * sum(coef ** 2)``
        divided by the batch's total sample weight is added to each batch loss.
    dropout : float, default=0.0
        Dropout rate after every hidden layer, in [0, 1).
    use_bias : bool, default=True
        Whether the layers have biases (without, ``intercepts_`` are zeros).
    batch_size : int, "auto" or None, default="auto"
        Rows per mini-batch; ``"auto"`` is ``min(200, n_samples)``, ``None``
        trains on all rows at once.
    epochs : int, default=200
        Maximum number of passes over the data (``max_iter``).
    shuffle : bool, default=True
        Draw a new order of rows every epoch.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when the
        validation accuracy has not improved by ``tol`` for more than
        ``n_iter_no_change`` epochs; the best epoch's weights are kept.
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.
    n_iter_no_change : int, default=10
        Epochs without an improvement of ``tol`` tolerated before stopping.
    tol : float, default=1e-4
        Without early stopping, training stops when the training loss has not
        decreased by ``tol`` for more than ``n_iter_no_change`` epochs.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into ``sample_weight``.
    dtype : {"float32", "float64"}, default="float32"
        Precision of weights and arithmetic. Under JAX, float64 needs
        ``JAX_ENABLE_X64``.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the validation split, the shuffling and
        dropout. An int gives bit-identical models in any process; the global
        random state of numpy, Keras and TensorFlow is neither used nor changed.
    verbose : int, default=0
        Print the loss of every epoch when > 0.
    warm_start : bool, default=False
        When True, ``fit`` continues from the previous weights (with a fresh
        optimizer state, as ``MLPClassifier``).
    early_stopping_monitor : {"val_accuracy", "val_loss"}, default="val_accuracy"
        What early stopping watches on the held-out data: the accuracy
        (``MLPClassifier``) or the loss.
    callbacks : keras callback, class, list or dict of them, or None, \
default=None
        Keras callbacks, called after every epoch with ``loss``,
        ``accuracy``, ``val_loss`` and ``val_accuracy`` (with early stopping)
        in their logs and ``self.model`` holding the current weights; classes
        are created with the routed ``callbacks__<name>`` arguments. See
        :class:`~skclassify.KerasClassifier`.
    **routed
        Routed parameters only: ``optimizer__<name>`` (``momentum``,
        ``nesterov``, ``beta_1`` ...) and ``loss__<name>``
        (``label_smoothing`` ...), passed to the Keras optimizer and loss.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coefs_ : list of ndarray of shape (fan_in, fan_out)
        Weight matrix of each layer.
    intercepts_ : list of ndarray of shape (fan_out,)
        Bias vector of each layer.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Output units.
    out_activation_ : str
        Output activation.
    loss_ : float
        Loss (with the penalty) of the last epoch.
    best_loss_ : float or None
        Lowest epoch loss so far; None with early stopping.
    loss_curve_ : list of float
        Loss of each epoch.
    validation_scores_ : list of float or None
        Validation accuracy of each epoch with early stopping, else None.
    best_validation_score_ : float or None
        Best validation accuracy (its epoch's weights are kept), else None.
    history_ : dict of str to list of float
        Per-epoch ``loss``, ``accuracy`` (and ``val_loss``, ``val_accuracy``
        with early stopping).
    learning_rate_ : float
        The learning rate at the end of the last fit (schedules and callbacks
        change it; ``MLPClassifier``'s ``_optimizer.learning_rate``).
    t_ : int
        Number of training samples seen.
    n_iter_ : int
        Epochs run by the last call to ``fit`` or ``partial_fit``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features, when ``X`` had string column names.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : scikit-learn's own MLP.

    Notes
    -----
    The fitted state is numpy arrays; :attr:`model_` builds a Keras model from
    them on demand. Prediction is a numpy forward pass, as in scikit-learn.
    Sparse input is densified for training. Rows of weight zero are left out.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skclassify import KerasMLPClassifier
    >>> from skclassify.datasets import make_sum_threshold
    >>> X, y = make_sum_threshold(n_samples=250, random_state=0)
    >>> clf = make_pipeline(
    ...     StandardScaler(),
    ...     KerasMLPClassifier(hidden_layer_sizes=20, epochs=300, random_state=0),
    ... ).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> bool(clf.score(X, y) > 0.9)
    True
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [str],
        "output_activation": [str],
        "loss": [str],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "use_bias": ["boolean"],
        "learning_rate_schedule": [StrOptions({"constant", "invscaling", "adaptive"})],
        "power_t": [Interval(Real, 0, None, closed="left")],
        **TRAINING_CONSTRAINTS,
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        output_activation="auto",
        loss="auto",
        optimizer="adam",
        learning_rate=None,
        learning_rate_schedule="constant",
        power_t=0.5,
        alpha=1e-4,
        dropout=0.0,
        use_bias=True,
        batch_size="auto",
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
        early_stopping_monitor="val_accuracy",
        callbacks=None,
        **routed,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.output_activation = output_activation
        self.loss = loss
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.power_t = power_t
        self.alpha = alpha
        self.dropout = dropout
        self.use_bias = use_bias
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
        self.early_stopping_monitor = early_stopping_monitor
        self.callbacks = callbacks
        self._store_routed(routed)

    @property
    def model_(self):
        """A Keras model (uncompiled) built from ``coefs_`` and ``intercepts_``."""
        check_is_fitted(self)
        model = self._spec.build_model()
        for var, value in zip(
            model.trainable_variables, self._get_weights(), strict=True
        ):
            var.assign(value)
        return model

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # the tags follow the loss: a categorical one cannot fit multilabel y
        loss = self.loss
        tags.classifier_tags.multi_label = loss == "auto" or (
            loss in LOSSES and suits_multilabel(loss)
        )
        return tags

    # -- the hooks of the lifecycle ------------------------------------------------
    def _check_params(self):
        for name, extra in (("activation", ()), ("output_activation", ("auto",))):
            value = getattr(self, name)
            if value not in ACTIVATIONS and value not in extra:
                raise InvalidParameterError(
                    f"The {name!r} parameter of {type(self).__name__} must be a str "
                    f"among {sorted([*ACTIVATIONS, *extra])}. Got {value!r} instead."
                )
        if self.loss != "auto" and self.loss not in LOSSES:
            raise InvalidParameterError(
                f"The 'loss' parameter of {type(self).__name__} must be a str among "
                f"{sorted(['auto', *LOSSES])}. Got {self.loss!r} instead."
            )
        if any(size <= 0 for size in self._layer_sizes()):
            raise ValueError(
                f"hidden_layer_sizes must be > 0, got {self.hidden_layer_sizes}."
            )

    def _layer_sizes(self):
        sizes = self.hidden_layer_sizes
        return (sizes,) if isinstance(sizes, Integral) else tuple(sizes)

    def _build_spec(self, X, y, classes):
        multilabel = y.ndim == 2
        n_classes = len(np.unique(y if classes is None else classes))
        loss = resolve_loss(self.loss, multilabel, n_classes)
        output = self.output_activation
        if output == "auto":
            output = LOSSES[loss].output_activation
        encoder = LossTargetEncoder(
            loss=loss, output_activation=ACTIVATIONS[output].name, classes=classes
        ).fit(y)
        n_outputs = encoder.n_outputs_expected_
        record = ACTIVATIONS[encoder.output_activation]
        threshold = None
        if n_outputs == 1 or encoder.multilabel_:
            bounded = record.lo is not None and record.hi is not None
            threshold = (record.lo + record.hi) / 2 if bounded else 0.0
        spec = NetSpec(
            n_features=X.shape[1],
            n_outputs=n_outputs,
            hidden_layer_sizes=tuple(int(s) for s in self._layer_sizes()),
            activation=ACTIVATIONS[self.activation].name,
            output_activation=record.name,
            dropout=float(self.dropout),
            use_bias=bool(self.use_bias),
            dtype=self.dtype,
            loss=encoder.loss,
            loss_kwargs=routed_items(self, "loss"),
            optimizer=self.optimizer,
            optimizer_kwargs=routed_items(self, "optimizer"),
            encoding=encoder.encoding_,
            multilabel=encoder.multilabel_,
            threshold=threshold,
        )
        return spec, encoder

    def _learning_rate_schedule(self, fresh):
        if self.learning_rate_schedule == "constant":
            return None
        initial = self.learning_rate
        if initial is None:  # the optimizer's Keras default
            initial = float(np.asarray(self._spec.make_optimizer().learning_rate))
        current = None if fresh else getattr(self, "learning_rate_", None)
        return LearningRateSchedule(
            self.learning_rate_schedule, initial, self.power_t, current
        )

    def _initial_weights(self, spec, random_state):
        units = [spec.n_features, *spec.hidden_layer_sizes, spec.n_outputs]
        coefs, intercepts = init_coefs(units, random_state, spec.dtype)
        return to_keras_weights(coefs, intercepts, spec.use_bias)

    def _has_weights(self):
        return hasattr(self, "coefs_")

    def _get_weights(self):
        return to_keras_weights(self.coefs_, self.intercepts_, self.use_bias)

    def _set_weights(self, weights):
        self.coefs_, self.intercepts_ = from_keras_weights(weights, self.use_bias)
        self.n_layers_ = len(self.coefs_) + 1
        self.n_outputs_ = self.coefs_[-1].shape[1]
        self.out_activation_ = self._target_encoder.output_activation

    def _forward(self, X):
        return forward(
            X,
            self.coefs_,
            self.intercepts_,
            ACTIVATIONS[self.activation].name,
            self.out_activation_,
        )
