"""The one module that touches scikeras internals.

scikeras 0.13 (unmaintained) predates scikit-learn 1.6. Its ``KerasClassifier``
derives from ``(BaseWrapper, ClassifierMixin)``, so the classifier tags never
get set (:func:`~sklearn.base.is_classifier` is False) and the mixin order is
wrong; its ``BaseWrapper`` still defines the removed ``_more_tags``, reads
parameters from ``__dict__``, mutates ``sample_weight`` for ``class_weight``,
validates input loosely and switches TensorFlow op-determinism on for the whole
process when seeded. None of that can be fixed in a subclass: any class with
``BaseWrapper`` in its MRO fails scikit-learn's common checks.

So skclassify's estimators are plain scikit-learn estimators
(:class:`ScikerasClassifierAdapter`), and scikeras runs their fit lifecycle
inside: a private :class:`_ScikerasEngine` (a ``BaseWrapper``) is driven
through scikeras' own ``fit`` / ``partial_fit`` — model initialisation,
dropping zero-weight samples, target encoding, output-shape checks, history
bookkeeping — with every broken step routed to a hook of the estimator:

``_check_X(X, reset)``, ``_check_y(y)``
    Input validation (scikit-learn's ``validate_data``).
``_make_target_encoder()``
    The loss-aware target encoder.
``_build_model()``
    A new, compiled Keras model with freshly drawn weights; no global seeding.
``_train(X, y, sample_weight, epochs, partial)``
    Train ``model_`` in place and return the per-epoch history.

Replacing scikeras by another base means rewriting this module only.
"""

from collections import defaultdict

import numpy as np
from scikeras.wrappers import BaseWrapper
from sklearn.base import BaseEstimator, ClassifierMixin

__all__ = ["ScikerasClassifierAdapter"]

# Fitted state that lives on the estimator between calls and on the engine
# while scikeras runs.
_STATE = (
    "model_",
    "history_",
    "target_encoder_",
    "feature_encoder_",
    "classes_",
    "n_classes_",
    "n_outputs_expected_",
    "_random_state",
)


class ScikerasClassifierAdapter(ClassifierMixin, BaseEstimator):
    """Base class of skclassify classifiers whose fit runs through scikeras.

    Subclasses implement the hooks listed in the module docstring and call
    :meth:`_scikeras_fit` from ``fit`` and ``partial_fit``.
    """

    #: Prefixes of routed parameters (``optimizer__momentum``, ``loss__...``).
    _routing_prefixes = ("optimizer", "loss")

    def _get_param_names(self):
        # Constructor parameters plus the extra keyword arguments that were
        # given (routed parameters; ``fit`` rejects anything else).
        names = set(type(self)._signature_param_names())
        names.update(
            k for k in vars(self) if not k.startswith("_") and not k.endswith("_")
        )
        return sorted(names)

    @classmethod
    def _signature_param_names(cls):
        return BaseEstimator._get_param_names.__func__(cls)

    def set_params(self, **params):
        """Set parameters, including routed ones such as ``optimizer__momentum``.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : estimator instance
            The estimator.
        """
        for key in list(params):
            if any(key.startswith(p + "__") for p in self._routing_prefixes):
                setattr(self, key, params.pop(key))
        return super().set_params(**params)

    def __sklearn_is_fitted__(self):
        return getattr(self, "model_", None) is not None and hasattr(self, "history_")

    def _scikeras_fit(self, X, y, sample_weight=None, *, partial=False, classes=None):
        """Run scikeras' fit (new model) or partial_fit (continue) lifecycle."""
        engine = _ScikerasEngine(self)
        continuing = self.__sklearn_is_fitted__() and (partial or self.warm_start)
        if continuing:
            for name in _STATE:
                if hasattr(self, name):
                    setattr(engine, name, getattr(self, name))
        if partial:
            if not continuing:
                engine.classes_ = None if classes is None else np.asarray(classes)
            engine.partial_fit(
                X, y, sample_weight=sample_weight, skclassify_partial=True
            )
        else:
            engine.classes_ = None
            engine.fit(X, y, sample_weight=sample_weight, skclassify_partial=False)
        for name in _STATE:
            setattr(self, name, getattr(engine, name))
        return self


class _ScikerasEngine(BaseWrapper):
    """scikeras' ``BaseWrapper`` whose broken steps call the owner's hooks."""

    def __init__(self, owner):
        # Deliberately not BaseWrapper.__init__: the owner holds the parameters.
        self.owner = owner
        self.random_state = owner.random_state
        self.epochs = owner.epochs
        self.warm_start = owner.warm_start

    # scikeras reads the parameters of its build/fit/compile routing from here;
    # the owner's hooks read their own parameters instead.
    def get_params(self, deep=True):
        return {}

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        owner = self.owner
        if y is not None:
            y = owner._check_y(y)
        if X is not None:
            X = owner._check_X(X, reset=reset)
            if y is not None and X.shape[0] != y.shape[0]:
                raise ValueError(
                    f"X and y have inconsistent numbers of samples: "
                    f"{X.shape[0]} != {y.shape[0]}."
                )
        return X, y

    @property
    def target_encoder(self):
        return self.owner._make_target_encoder(self.classes_)

    def _build_keras_model(self):
        return self.owner._build_model(self)

    def _check_model_compatibility(self, y):
        outputs = self.model_.outputs[0].shape[-1]
        if outputs != self.n_outputs_expected_:
            raise ValueError(
                f"The network has {outputs} output units but the target encoding "
                f"needs {self.n_outputs_expected_}."
            )

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        partial = kwargs.pop("skclassify_partial", False)
        history = self.owner._train(
            self.model_, X, y, sample_weight, epochs=epochs, partial=partial
        )
        if not (warm_start or partial) or not hasattr(self, "history_"):
            self.history_ = defaultdict(list)
        else:
            self.history_ = defaultdict(list, self.history_)
        for key, values in history.items():
            self.history_[key] += list(values)
