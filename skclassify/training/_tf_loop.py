"""Whole-epoch training compiled into one ``tf.function`` per architecture.

Keras' ``Model.fit`` wraps numpy input in a new ``tf.data`` pipeline every
epoch and traces a new train function for every new model. Here a *template*
network is built once per :class:`NetSpec`; its training loop (all epochs of a
chunk, all mini-batches) is one function, traced once and compiled by XLA
(``jit_compile=True``, which fuses each step's many tiny operations: about six
times faster than the plain graph on small nets, and faster on large ones), and
every later fit of the same architecture only assigns new initial weights and
calls it again. XLA compiles once per input shape; the driver pads the data to
a few row counts so that folds of a cross-validation share one executable.
"""

import threading

import numpy as np

from .._compat._cache import load_compiled, publish_compiled
from .._compat._keras import eager_context, import_keras
from ._batch import batch_loss, correct
from ._callbacks import call_training

keras = import_keras()

__all__ = ["TFTrainer"]


class TFTrainer:
    """Compiled training and evaluation of one network architecture.

    Not for direct use: :func:`skclassify.training.train_network` drives it.
    Calls are serialised by a lock, so threads may share a trainer.

    Parameters
    ----------
    spec : NetSpec
        Architecture, loss and optimizer.
    """

    def __init__(self, spec):
        import tensorflow as tf

        load_compiled()  # what other processes compiled, before our first compile
        self.spec = spec
        self.lock = threading.Lock()
        self.model = spec.build_model()
        self.loss = spec.make_loss()
        self.optimizer = spec.make_optimizer()
        self.optimizer.build(self.model.trainable_variables)
        self._optimizer_init = [v.numpy() for v in self.optimizer.variables]
        # a LearningRateSchedule (part of the spec) sets the rate itself
        self._scheduled = isinstance(
            self.optimizer._learning_rate,
            keras.optimizers.schedules.LearningRateSchedule,
        )
        self._default_lr = float(self.optimizer.learning_rate.numpy())
        self._kernels = [v for v in self.model.trainable_variables if len(v.shape) == 2]
        self._seed_states = [
            layer.seed_generator.state
            for layer in self.model.layers
            if hasattr(layer, "seed_generator")
        ]
        dtype = spec.dtype
        y_spec = (
            tf.TensorSpec([None, spec.n_outputs], dtype)
            if spec.multilabel
            else tf.TensorSpec([None], tf.int32)
        )
        x_spec = tf.TensorSpec([None, spec.n_features], dtype)
        w_spec = tf.TensorSpec([None], dtype)
        idx_spec = tf.TensorSpec([None, None, None], tf.int32)
        counts_spec = tf.TensorSpec([2], tf.int32)
        alpha_spec = tf.TensorSpec([], dtype)
        self._train = tf.function(
            self._train_epochs,
            input_signature=[x_spec, y_spec, w_spec, idx_spec, counts_spec, alpha_spec],
            autograph=False,
            jit_compile=True,
        )
        self._evaluate = tf.function(
            self._evaluate_graph,
            input_signature=[x_spec, y_spec, w_spec],
            autograph=False,
        )
        weight_specs = [
            tf.TensorSpec(v.shape, dtype) for v in self.model.trainable_variables
        ]
        self._forward = tf.function(
            self._forward_graph,
            input_signature=[weight_specs, x_spec],
            autograph=False,
        )

    # -- state -----------------------------------------------------------------
    def set_state(self, weights, optimizer_state=None, learning_rate=None, seed=0):
        """Load weights and optimizer state (fresh when None) into the template."""
        for var, value in zip(self.model.trainable_variables, weights, strict=True):
            var.assign(value)
        state = self._optimizer_init if optimizer_state is None else optimizer_state
        for var, value in zip(self.optimizer.variables, state, strict=True):
            var.assign(value)
        if optimizer_state is None and not self._scheduled:
            lr = self._default_lr if learning_rate is None else learning_rate
            self.optimizer.learning_rate.assign(lr)
        for i, state_var in enumerate(self._seed_states):
            state_var.assign(np.array([seed + i, 0], dtype=state_var.dtype))

    def get_state(self):
        """Current weights and optimizer state, as numpy arrays."""
        weights = [v.numpy() for v in self.model.trainable_variables]
        return weights, [v.numpy() for v in self.optimizer.variables]

    # -- compiled graphs -----------------------------------------------------------
    def _train_epochs(self, X, Y, W, idx, counts, alpha):
        # Written with explicit tf.while_loop (autograph off): tracing is then
        # about three times cheaper, which is most of a first fit's cost. The
        # loops run counts = (epochs, batches) of the padded ``idx``, whose shape
        # stays fixed across a fit's chunks and similar folds: one XLA compile.
        import tensorflow as tf

        n_epochs, n_batches = counts[0], counts[1]
        dtype = X.dtype
        variables = self.model.trainable_variables
        zero = tf.zeros((), dtype)

        def batch_step(batch, epoch, loss_sum, correct_sum, weight_sum, row_sum):
            rows = idx[epoch, batch]
            mask = tf.cast(rows >= 0, dtype)
            rows = tf.maximum(rows, 0)
            xb, yb = tf.gather(X, rows), tf.gather(Y, rows)
            wb = tf.gather(W, rows) * mask
            with tf.GradientTape() as tape:
                out = call_training(self.model, self.model, xb, mask=mask)
                loss, total_w = batch_loss(
                    self.spec, self.loss, yb, out, wb, self._kernels, alpha
                )
                if self.model.losses:  # regularizers, add_loss (as Keras adds them)
                    loss = loss + tf.add_n(self.model.losses)
            grads = tape.gradient(loss, variables)
            self.optimizer.apply(grads, variables)
            n_rows = tf.reduce_sum(mask)
            return (
                batch + 1,
                epoch,
                loss_sum + loss * n_rows,  # scikit-learn's epoch loss
                correct_sum + tf.reduce_sum(correct(self.spec, yb, out) * wb),
                weight_sum + total_w,
                row_sum + n_rows,
            )

        def epoch_step(epoch, losses, accuracies):
            _, _, loss_sum, correct_sum, weight_sum, row_sum = tf.while_loop(
                lambda batch, *_: batch < n_batches,
                batch_step,
                (tf.constant(0), epoch, zero, zero, zero, zero),
            )
            return (
                epoch + 1,
                losses.write(epoch, tf.math.divide_no_nan(loss_sum, row_sum)),
                accuracies.write(epoch, tf.math.divide_no_nan(correct_sum, weight_sum)),
            )

        _, losses, accuracies = tf.while_loop(
            lambda epoch, *_: epoch < n_epochs,
            epoch_step,
            (
                tf.constant(0),
                tf.TensorArray(dtype, size=tf.shape(idx)[0]),
                tf.TensorArray(dtype, size=tf.shape(idx)[0]),
            ),
        )
        return losses.stack(), accuracies.stack()

    def _evaluate_graph(self, X, Y, W):
        import tensorflow as tf

        out = self.model(X, training=False)
        total_w = tf.reduce_sum(W)
        hits = tf.reduce_sum(correct(self.spec, Y, out) * W)
        return tf.math.divide_no_nan(hits, total_w)

    def _forward_graph(self, weights, X):
        # Stateless: any weights of this architecture, no lock needed.
        non_trainable = [v.value for v in self.model.non_trainable_variables]
        outputs, _ = self.model.stateless_call(weights, non_trainable, X)
        return outputs

    def close(self):
        """Free the loop bodies TensorFlow would otherwise keep forever.

        TensorFlow removes a traced function from its runtime when the
        function is garbage-collected, but not the ``while_body``/``while_cond``
        functions of its loops: without this, every evicted architecture would
        leave a few MB behind (a sweep over a thousand architectures would
        grow by gigabytes).
        """
        runtime = eager_context()  # no public API for this
        for function in (self._train, self._evaluate, self._forward):
            if function.experimental_get_tracing_count() == 0:
                continue
            graph = function.get_concrete_function().graph.as_graph_def()
            for definition in graph.library.function:
                name = definition.signature.name
                if name.startswith("while") and runtime.has_function(name):
                    runtime.remove_function(name)

    # -- public calls ----------------------------------------------------------------
    def to_device(self, *arrays):
        """Tensors of ``arrays``, made once per fit and reused by every call."""
        import tensorflow as tf

        return tuple(tf.convert_to_tensor(a) for a in arrays)

    def train_epochs(self, X, Y, W, idx, counts, alpha=0.0):
        """Run ``counts = (epochs, batches)`` of ``idx``: per-epoch loss, accuracy."""
        alpha = np.asarray(alpha, dtype=self.spec.dtype)
        counts = np.asarray(counts, dtype=np.int32)
        losses, accuracies = self._train(X, Y, W, idx, counts, alpha)
        publish_compiled()  # share a new compile with other processes
        return losses.numpy()[: counts[0]], accuracies.numpy()[: counts[0]]

    def predict(self, weights, X):
        """Raw network outputs for ``X`` with the given trainable weights."""
        return self._forward(list(weights), X).numpy()

    def evaluate(self, X, Y, W):
        """Weighted accuracy of the current weights on (X, Y)."""
        return float(self._evaluate(X, Y, W))

    # -- model state, learning rate and logs (callbacks, validation) -------------
    def _state_variables(self):
        return [
            v
            for v in self.model.non_trainable_variables
            if v.name != "seed_generator_state"
        ]

    def get_model_state(self):
        """Non-trainable variables (BatchNormalization statistics, frozen layers)."""
        return [v.numpy() for v in self._state_variables()]

    def set_model_state(self, values):
        """Load non-trainable variables (in ``get_model_state``'s order)."""
        for var, value in zip(self._state_variables(), values, strict=True):
            var.assign(value)

    def get_weights(self):
        """Current trainable weights, as numpy arrays (no optimizer state)."""
        return [v.numpy() for v in self.model.trainable_variables]

    def set_weights(self, weights):
        """Load trainable weights, keeping the optimizer's state."""
        for var, value in zip(self.model.trainable_variables, weights, strict=True):
            var.assign(value)

    def get_learning_rate(self):
        """The optimizer's current learning rate."""
        return float(self.optimizer.learning_rate.numpy())

    def set_learning_rate(self, learning_rate):
        """Change the learning rate of the following steps."""
        self.optimizer.learning_rate.assign(learning_rate)

    def evaluate_logs(self, X, Y, W, alpha=0.0):
        """Keras-style ``(loss, accuracy)`` of the current weights on (X, Y)."""
        import tensorflow as tf

        if not hasattr(self, "_evaluate_logs"):
            self._evaluate_logs = tf.function(self._evaluate_logs_graph)
        alpha = np.asarray(alpha, dtype=self.spec.dtype)
        loss, accuracy = self._evaluate_logs(X, Y, W, alpha)
        return float(loss), float(accuracy)

    def _evaluate_logs_graph(self, X, Y, W, alpha):
        import tensorflow as tf

        out = self.model(X, training=False)
        loss, total_w = batch_loss(
            self.spec, self.loss, Y, out, W, self._kernels, alpha
        )
        if self.model.losses:
            loss = loss + tf.add_n(self.model.losses)
        hits = tf.reduce_sum(correct(self.spec, Y, out) * W)
        return loss, tf.math.divide_no_nan(hits, total_w)

    def predict_with_state(self, weights, state, X):
        """Raw outputs for ``X`` with given trainable and non-trainable weights."""
        import tensorflow as tf

        if not state:
            return self.predict(weights, X)
        if not hasattr(self, "_forward_state"):
            self._forward_state = tf.function(self._forward_state_graph)
        return self._forward_state(list(weights), list(state), X).numpy()

    def _forward_state_graph(self, weights, state, X):
        values = iter(state)
        non_trainable = [
            v.value if v.name == "seed_generator_state" else next(values)
            for v in self.model.non_trainable_variables
        ]
        outputs, _ = self.model.stateless_call(weights, non_trainable, X)
        return outputs
