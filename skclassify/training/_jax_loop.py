"""Whole-epoch training compiled with ``jax.jit`` and ``lax.scan``.

The JAX counterpart of :mod:`skclassify.training._tf_loop`: Keras' stateless
API (``stateless_call``, ``stateless_apply``) inside one jitted function per
architecture that scans over epochs and mini-batches. Keras' ``Model.fit``
dispatches one jitted step per batch from Python; here a whole chunk of epochs
is a single device call.
"""

import threading

import numpy as np

from .._compat._keras import import_keras
from ._batch import batch_loss, correct
from ._callbacks import call_training

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
        self.model = spec.build_model()
        self.loss = spec.make_loss()
        self.optimizer = spec.make_optimizer()
        self.optimizer.build(self.model.trainable_variables)
        self._optimizer_init = [np.asarray(v.value) for v in self.optimizer.variables]
        self._lr_index = next(
            (
                i
                for i, v in enumerate(self.optimizer.variables)
                if v.name == "learning_rate"
            ),
            None,  # a LearningRateSchedule (part of the spec) sets the rate
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
        if (
            optimizer_state is None
            and learning_rate is not None
            and self._lr_index is not None
        ):
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
    def _loss(self, trainable, non_trainable, x, y, w, alpha):
        out, non_trainable, extra = call_training(
            self.model.stateless_call,
            self.model,
            trainable,
            non_trainable,
            x,
            mask=w > 0,
            return_losses=True,
        )
        kernels = [trainable[i] for i in self._kernels]
        loss, total_w = batch_loss(self.spec, self.loss, y, out, w, kernels, alpha)
        if extra:  # regularizers, add_loss (as Keras adds them)
            loss = loss + sum(extra)
        return loss, (out, non_trainable, total_w)

    def _train_epochs(self, state, X, Y, W, idx, counts, alpha):
        # Loops of dynamic length over the padded ``idx``, whose shape stays
        # fixed across a fit's chunks: one compile serves them all.
        import jax
        import jax.numpy as jnp

        grad_fn = jax.value_and_grad(self._loss, has_aux=True)
        n_epochs, n_batches = counts[0], counts[1]

        def batch_step(epoch, batch, carry):
            (trainable, non_trainable, opt), sums = carry
            rows = idx[epoch, batch]
            mask = (rows >= 0).astype(X.dtype)
            rows = jnp.maximum(rows, 0)
            xb, yb, wb = X[rows], Y[rows], W[rows] * mask
            (loss, (out, non_trainable, total_w)), grads = grad_fn(
                trainable, non_trainable, xb, yb, wb, alpha
            )
            trainable, opt = self.optimizer.stateless_apply(opt, grads, trainable)
            n_rows = jnp.sum(mask)
            hits = jnp.sum(correct(self.spec, yb, out) * wb)
            sums = sums + jnp.stack([loss * n_rows, hits, total_w, n_rows])
            return (trainable, non_trainable, opt), sums

        def epoch_step(epoch, carry):
            state, losses, accuracies = carry
            state, sums = jax.lax.fori_loop(
                0,
                n_batches,
                lambda batch, c: batch_step(epoch, batch, c),
                (state, jnp.zeros(4, X.dtype)),
            )
            # scikit-learn's epoch loss: batch losses weighted by their rows
            losses = losses.at[epoch].set(sums[0] / jnp.maximum(sums[3], 1e-12))
            accuracies = accuracies.at[epoch].set(sums[1] / jnp.maximum(sums[2], 1e-12))
            return state, losses, accuracies

        empty = jnp.zeros(idx.shape[0], X.dtype)
        return jax.lax.fori_loop(0, n_epochs, epoch_step, (state, empty, empty))

    def _evaluate_fn(self, trainable, non_trainable, X, Y, W):
        import jax.numpy as jnp

        out, _ = self.model.stateless_call(trainable, non_trainable, X)
        hits = jnp.sum(correct(self.spec, Y, out) * W)
        return hits / jnp.maximum(jnp.sum(W), 1e-12)

    def _forward_fn(self, trainable, non_trainable, X):
        outputs, _ = self.model.stateless_call(trainable, non_trainable, X)
        return outputs

    def close(self):
        """Nothing to free: jitted functions go with the trainer."""

    # -- public calls ----------------------------------------------------------------
    def to_device(self, *arrays):
        """Device arrays of ``arrays``, made once per fit and reused by every call."""
        import jax.numpy as jnp

        return tuple(jnp.asarray(a) for a in arrays)

    def train_epochs(self, X, Y, W, idx, counts, alpha=0.0):
        """Run ``counts = (epochs, batches)`` of ``idx``: per-epoch loss, accuracy."""
        alpha = np.asarray(alpha, dtype=self.spec.dtype)
        counts = np.asarray(counts, dtype=np.int32)
        self._state, losses, accuracies = self._train(
            self._state, X, Y, W, idx, counts, alpha
        )
        return np.asarray(losses)[: counts[0]], np.asarray(accuracies)[: counts[0]]

    def evaluate(self, X, Y, W):
        """Weighted accuracy of the current weights on (X, Y)."""
        return float(self._evaluate(self._state[0], self._state[1], X, Y, W))

    def predict(self, weights, X):
        """Raw network outputs for ``X`` with the given trainable weights."""
        non_trainable = [v.value for v in self.model.non_trainable_variables]
        return np.asarray(self._forward(list(weights), non_trainable, X))

    # -- model state, learning rate and logs (callbacks, validation) -------------
    def _state_positions(self):
        return [
            i
            for i, v in enumerate(self.model.non_trainable_variables)
            if v.name != "seed_generator_state"
        ]

    def get_model_state(self):
        """Non-trainable variables (BatchNormalization statistics, frozen layers)."""
        return [np.asarray(self._state[1][i]) for i in self._state_positions()]

    def set_model_state(self, values):
        """Load non-trainable variables (in ``get_model_state``'s order)."""
        import jax.numpy as jnp

        non_trainable = list(self._state[1])
        for i, value in zip(self._state_positions(), values, strict=True):
            non_trainable[i] = jnp.asarray(value)
        self._state = (self._state[0], non_trainable, self._state[2])

    def get_weights(self):
        """Current trainable weights, as numpy arrays (no optimizer state)."""
        return [np.asarray(w) for w in self._state[0]]

    def set_weights(self, weights):
        """Load trainable weights, keeping the optimizer's state."""
        import jax.numpy as jnp

        self._state = ([jnp.asarray(w) for w in weights], *self._state[1:])

    def get_learning_rate(self):
        """The optimizer's current learning rate."""
        return float(np.asarray(self._state[2][self._lr_index]))

    def set_learning_rate(self, learning_rate):
        """Change the learning rate of the following steps."""
        import jax.numpy as jnp

        opt = list(self._state[2])
        opt[self._lr_index] = jnp.asarray(learning_rate, opt[self._lr_index].dtype)
        self._state = (self._state[0], self._state[1], opt)

    def evaluate_logs(self, X, Y, W, alpha=0.0):
        """Keras-style ``(loss, accuracy)`` of the current weights on (X, Y)."""
        import jax

        if not hasattr(self, "_evaluate_logs"):
            self._evaluate_logs = jax.jit(self._evaluate_logs_fn)
        alpha = np.asarray(alpha, dtype=self.spec.dtype)
        loss, accuracy = self._evaluate_logs(
            self._state[0], self._state[1], X, Y, W, alpha
        )
        return float(loss), float(accuracy)

    def _evaluate_logs_fn(self, trainable, non_trainable, X, Y, W, alpha):
        import jax.numpy as jnp

        out, _, extra = self.model.stateless_call(
            trainable, non_trainable, X, return_losses=True
        )
        kernels = [trainable[i] for i in self._kernels]
        loss, total_w = batch_loss(self.spec, self.loss, Y, out, W, kernels, alpha)
        if extra:
            loss = loss + sum(extra)
        hits = jnp.sum(correct(self.spec, Y, out) * W)
        return loss, hits / jnp.maximum(total_w, 1e-12)

    def predict_with_state(self, weights, state, X):
        """Raw outputs for ``X`` with given trainable and non-trainable weights."""
        values = iter(state)
        non_trainable = [
            v.value if v.name == "seed_generator_state" else next(values)
            for v in self.model.non_trainable_variables
        ]
        return np.asarray(self._forward(list(weights), non_trainable, X))
