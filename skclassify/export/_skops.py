"""What ``skops.io.load`` must trust to load a fitted estimator."""

__all__ = ["trusted_types"]


def trusted_types(estimator):
    """The type names ``skops.io.load`` needs trusted for ``estimator``.

    skops loads only types it trusts; scikit-learn's and numpy's are trusted
    by default, skclassify's (and a ``KerasClassifier``'s model builder) are
    not. This is the exact list of the others that a skops file of
    ``estimator`` holds: pass it as ``trusted=`` to :func:`skops.io.load`.
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
    """
    import skops.io as sio

    return sorted(sio.get_untrusted_types(data=sio.dumps(estimator)))
