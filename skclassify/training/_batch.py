"""Per-batch maths shared by the TensorFlow and JAX loops (in ``keras.ops``).

Targets reach the compiled loops compactly, as class indices (or multilabel
indicator rows), and are expanded to what the loss needs one batch at a time:
a one-hot copy of a 25,600 x 256 target never exists on the host.
"""

from .._compat._keras import import_keras

keras = import_keras()
ops = keras.ops

__all__ = ["batch_loss", "correct", "dense_target"]


def dense_target(spec, codes, dtype):
    """The loss' targets for a batch of class indices (or indicator rows)."""
    if spec.multilabel:
        dense = ops.cast(codes, dtype)
    elif spec.encoding == "integer":
        return codes
    elif spec.n_outputs == 1:
        dense = ops.expand_dims(ops.cast(codes, dtype), 1)
    else:
        dense = ops.one_hot(codes, spec.n_outputs, dtype=dtype)
    return dense * 2 - 1 if spec.encoding == "signed" else dense


def batch_loss(spec, loss_fn, codes, out, w, kernels, alpha):
    """scikit-learn's batch loss: weighted mean loss + L2 penalty.

    ``0.5 * alpha * sum(kernel ** 2) / sum(w)`` is added, as in
    ``MLPClassifier._backprop`` (intercepts are not penalised). Returns the
    loss and the batch's total weight.
    """
    per_row = loss_fn(dense_target(spec, codes, out.dtype), out)
    if spec.multilabel:
        # Keras averages over the labels; scikit-learn's loss sums over them
        per_row = per_row * spec.n_outputs
    total_w = ops.sum(w)
    safe_w = ops.maximum(total_w, 1e-12)
    loss = ops.sum(per_row * w) / safe_w
    if kernels:
        squares = sum(ops.sum(ops.square(k)) for k in kernels)
        loss = loss + 0.5 * alpha * squares / safe_w
    return loss, total_w


def correct(spec, codes, out):
    """1.0 where the batch's prediction is right (all labels, if multilabel)."""
    if spec.multilabel:
        hit = ops.all(
            ops.equal(out > spec.threshold, ops.cast(codes, out.dtype) > 0.5), axis=1
        )
    elif spec.n_outputs == 1:
        hit = ops.equal(out[:, 0] > spec.threshold, ops.equal(codes, 1))
    else:
        hit = ops.equal(first_argmax(out, codes.dtype), codes)
    return ops.cast(hit, out.dtype)


def first_argmax(out, dtype):
    """``argmax(out, axis=1)``: the first column holding the row's maximum.

    Written as a max and a min reduction: XLA's CPU argmax is a variadic
    reduction that does not vectorise, and with 256 classes it alone cost a
    quarter of a small net's training step (measured on JAX).
    """
    n = out.shape[1]
    columns = ops.arange(n, dtype=dtype)
    top = ops.max(out, axis=1, keepdims=True)
    return ops.min(ops.where(ops.equal(out, top), columns, n), axis=1)
