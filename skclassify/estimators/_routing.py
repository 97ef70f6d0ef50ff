"""Routed parameters: the one declaration of which ``prefix__name`` parameters exist.

scikeras' convention, kept for compatibility: ``optimizer__momentum=0.9`` is
passed to the Keras optimizer, ``loss__label_smoothing=0.1`` to the Keras loss,
``model__units=32`` to the model builder of :class:`~skclassify.KerasClassifier`
and ``fit__epochs=50`` overrides a training parameter for ``fit``. Each
estimator accepts the prefixes in its ``_routes`` (``KerasMLPClassifier``:
``optimizer`` and ``loss``; ``KerasClassifier``: all four).
They are ordinary scikit-learn parameters (``get_params``, ``set_params``,
``clone``, grid searches). The constructor stores keyword arguments without
checking them (scikit-learn's rule: ``__init__`` never raises) in one private
dict, not as attributes (scikit-learn's ``check_no_attributes_set_in_init``:
``__init__`` sets only the parameters it declares); ``get_params`` returns
them beside the declared ones, and reading one as an attribute
(``clf.optimizer__momentum``) works as in scikeras. ``fit`` raises a
``ValueError`` for any that is not under a prefix the estimator declares in its
``_routes``.
"""

import inspect

__all__ = ["ROUTES", "RoutedParamsMixin", "check_routed", "routed_items"]

ROUTES = {
    "optimizer": "keyword arguments of the Keras optimizer",
    "loss": "keyword arguments of the Keras loss",
    "model": "keyword arguments of the model builder (KerasClassifier)",
    "fit": "training parameters for fit: epochs, batch_size, shuffle, verbose",
    "callbacks": "keyword arguments of the Keras callback classes in `callbacks`",
    "predict": "arguments of predict (KerasClassifier): batch_size, verbose",
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
            for key, value in estimator._extra_params.items()
            if key.startswith(start)
        )
    )


class RoutedParamsMixin:
    """``get_params``/``set_params`` that know the parameters beyond the signature.

    The estimator's class attribute ``_routes`` lists its prefixes; its
    ``__init__`` hands its ``**kwargs`` to ``_store_routed``.
    """

    def _store_routed(self, params):
        # A new dict holding the very objects given, so that ``clone`` finds
        # each parameter unchanged.
        self._extra_params = {**getattr(self, "_extra_params", {}), **params}

    def __getattr__(self, name):
        # Only called when normal lookup fails: a stored keyword argument reads
        # as an attribute, as in scikeras, without being one.
        extra = self.__dict__.get("_extra_params", {})
        if name in extra:
            return extra[name]
        prop = getattr(type(self), name, None)
        if isinstance(prop, property):  # its own error (NotFittedError), not ours
            return prop.fget(self)
        raise AttributeError(
            f"{type(self).__name__!r} object has no attribute {name!r}"
        )

    @classmethod
    def _signature_names(cls):
        """The parameters ``__init__`` declares (its ``**kwargs`` left out)."""
        parameters = inspect.signature(cls.__init__).parameters.values()
        return sorted(
            p.name
            for p in parameters
            if p.name != "self" and p.kind != inspect.Parameter.VAR_KEYWORD
        )

    def get_params(self, deep=True):
        """Parameters: the declared ones and the stored keyword arguments.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        params.update(self._extra_params)
        return params

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
