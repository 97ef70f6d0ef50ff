"""What ``skops.io.load`` must trust to load a fitted estimator."""

__all__ = ["trusted_types"]


def trusted_types(estimator):
    """The type names ``skops.io.load`` needs trusted for ``estimator``.

    skops loads only types it trusts: scikit-learn's, numpy's and builtins are
    trusted by default, skclassify's (and a ``KerasClassifier``'s model
    builder) are not. This is the exact list of the others that a skops file
    of ``estimator`` holds: pass it as ``trusted=`` to :func:`skops.io.load`.
    Trusting a name lets loading import that module and create that object,
    so read the list: it should hold skclassify's types and your builder only.

    Parameters
    ----------
    estimator : estimator
        The (fitted) estimator, pipeline or search that is saved.

    Returns
    -------
    list of str
        Sorted type names, e.g.
        ``"skclassify.estimators._mlp.KerasMLPClassifier"``.

    Raises
    ------
    TypeError
        If a ``KerasClassifier`` in ``estimator`` was given a ``keras.Model``
        instance: skops cannot save a Keras model; save it with
        :func:`save_keras` (Keras' own format) instead.

    Examples
    --------
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skclassify.export import trusted_types
    >>> trusted_types(StandardScaler())
    []
    """
    import skops.io as sio

    check_skops_savable(estimator)
    return sorted(sio.get_untrusted_types(data=sio.dumps(estimator)))


def check_skops_savable(estimator):
    """Raise ``TypeError`` if ``estimator`` holds a Keras model object."""
    if not hasattr(estimator, "get_params"):
        return
    for name, value in estimator.get_params(deep=True).items():
        cls = type(value)
        if cls.__module__.startswith("keras") and any(
            base.__name__ == "Model" for base in cls.__mro__
        ):
            raise TypeError(
                f"Parameter {name!r} is a Keras model object, which skops cannot "
                "save. Save a fitted KerasClassifier with "
                "skclassify.export.save_keras(estimator, folder) (Keras' own "
                "format plus its scikit-learn state), or give KerasClassifier a "
                "function that builds the model."
            )
