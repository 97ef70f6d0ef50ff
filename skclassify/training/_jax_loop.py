"""Whole-epoch training compiled with ``jax.jit`` and ``lax.scan``.

The JAX counterpart of :mod:`skclassify.training._tf_loop`: Keras' stateless
API (``stateless_call``, ``stateless_apply``) inside one jitted function per
architecture that scans over epochs and mini-batches. Keras' ``Model.fit``
dispatches one jitted step per batch from Python; here a whole chunk of epochs
is a single device call.
"""

import threading

import numpy as np

from .._backend import import_keras
from ._template import build_template

keras = import_keras()

__all__ = ["JaxTrainer"]


class JaxTrainer:
    """Compiled training and evaluation of one architecture on JAX.

    Same interface as :class:`~skclassify.training._tf_loop.TFTrainer`.

    Parameters
    ----------
    spec : NetSpec
        Architecture, loss and optimizer.
    """

    def __init__(self, spec):
        import jax

        self.spec = spec
        self.lock = threading.Lock()
        self.model, self.loss, self.optimizer = build_template(spec)
        self._optimizer_init = [np.asarray(v.value) for v in self.optimizer.variables]
        self._lr_index = next(
            i
            for i, v in enumerate(self.optimizer.variables)
            if v.name == "learning_rate"
        )
        self._kernels = [
            i for i, v in enumerate(self.model.trainable_variables) if len(v.shape) == 2
        ]
        self._train = jax.jit(self._train_epochs)
        self._evaluate = jax.jit(self._evaluate_fn)
        self._forward = jax.jit(self._forward_fn)
        self._state = None

    # -- state -----------------------------------------------------------------
    def set_state(self, weights, optimizer_state=None, learning_rate=None, seed=0):
        """Load weights and optimizer state (fresh when None)."""
        import jax.numpy as jnp

        opt = list(self._optimizer_init if optimizer_state is None else optimizer_state)
        if optimizer_state is None and learning_rate is not None:
            opt[self._lr_index] = np.asarray(learning_rate, opt[self._lr_index].dtype)
        non_trainable = [
            np.array([seed + i, 0], dtype=v.dtype)
            if v.name == "seed_generator_state"
            else np.asarray(v.value)
            for i, v in enumerate(self.model.non_trainable_variables)
        ]
        self._state = tuple(
            [jnp.asarray(a) for a in group] for group in (weights, non_trainable, opt)
        )

    def get_state(self):
        """Current weights and optimizer state, as numpy arrays."""
        weights, _, opt = self._state
        return [np.asarray(w) for w in weights], [np.asarray(v) for v in opt]

    # -- compiled functions -------------------------------------------------------
    def _loss(self, trainable, non_trainable, x, y, w):
        import jax.numpy as jnp

        out, non_trainable = self.model.stateless_call(
            trainable, non_trainable, x, training=True
        )
        total_w = jnp.sum(w)
        loss = jnp.sum(self.loss(y, out) * w) / jnp.maximum(total_w, 1e-12)
        if self.spec.alpha > 0:
            loss += self.spec.alpha * sum(
                jnp.sum(trainable[i] ** 2) for i in self._kernels
            )
        return loss, (out, non_trainable, total_w)

    def _correct(self, y, out):
        import jax.numpy as jnp

        if self.spec.threshold is not None:
            hit = (out[:, 0] > self.spec.threshold) == (y[:, 0] > self.spec.threshold)
        else:
            true = y if y.ndim == 1 else jnp.argmax(y, axis=1)
            hit = jnp.argmax(out, axis=1) == true
        return hit.astype(out.dtype)

    def _train_epochs(self, state, X, Y, W, idx):
        import jax
        import jax.numpy as jnp

        grad_fn = jax.value_and_grad(self._loss, has_aux=True)

        def batch_step(carry, rows):
            (trainable, non_trainable, opt), sums = carry
            mask = (rows >= 0).astype(X.dtype)
            rows = jnp.maximum(rows, 0)
            xb, yb, wb = X[rows], Y[rows], W[rows] * mask
            (loss, (out, non_trainable, total_w)), grads = grad_fn(
                trainable, non_trainable, xb, yb, wb
            )
            trainable, opt = self.optimizer.stateless_apply(opt, grads, trainable)
            sums = sums + jnp.stack(
                [loss * total_w, jnp.sum(self._correct(yb, out) * wb), total_w]
            )
            return ((trainable, non_trainable, opt), sums), None

        def epoch_step(state, epoch_rows):
            (state, sums), _ = jax.lax.scan(
                batch_step, (state, jnp.zeros(3, X.dtype)), epoch_rows
            )
            total = jnp.maximum(sums[2], 1e-12)
            return state, (sums[0] / total, sums[1] / total)

        state, (losses, accuracies) = jax.lax.scan(epoch_step, state, idx)
        return state, losses, accuracies

    def _evaluate_fn(self, trainable, non_trainable, X, Y, W):
        loss, (out, _, total_w) = self._loss(trainable, non_trainable, X, Y, W)
        import jax.numpy as jnp

        return loss, jnp.sum(self._correct(Y, out) * W) / jnp.maximum(total_w, 1e-12)

    def _forward_fn(self, trainable, non_trainable, X):
        outputs, _ = self.model.stateless_call(trainable, non_trainable, X)
        return outputs

    def close(self):
        """Nothing to free: jitted functions go with the trainer."""

    # -- public calls ----------------------------------------------------------------
    def train_epochs(self, X, Y, W, idx):
        """Run ``idx.shape[0]`` epochs; return per-epoch (losses, accuracies)."""
        self._state, losses, accuracies = self._train(self._state, X, Y, W, idx)
        return np.asarray(losses), np.asarray(accuracies)

    def evaluate(self, X, Y, W):
        """Weighted mean loss and accuracy of the current weights on (X, Y)."""
        loss, acc = self._evaluate(self._state[0], self._state[1], X, Y, W)
        return float(loss), float(acc)

    def predict(self, weights, X):
        """Raw network outputs for ``X`` with the given trainable weights."""
        non_trainable = [v.value for v in self.model.non_trainable_variables]
        return np.asarray(self._forward(list(weights), non_trainable, X))
