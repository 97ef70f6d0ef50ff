"""Routed parameters: the one declaration of which ``prefix__name`` parameters exist.

scikeras' convention, kept for compatibility: ``optimizer__momentum=0.9`` is
passed to the Keras optimizer, ``loss__label_smoothing=0.1`` to the Keras loss,
``model__units=32`` to the model builder of :class:`~skclassify.KerasClassifier`
and ``fit__epochs=50`` overrides a training parameter for ``fit``. Each
estimator accepts the prefixes in its ``_routes`` (``KerasMLPClassifier``:
``optimizer`` and ``loss``; ``KerasClassifier``: all four).
They are ordinary scikit-learn parameters (``get_params``, ``set_params``,
``clone``, grid searches). The constructor stores keyword arguments without
checking them (scikit-learn's rule: ``__init__`` never raises); ``fit`` raises a
``ValueError`` for any that is not under a prefix the estimator declares in its
``_routes``.
"""

from sklearn.base import BaseEstimator

__all__ = ["ROUTES", "RoutedParamsMixin", "check_routed", "routed_items"]

ROUTES = {
    "optimizer": "keyword arguments of the Keras optimizer",
    "loss": "keyword arguments of the Keras loss",
    "model": "keyword arguments of the model builder (KerasClassifier)",
    "fit": "training parameters for fit: epochs, batch_size, shuffle, verbose",
    "callbacks": "keyword arguments of the Keras callback classes in `callbacks`",
}
"""Prefix -> what its parameters are passed to."""


def check_routed(estimator, params):
    """Raise ``ValueError`` unless every name in ``params`` is a declared route.

    Parameters
    ----------
    estimator : object
        The estimator; its class attribute ``_routes`` lists the prefixes.
    params : iterable of str
        Parameter names beyond the constructor's signature.
    """
    prefixes = type(estimator)._routes
    for key in params:
        prefix, sep, name = key.partition("__")
        if not (sep and name and prefix in prefixes):
            allowed = ", ".join(f"'{p}__<name>'" for p in prefixes)
            raise ValueError(
                f"Unknown parameter {key!r} for {type(estimator).__name__}: besides "
                f"the constructor's parameters it accepts only routed parameters "
                f"{allowed}."
            )


def routed_items(estimator, prefix):
    """``((name, value), ...)`` of the estimator's ``prefix__name`` parameters."""
    start = prefix + "__"
    return tuple(
        sorted(
            (key[len(start) :], value)
            for key, value in vars(estimator).items()
            if key.startswith(start)
        )
    )


class RoutedParamsMixin:
    """``get_params``/``set_params`` that know the routed parameters.

    The estimator's class attribute ``_routes`` lists its prefixes.
    """

    def _store_routed(self, routed):
        for key, value in routed.items():
            setattr(self, key, value)

    def _get_param_names(self):
        # The signature's parameters plus the keyword arguments that were given
        # (routed ones; ``fit`` rejects any other).
        names = set(type(self)._signature_names())
        names.update(
            k for k in vars(self) if not k.startswith("_") and not k.endswith("_")
        )
        return sorted(names)

    @classmethod
    def _signature_names(cls):
        return BaseEstimator._get_param_names.__func__(cls)

    def set_params(self, **params):
        """Set parameters, routed ones (``optimizer__momentum``) included.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : estimator instance
            The estimator.
        """
        prefixes = tuple(p + "__" for p in self._routes)
        routed = {k: params.pop(k) for k in list(params) if k.startswith(prefixes)}
        self._store_routed(routed)
        return super().set_params(**params)
