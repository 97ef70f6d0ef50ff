"""The hashable description of a network: the key of its compiled training loop."""

from dataclasses import dataclass

from ..objectives import make_loss, make_optimizer

__all__ = ["NetSpec"]


@dataclass(frozen=True)
class NetSpec:
    """Everything that fixes the shape of a compiled training step of an MLP.

    Two fits with equal specs reuse one compiled training loop; anything that
    only changes numbers (weights, learning rate, ``alpha``, data, seeds) is not
    part of the spec. A trainer needs ``build_model``, ``make_loss``,
    ``make_optimizer`` and the target fields below from any spec.
    """

    n_features: int
    n_outputs: int
    hidden_layer_sizes: tuple
    activation: str
    output_activation: str
    dropout: float
    use_bias: bool
    dtype: str
    loss: str
    loss_kwargs: tuple
    optimizer: str
    optimizer_kwargs: tuple
    #: target encoding of the loss ("onehot", "integer", "binary", "signed")
    encoding: str
    #: whether targets are multilabel indicator rows (else class indices)
    multilabel: bool
    #: output value that decides a single unit's class (None with argmax)
    threshold: float | None

    def build_model(self):
        """The (uncompiled) Keras network; see :func:`skclassify.model.build_mlp`."""
        from ._mlp import build_mlp

        return build_mlp(self)

    def make_loss(self):
        """The unreduced Keras loss with its routed arguments."""
        return make_loss(self.loss, self.loss_kwargs, self.dtype)

    def make_optimizer(self):
        """The Keras optimizer with its routed arguments."""
        return make_optimizer(self.optimizer, self.optimizer_kwargs)
