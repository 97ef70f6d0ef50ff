"""The objects every trainer compiles around: network, loss and optimizer."""

from ..encoding import LOSSES, OPTIMIZERS
from ..model import build_mlp

__all__ = ["build_template"]


def build_template(spec):
    """Build the template network, per-sample loss and optimizer of ``spec``.

    Parameters
    ----------
    spec : NetSpec
        Architecture, loss and optimizer.

    Returns
    -------
    model : keras.Sequential
        The template network; trainers load each fit's weights into it.
    loss : keras.losses.Loss
        The loss, unreduced (one value per row).
    optimizer : keras.optimizers.Optimizer
        The optimizer, built on the model's trainable variables.
    """
    model = build_mlp(spec.n_features, spec.n_outputs, **spec.build_kwargs())
    loss_cls = LOSSES[spec.loss][0]
    loss = loss_cls(reduction=None, dtype=spec.dtype, **dict(spec.loss_kwargs))
    optimizer = OPTIMIZERS[spec.optimizer](**dict(spec.optimizer_kwargs))
    optimizer.build(model.trainable_variables)
    return model, loss, optimizer
