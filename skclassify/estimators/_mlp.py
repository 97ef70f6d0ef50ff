"""KerasMLPClassifier: a Keras multi-layer perceptron as a scikit-learn classifier."""

from numbers import Integral, Real

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state, compute_sample_weight
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from .._backend import import_keras
from ..activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from ..encoding import LOSSES, OPTIMIZERS, LossTargetEncoder
from ..model import build_mlp, initial_weights
from ..training import NetSpec, get_trainer, train_network
from ._scikeras_adapter import ScikerasClassifierAdapter

keras = import_keras()

__all__ = ["KerasMLPClassifier"]

_PREDICT_BATCH = 16384


class KerasMLPClassifier(ScikerasClassifierAdapter):
    """Multi-layer perceptron classifier trained with Keras.

    A drop-in counterpart of :class:`sklearn.neural_network.MLPClassifier`
    built on scikeras and Keras 3: it works in pipelines, grid searches,
    cross-validation, calibration, voting, stacking, bagging and one-vs-rest
    wrappers, clones, pickles, and fits about as fast as scikit-learn's own
    MLP because all epochs run inside one compiled training loop that is reused
    by every fit of the same architecture.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Units of each hidden layer; ``()`` means no hidden layer (a linear
        model with the output activation).
    activation : str, default="relu"
        Hidden-layer activation, a key of
        :data:`skclassify.activations.ACTIVATIONS` (relu, leaky_relu, elu, selu,
        tanh, sigmoid, hard_sigmoid, softsign, softplus, linear, swish/silu,
        gelu, gaussian).
    output_activation : str, default="auto"
        Output activation. ``"auto"`` picks the one that suits ``loss``:
        softmax for cross-entropy, KL divergence, cosine similarity and the
        regression-style losses; tanh for hinge losses; sigmoid for binary
        cross-entropy.
    loss : str, default="categorical_crossentropy"
        Keras loss, a key of :data:`skclassify.encoding.LOSSES`. Targets are
        encoded to suit it: one-hot, class index (sparse categorical
        cross-entropy), one 0/1 column (binary cross-entropy, two classes) or
        -1/+1 (hinge, squared hinge).
    optimizer : str, default="adam"
        sgd, rmsprop, adagrad, adadelta, adam, adamax or nadam. Further
        optimizer arguments are routed: ``optimizer__momentum=0.9``.
    learning_rate : float or None, default=None
        Learning rate; ``None`` keeps the optimizer's Keras default.
    alpha : float, default=0.0
        L2 penalty: ``alpha * sum(kernel ** 2)`` is added to each batch loss
        (Keras' ``L2`` regularizer).
    dropout : float, default=0.0
        Dropout rate after every hidden layer, in [0, 1).
    use_bias : bool, default=True
        Whether the layers have biases.
    batch_size : int or None, default=32
        Rows per mini-batch; ``None`` trains on all rows at once.
    epochs : int, default=200
        Passes over the training data (the maximum, with early stopping).
    shuffle : bool, default=True
        Draw a new order of rows every epoch; ``False`` trains on batches in
        the order given (as the wave task's generator did).
    early_stopping : bool, default=False
        Hold out a stratified ``validation_fraction`` of the training data and
        stop when its loss has not decreased by more than ``tol`` for
        ``n_iter_no_change`` epochs; the weights of the best epoch are
        restored (as Keras' ``EarlyStopping(restore_best_weights=True)``).
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.
    n_iter_no_change : int, default=10
        Patience of early stopping, in epochs.
    tol : float, default=1e-4
        Smallest decrease of the validation loss that counts as improvement.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into ``sample_weight``.
    dtype : {"float32", "float64"}, default="float32"
        Precision of weights and arithmetic. ``float64`` is about half as fast
        and far less sensitive to the order of summation (for instance, with
        full batches integer sample weights then give the same model as
        repeated rows, to about 1e-12). Under JAX it needs ``JAX_ENABLE_X64``.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the shuffling, dropout and the validation
        split. An int gives bit-identical models in any process, and the
        global random state of numpy, Keras and TensorFlow is neither used nor
        changed (``None`` draws a seed from numpy's global state, as
        scikit-learn does).
    verbose : int, default=0
        Print one line per epoch when > 0. Nothing is printed otherwise.
    warm_start : bool, default=False
        When True, ``fit`` continues from the previous solution.
    **kwargs
        Routed parameters only: ``optimizer__<name>`` (e.g. ``momentum``,
        ``nesterov``, ``beta_1``) and ``loss__<name>`` (e.g.
        ``label_smoothing``), passed to the Keras optimizer and loss.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, as given in ``y``.
    n_classes_ : int
        Number of classes.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features, when ``X`` had string column names.
    model_ : keras.Model
        The trained Keras network.
    history_ : dict of str to list of float
        Per-epoch ``loss`` and ``accuracy`` (and ``val_loss``,
        ``val_accuracy`` with early stopping).
    loss_curve_ : list of float
        Training loss per epoch.
    validation_scores_ : list of float or None
        Validation accuracy per epoch with early stopping, else None.
    best_validation_score_ : float or None
        Validation accuracy of the restored (lowest validation loss) epoch with
        early stopping, else None.
    n_iter_ : int
        Number of epochs run.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : scikit-learn's own MLP.

    Notes
    -----
    ``predict_proba`` always returns probabilities in [0, 1] whose rows sum to
    1. Softmax outputs are used as they are; a single tanh or sigmoid unit (hinge
    or binary cross-entropy, two classes) is mapped linearly onto [0, 1]; several
    bounded units are normalised to sum to 1 (see
    :func:`skclassify.encoding.outputs_to_proba`). ``decision_function``
    returns the log-odds of the positive class (two classes) or the log
    probabilities, so that its sign and argmax agree with ``predict``.

    Each batch loss is the sample-weighted mean of the per-row losses, so that
    an integer weight acts like repeating a row.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skclassify import KerasMLPClassifier
    >>> from skclassify.datasets import make_sum_threshold
    >>> X, y = make_sum_threshold(n_samples=250, random_state=0)
    >>> clf = make_pipeline(
    ...     StandardScaler(),
    ...     KerasMLPClassifier(hidden_layer_sizes=(20,), epochs=50, random_state=0),
    ... ).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> bool(clf.score(X, y) > 0.9)
    True
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like"],
        # checked against the registries as they are at fit time
        "activation": [str],
        "output_activation": [str],
        "loss": [StrOptions(set(LOSSES))],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "use_bias": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "dtype": [StrOptions({"float32", "float64"})],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        output_activation="auto",
        loss="categorical_crossentropy",
        optimizer="adam",
        learning_rate=None,
        alpha=0.0,
        dropout=0.0,
        use_bias=True,
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
        **kwargs,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.output_activation = output_activation
        self.loss = loss
        self.optimizer = optimizer
        self.learning_rate = learning_rate
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
        vars(self).update(kwargs)

    # -- public API -----------------------------------------------------------------
    def fit(self, X, y, sample_weight=None):
        """Train a new network on (X, y), or continue with ``warm_start``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample; rows of weight zero are left out.

        Returns
        -------
        self : KerasMLPClassifier
            The fitted estimator.
        """
        self._check_params()
        sample_weight = self._combined_weights(y, sample_weight)
        return self._scikeras_fit(X, y, sample_weight)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one epoch, continuing from the current weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            All classes; required on the first call if ``y`` may lack some.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample.

        Returns
        -------
        self : KerasMLPClassifier
            The updated estimator.
        """
        if not self.__sklearn_is_fitted__():
            self._check_params()
        sample_weight = self._combined_weights(y, sample_weight)
        return self._scikeras_fit(X, y, sample_weight, partial=True, classes=classes)

    def predict_proba(self, X):
        """Class probabilities for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Probabilities in [0, 1]; each row sums to 1.
        """
        check_is_fitted(self)
        raw = self._forward(self._check_X(X, reset=False))
        return self.target_encoder_.inverse_transform(raw, return_proba=True)

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))`` (``-inf`` where a probability is 0).
        """
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(proba)

    def predict(self, X):
        """Predicted class labels for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels, of the same kind as the ``y`` given to ``fit``.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def decision_function(self, X):
        """Confidence scores: log-odds (two classes) or log-probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_classes)
            Positive values (two classes) or the largest column (more classes)
            mark the predicted class.
        """
        proba = np.clip(self.predict_proba(X), np.finfo(np.float64).tiny, None)
        log_proba = np.log(proba)
        if len(self.classes_) == 2:
            return log_proba[:, 1] - log_proba[:, 0]
        return log_proba

    def score(self, X, y, sample_weight=None):
        """Accuracy on (X, y).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test data.
        y : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        float
            Mean (weighted) accuracy.
        """
        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)

    @property
    def loss_curve_(self):
        """Training loss of each epoch."""
        check_is_fitted(self)
        return list(self.history_["loss"])

    @property
    def validation_scores_(self):
        """Validation accuracy of each epoch (early stopping), else None."""
        check_is_fitted(self)
        scores = self.history_.get("val_accuracy")
        return list(scores) if scores else None

    @property
    def best_validation_score_(self):
        """Validation accuracy of the restored epoch (early stopping), else None."""
        scores = self.validation_scores_
        if not scores:
            return None
        return scores[int(np.argmin(self.history_["val_loss"]))]

    @property
    def n_iter_(self):
        """Number of epochs trained."""
        check_is_fitted(self)
        return len(self.history_["loss"])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        tags.classifier_tags.multi_class = True
        return tags

    # -- pickling: the network travels as weights, not as a Keras archive -------
    def __getstate__(self):
        state = self.__dict__.copy()
        model = state.pop("model_", None)
        if model is not None:
            state["_model_weights"] = [v.numpy() for v in model.trainable_variables]
        return state

    def __setstate__(self, state):
        weights = state.pop("_model_weights", None)
        self.__dict__.update(state)
        if weights is not None:
            self.model_ = self._make_model()
            self._assign_weights(weights)

    # -- validation -------------------------------------------------------------------
    def _check_params(self):
        self._validate_params()
        for name, registry in (
            ("activation", ACTIVATIONS),
            ("output_activation", {**OUTPUT_ACTIVATIONS, "auto": None}),
        ):
            value = getattr(self, name)
            if value not in registry:
                raise InvalidParameterError(
                    f"The {name!r} parameter of KerasMLPClassifier must be a str "
                    f"among {sorted(registry)}. Got {value!r} instead."
                )
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, Integral) else tuple(sizes)
        if not all(isinstance(s, Integral) and s > 0 for s in sizes):
            raise ValueError(
                "hidden_layer_sizes must be a tuple of positive ints, got "
                f"{self.hidden_layer_sizes!r}."
            )
        self._layer_sizes = tuple(int(s) for s in sizes)
        extra = set(self._get_param_names()) - set(self._signature_param_names())
        for key in sorted(extra):
            if key.split("__", 1)[0] not in self._routing_prefixes or "__" not in key:
                raise ValueError(
                    f"Unknown parameter {key!r} for KerasMLPClassifier: besides "
                    "the constructor parameters only routed 'optimizer__<name>' "
                    "and 'loss__<name>' parameters are accepted."
                )

    def _check_X(self, X, reset):
        return validate_data(
            self,
            X,
            reset=reset,
            dtype=(np.float64, np.float32),
            ensure_all_finite=True,
            accept_sparse=False,
        ).astype(self.dtype, copy=False)

    def _check_y(self, y):
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        return y

    def _combined_weights(self, y, sample_weight):
        if sample_weight is None and self.class_weight is None:
            return None
        y = self._check_y(y)
        weights = _check_sample_weight(sample_weight, np.empty((len(y), 0)))
        if self.class_weight is not None:
            weights = weights * compute_sample_weight(self.class_weight, y)
        return weights

    # -- hooks for the scikeras adapter
    def _output_activation(self):
        if self.output_activation == "auto":
            return LOSSES[self.loss][2]
        return self.output_activation

    def _make_target_encoder(self, classes=None):
        return LossTargetEncoder(
            loss=self.loss,
            output_activation=self._output_activation(),
            classes=classes,
        )

    def _net_spec(self, n_outputs=None):
        n_outputs = self.n_outputs_expected_ if n_outputs is None else n_outputs
        routed = vars(self)
        optimizer_kwargs = tuple(
            sorted(
                (k.split("__", 1)[1], v)
                for k, v in routed.items()
                if k.startswith("optimizer__")
            )
        )
        loss_kwargs = tuple(
            sorted(
                (k.split("__", 1)[1], v)
                for k, v in routed.items()
                if k.startswith("loss__")
            )
        )
        activation = self._output_activation()
        threshold = None
        if n_outputs == 1:
            # the output value that outputs_to_proba maps to probability 0.5
            lo, hi = OUTPUT_ACTIVATIONS[activation]
            threshold = (lo + hi) / 2 if lo is not None and hi is not None else 0.0
        return NetSpec(
            n_features=self.n_features_in_,
            n_outputs=n_outputs,
            hidden_layer_sizes=self._layer_sizes,
            activation=self.activation,
            output_activation=activation,
            alpha=float(self.alpha),
            dropout=float(self.dropout),
            use_bias=bool(self.use_bias),
            dtype=self.dtype,
            loss=self.loss,
            loss_kwargs=loss_kwargs,
            optimizer=self.optimizer,
            optimizer_kwargs=optimizer_kwargs,
            threshold=threshold,
        )

    def _make_model(self, n_outputs=None):
        spec = self._net_spec(n_outputs)
        model = build_mlp(spec.n_features, spec.n_outputs, **spec.build_kwargs())
        optimizer = _routed(
            OPTIMIZERS[spec.optimizer], "optimizer", spec.optimizer_kwargs
        )
        if self.learning_rate is not None:
            optimizer.learning_rate = self.learning_rate
        loss = _routed(LOSSES[spec.loss][0], "loss", spec.loss_kwargs, dtype=spec.dtype)
        model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
        return model

    def _build_model(self, engine):
        self._rng = check_random_state(engine._random_state)
        self._optimizer_state = None
        model = self._make_model(engine.n_outputs_expected_)
        for var, value in zip(
            model.trainable_variables, initial_weights(model, self._rng), strict=True
        ):
            var.assign(value)
        return model

    def _assign_weights(self, weights, model=None):
        model = self.model_ if model is None else model
        for var, value in zip(model.trainable_variables, weights, strict=True):
            var.assign(value)

    def _train(self, model, X, y, sample_weight, epochs, partial):
        if not partial and len(np.unique(y, axis=0)) < 2:
            raise ValueError(
                "The training data hold 1 class (after dropping samples of zero "
                "weight); a classifier needs samples of at least 2 classes."
            )
        W = (
            np.ones(X.shape[0], dtype=self.dtype)
            if sample_weight is None
            else np.asarray(sample_weight, dtype=self.dtype)
        )
        y = y.astype(np.int32 if y.ndim == 1 else self.dtype, copy=False)
        validation = None
        if self.early_stopping and not partial:
            X, y, W, validation = self._split_validation(X, y, W)
        result = train_network(
            self._net_spec(model.outputs[0].shape[-1]),
            X,
            y,
            W,
            weights=[v.numpy() for v in model.trainable_variables],
            optimizer_state=self._optimizer_state,
            learning_rate=self.learning_rate,
            epochs=epochs,
            batch_size=self.batch_size,
            shuffle=self.shuffle,
            random_state=self._rng,
            validation=validation,
            n_iter_no_change=self.n_iter_no_change,
            tol=self.tol,
            verbose=self.verbose,
        )
        self._assign_weights(result.weights, model)
        self._optimizer_state = result.optimizer_state
        return result.history

    def _split_validation(self, X, y, W):
        codes = y if y.ndim == 1 else np.argmax(y, axis=1)
        counts = np.bincount(codes)
        stratify = codes if counts[counts > 0].min() >= 2 else None
        try:
            X_tr, X_val, y_tr, y_val, W_tr, W_val = train_test_split(
                X,
                y,
                W,
                test_size=self.validation_fraction,
                stratify=stratify,
                random_state=self._rng,
            )
        except ValueError as exc:
            raise ValueError(
                f"Cannot hold out validation_fraction={self.validation_fraction} "
                f"of {X.shape[0]} samples for early stopping: {exc}"
            ) from None
        return X_tr, y_tr, W_tr, (X_val, y_val, W_val)

    def _forward(self, X):
        trainer = get_trainer(self._net_spec())
        weights = [v.value for v in self.model_.trainable_variables]
        outputs = [
            trainer.predict(weights, X[i : i + _PREDICT_BATCH])
            for i in range(0, X.shape[0], _PREDICT_BATCH)
        ]
        return np.concatenate(outputs, axis=0)


def _routed(cls, prefix, routed, **fixed):
    """Instantiate a Keras optimizer or loss with routed arguments, or explain."""
    try:
        return cls(**fixed, **dict(routed))
    except (TypeError, ValueError) as exc:
        names = ", ".join(f"{prefix}__{key}" for key, _ in routed)
        raise ValueError(
            f"Invalid routed parameter(s) {names} for {cls.__name__}: {exc}"
        ) from None
