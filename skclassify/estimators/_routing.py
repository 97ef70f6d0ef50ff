"""Routed parameters: the one declaration of which ``prefix__name`` parameters exist.

scikeras' convention, kept for compatibility: ``optimizer__momentum=0.9`` is
passed to the Keras optimizer, ``loss__label_smoothing=0.1`` to the Keras loss.
They are ordinary scikit-learn parameters (``get_params``, ``set_params``,
``clone``, grid searches). The constructor stores keyword arguments without
checking them (scikit-learn's rule: ``__init__`` never raises); ``fit`` raises a
``ValueError`` for any that is not under a prefix the estimator declares in its
``_routes``.
"""

__all__ = ["ROUTES", "check_routed", "routed_items"]

ROUTES = {
    "optimizer": "keyword arguments of the Keras optimizer",
    "loss": "keyword arguments of the Keras loss",
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
