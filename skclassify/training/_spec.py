"""The hashable description of a network and its training objective."""

from dataclasses import dataclass

__all__ = ["NetSpec"]


@dataclass(frozen=True)
class NetSpec:
    """Everything that fixes the shape of a compiled training step.

    Two fits with equal specs reuse one compiled training function; anything
    that only changes numbers (weights, learning rate, data, seeds) is not
    part of the spec.
    """

    n_features: int
    n_outputs: int
    hidden_layer_sizes: tuple
    activation: str
    output_activation: str
    alpha: float
    dropout: float
    use_bias: bool
    dtype: str
    loss: str
    loss_kwargs: tuple
    optimizer: str
    optimizer_kwargs: tuple
    #: decision threshold of a single output unit (None with several units)
    threshold: float | None

    def build_kwargs(self) -> dict:
        """Keyword arguments for :func:`skclassify.model.build_mlp`."""
        return {
            "hidden_layer_sizes": self.hidden_layer_sizes,
            "activation": self.activation,
            "output_activation": self.output_activation,
            "alpha": self.alpha,
            "dropout": self.dropout,
            "use_bias": self.use_bias,
            "dtype": self.dtype,
        }
