"""A fitted KerasClassifier in Keras' own format, plus its scikit-learn state.

:func:`save_keras` writes a folder: ``model.keras``, the trained network in
Keras' format (architecture and weights, no Python code), and
``estimator.skops``, the estimator without its ``model`` parameter (its
settings, classes, target encoding and fitted state: skclassify's types,
numpy arrays and builtins). :func:`load_keras` reads both without pickle.
Neither needs the model's builder: a model built by a function that is gone
loads and predicts.
"""

from pathlib import Path

__all__ = ["load_keras", "save_keras"]

MODEL_FILE = "model.keras"
STATE_FILE = "estimator.skops"
#: the types of skclassify that a fitted KerasClassifier holds
_OWN_TYPES = frozenset(
    {
        "skclassify.estimators._keras.KerasClassifier",
        "skclassify.objectives._target.LossTargetEncoder",
        "skclassify.model._keras.KerasModelSpec",
    }
)


def save_keras(estimator, path):
    """Save a fitted KerasClassifier in Keras' format plus its sklearn state.

    Parameters
    ----------
    estimator : KerasClassifier
        A fitted classifier.
    path : str or path-like
        A folder, created if missing; its ``model.keras`` and
        ``estimator.skops`` are replaced.

    Returns
    -------
    pathlib.Path
        The folder.

    See Also
    --------
    load_keras : load it back.
    """
    import skops.io as sio
    from sklearn.utils.validation import check_is_fitted

    from ..estimators import KerasClassifier

    if not isinstance(estimator, KerasClassifier):
        raise TypeError(
            f"save_keras saves a fitted KerasClassifier, not {type(estimator)}; "
            "save pipelines and KerasMLPClassifier with skops.io.dump."
        )
    check_is_fitted(estimator)
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    estimator.model_.save(path / MODEL_FILE)
    state = _without_model(estimator)
    try:
        sio.dump(state, path / STATE_FILE)
    except (TypeError, RecursionError) as exc:
        raise TypeError(
            f"A parameter of this KerasClassifier cannot be saved by skops ({exc}); "
            "give Keras optimizers and losses by name or class."
        ) from None
    return path


def load_keras(path, trusted=None):
    """Load a KerasClassifier saved by :func:`save_keras`.

    Parameters
    ----------
    path : str or path-like
        The folder :func:`save_keras` wrote.
    trusted : list of str, default=None
        Further type names to trust in ``estimator.skops`` beyond
        skclassify's own (see :func:`trusted_types`); none are needed unless
        a parameter holds an object of another package.

    Returns
    -------
    KerasClassifier
        The fitted classifier; its ``model`` parameter is the trained Keras
        model, so that ``fit`` again starts from the trained weights.
    """
    import skops.io as sio

    from .._compat._keras import import_keras
    from ..activations import get_activation

    path = Path(path)
    allowed = _OWN_TYPES | set(trusted or ())
    unknown = sorted(set(sio.get_untrusted_types(file=path / STATE_FILE)) - allowed)
    if unknown:
        raise ValueError(
            f"{path / STATE_FILE} holds types that are not skclassify's: {unknown}. "
            "Pass them as trusted=[...] if you trust where the file comes from."
        )
    estimator = sio.load(path / STATE_FILE, trusted=sorted(allowed))
    keras = import_keras()
    get_activation("gaussian")  # registered with Keras, in case the model uses it
    estimator.model = keras.saving.load_model(path / MODEL_FILE, compile=False)
    return estimator


def _without_model(estimator):
    import copy

    state = copy.copy(estimator)
    state.model = None
    return state
