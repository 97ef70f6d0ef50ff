"""The yardstick of speed.py: hand-written training loops, one per backend.

Each loop does exactly the work of a warm ``KerasMLPClassifier`` fit and
nothing more: the same net (hidden layers with ``activation``, a softmax
output), the same mini-batches (a new permutation of the rows every epoch,
``min(200, n)`` rows per batch, the last batch ragged and masked), the same
loss (weighted mean cross-entropy plus scikit-learn's L2 penalty ``alpha``),
Keras' Adam with its defaults, and each epoch's mean loss (what the stopping
rule needs) as the only output. Weights are drawn on the host (Glorot
uniform) and the permutations too, as skclassify draws them.

The cross-entropy is computed as Keras computes it on each backend:
TensorFlow's takes the logits behind the softmax (``loss="logits"``); JAX's
renormalises the probabilities, clips them to ``[1e-7, 1 - 1e-7]`` and takes
their log (``loss="probabilities"``; the clipping also stops the gradient of
a row whose probability is clipped). Under JAX the logits form is timed too,
to show what that costs.

* :func:`jax_loop`: ``jax.jit`` + ``lax.scan`` over epochs and batches;
* :func:`tf_loop`: one ``tf.function(jit_compile=True)`` with
  ``tf.while_loop`` over epochs and batches.

Run as a script, it times skclassify against the loop of the active Keras
backend (``KERAS_BACKEND``), interleaved, and prints one JSON line per size:
``python benchmarks/_speed_yardstick.py --sizes 2560x20 25600x2 --repeats 5``.
The backend is fixed when Keras is imported, so speed.py runs it once per
backend in a subprocess (:func:`bench_yardstick` in speed.py).
"""

import argparse
import json
import time

import numpy as np

#: Keras' Adam defaults, and scikit-learn's default L2 penalty.
LEARNING_RATE, BETA_1, BETA_2, EPSILON, ALPHA = 1e-3, 0.9, 0.999, 1e-7, 1e-4


def _glorot(rng, shapes):
    weights = []
    for n_in, n_out in shapes:
        limit = np.sqrt(6.0 / (n_in + n_out))
        weights.append(rng.uniform(-limit, limit, (n_in, n_out)).astype("float32"))
        weights.append(np.zeros(n_out, "float32"))
    return weights


def _epochs(rng, n, size, epochs):
    """Row indices (epochs, batches, size) and their 0/1 weights (padding: 0)."""
    n_batches = -(-n // size)
    idx = np.zeros((epochs, n_batches * size), np.int32)
    mask = np.zeros((epochs, n_batches * size), np.float32)
    for e in range(epochs):
        idx[e, :n] = rng.permutation(n)
        mask[e, :n] = 1.0
    return idx.reshape(epochs, n_batches, size), mask.reshape(epochs, n_batches, size)


def _layer_shapes(n_features, hidden, n_classes):
    sizes = [n_features, *hidden, n_classes]
    return list(zip(sizes[:-1], sizes[1:], strict=True))


def jax_loop(X, y, hidden, activation, epochs, batch_size=200, loss="probabilities"):
    """A warm hand-written JAX fit: ``fit(seed) -> per-epoch losses``."""
    import jax
    import jax.numpy as jnp

    act = {"relu": jax.nn.relu, "sigmoid": jax.nn.sigmoid}[activation]
    n, n_classes = len(X), int(y.max()) + 1
    size = min(batch_size, n)
    shapes = _layer_shapes(X.shape[1], hidden, n_classes)
    Xd, yd = jnp.asarray(X, jnp.float32), jnp.asarray(y, jnp.int32)

    def loss_fn(params, xb, yb, wb):
        h = xb
        for k in range(0, len(params) - 2, 2):
            h = act(h @ params[k] + params[k + 1])
        logits = h @ params[-2] + params[-1]
        if loss == "logits":
            log_p = jax.nn.log_softmax(logits)
        else:  # Keras' categorical_crossentropy on JAX
            p = jax.nn.softmax(logits)
            p = p / jnp.sum(p, axis=1, keepdims=True)
            log_p = jnp.log(jnp.clip(p, EPSILON, 1 - EPSILON))
        nll = -jnp.sum(jax.nn.one_hot(yb, n_classes) * log_p, axis=1)
        total = jnp.maximum(jnp.sum(wb), 1e-12)
        l2 = sum(jnp.sum(jnp.square(params[k])) for k in range(0, len(params), 2))
        return (jnp.sum(nll * wb) + 0.5 * ALPHA * l2) / total

    grad_fn = jax.value_and_grad(loss_fn)

    @jax.jit
    def train(params, idx, mask):
        zeros = [jnp.zeros_like(p) for p in params]

        def batch(carry, inputs):
            params, m, v, t = carry
            rows, wb = inputs
            loss, grads = grad_fn(params, Xd[rows], yd[rows], wb)
            t = t + 1
            lr = LEARNING_RATE * jnp.sqrt(1 - BETA_2**t) / (1 - BETA_1**t)
            m = [a + (g - a) * (1 - BETA_1) for a, g in zip(m, grads, strict=True)]
            v = [a + (g * g - a) * (1 - BETA_2) for a, g in zip(v, grads, strict=True)]
            params = [
                p - lr * a / (jnp.sqrt(b) + EPSILON)
                for p, a, b in zip(params, m, v, strict=True)
            ]
            return (params, m, v, t), loss * jnp.sum(wb)

        def epoch(carry, inputs):
            carry, weighted = jax.lax.scan(batch, carry, inputs)
            return carry, jnp.sum(weighted) / n

        carry = (params, zeros, zeros, jnp.zeros((), jnp.float32))
        return jax.lax.scan(epoch, carry, (idx, mask))[1]

    def fit(seed):
        rng = np.random.RandomState(seed)
        params = [jnp.asarray(w) for w in _glorot(rng, shapes)]
        idx, mask = _epochs(rng, n, size, epochs)
        return np.asarray(train(params, jnp.asarray(idx), jnp.asarray(mask)))

    return fit


def tf_loop(X, y, hidden, activation, epochs, batch_size=200, loss="logits"):
    """A warm hand-written TensorFlow fit: ``fit(seed) -> per-epoch losses``."""
    import tensorflow as tf

    act = {"relu": tf.nn.relu, "sigmoid": tf.sigmoid}[activation]
    n, n_classes = len(X), int(y.max()) + 1
    size = min(batch_size, n)
    shapes = _layer_shapes(X.shape[1], hidden, n_classes)
    Xd, yd = tf.constant(X, tf.float32), tf.constant(y, tf.int32)
    params = [tf.Variable(w) for w in _glorot(np.random.RandomState(0), shapes)]
    m = [tf.Variable(tf.zeros_like(p)) for p in params]
    v = [tf.Variable(tf.zeros_like(p)) for p in params]
    step = tf.Variable(0.0)

    def loss_fn(xb, yb, wb):
        h = xb
        for k in range(0, len(params) - 2, 2):
            h = act(h @ params[k] + params[k + 1])
        logits = h @ params[-2] + params[-1]
        if loss == "logits":  # Keras' categorical_crossentropy on TensorFlow
            nll = tf.nn.sparse_softmax_cross_entropy_with_logits(yb, logits)
        else:
            p = tf.nn.softmax(logits)
            p = p / tf.reduce_sum(p, axis=1, keepdims=True)
            log_p = tf.math.log(tf.clip_by_value(p, EPSILON, 1 - EPSILON))
            nll = -tf.reduce_sum(tf.one_hot(yb, n_classes) * log_p, axis=1)
        total = tf.maximum(tf.reduce_sum(wb), 1e-12)
        l2 = tf.add_n([tf.reduce_sum(tf.square(p)) for p in params[::2]])
        return (tf.reduce_sum(nll * wb) + 0.5 * ALPHA * l2) / total

    @tf.function(jit_compile=True, autograph=False)
    def train(idx, mask):
        n_epochs, n_batches = tf.shape(idx)[0], tf.shape(idx)[1]

        def batch(b, e, total):
            rows, wb = idx[e, b], mask[e, b]
            with tf.GradientTape() as tape:
                loss = loss_fn(tf.gather(Xd, rows), tf.gather(yd, rows), wb)
            grads = tape.gradient(loss, params)
            step.assign_add(1.0)
            lr = LEARNING_RATE * tf.sqrt(1 - BETA_2**step) / (1 - BETA_1**step)
            for p, a, s, g in zip(params, m, v, grads, strict=True):
                a.assign_add((g - a) * (1 - BETA_1))
                s.assign_add((g * g - s) * (1 - BETA_2))
                p.assign_sub(lr * a / (tf.sqrt(s) + EPSILON))
            return b + 1, e, total + loss * tf.reduce_sum(wb)

        def epoch(e, losses):
            _, _, total = tf.while_loop(
                lambda b, *_: b < n_batches, batch, (0, e, tf.zeros(()))
            )
            return e + 1, losses.write(e, total / n)

        losses = tf.TensorArray(tf.float32, size=n_epochs)
        return tf.while_loop(lambda e, _: e < n_epochs, epoch, (0, losses))[1].stack()

    def fit(seed):
        rng = np.random.RandomState(seed)
        for var, value in zip(params, _glorot(rng, shapes), strict=True):
            var.assign(value)
        for var in (*m, *v):
            var.assign(tf.zeros_like(var))
        step.assign(0.0)
        idx, mask = _epochs(rng, n, size, epochs)
        return train(tf.constant(idx), tf.constant(mask)).numpy()

    return fit


def hand_written(X, y, hidden, activation, epochs, batch_size=200, loss=None):
    """The hand-written loop of the active Keras backend (its loss by default)."""
    from skclassify._compat._keras import import_keras

    keras = import_keras()  # quietly, and configured as skclassify's fits are

    backend = keras.backend.backend()
    loop = {"jax": jax_loop, "tensorflow": tf_loop}[backend]
    loss = loss or ("logits" if backend == "tensorflow" else "probabilities")
    return loop(X, y, hidden, activation, epochs, batch_size, loss)


def _time(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def measure(X, y, hidden, activation, epochs, batch_size, repeats, seed=0):
    """Median warm seconds of skclassify and of the hand-written loops.

    ``hand-written``: with the backend's own loss; ``hand-written, logits``:
    with the loss taken from the logits. All are compiled by one untimed call
    first; the timed calls alternate, so that load falls on all alike.
    """
    from skclassify import KerasMLPClassifier
    from skclassify._compat._keras import import_keras

    keras = import_keras()

    ours = KerasMLPClassifier(
        hidden,
        activation=activation,
        batch_size=batch_size,
        epochs=epochs,
        tol=0,
        n_iter_no_change=epochs,
        random_state=seed,
    )
    fits = {
        "skclassify": lambda i: ours.fit(X, y),
        "hand-written": hand_written(X, y, hidden, activation, epochs, batch_size),
    }
    if keras.backend.backend() != "tensorflow":  # there, the same loop
        fits["hand-written, logits"] = hand_written(
            X, y, hidden, activation, epochs, batch_size, "logits"
        )
    for fit in fits.values():
        fit(seed)
    times = {name: [] for name in fits}
    for i in range(repeats):
        for name, fit in fits.items():
            times[name].append(_time(lambda fit=fit, i=i: fit(seed + i)))
    medians = {k: float(np.median(v)) for k, v in times.items()}
    medians.setdefault("hand-written, logits", medians["hand-written"])
    return medians


def _problem(kind, rows, seed):
    """(X, y, hidden, activation, batch_size) of a yardstick case."""
    from skclassify.datasets import make_waves

    if kind == "small":  # Dense(64, relu), 256 classes, 200 features
        X, y = make_waves(rows // 256, order="shuffled", random_state=seed)
        return X, y, (64,), "relu", 200
    # the compute-heavy wave net: (256, 512) sigmoid, batch 256
    X, y = make_waves(rows // 256, order="shuffled", random_state=seed)
    return X, y, (256, 512), "sigmoid", 256


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=["small:2560x20"],
                        help="KIND:ROWSxEPOCHS, KIND small or wave")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from skclassify._compat._keras import import_keras

    keras = import_keras()

    for case in args.cases:
        kind, dims = case.split(":")
        rows, epochs = (int(part) for part in dims.split("x"))
        X, y, hidden, activation, batch = _problem(kind, rows, args.seed)
        times = measure(X, y, hidden, activation, epochs, batch, args.repeats)
        record = {"case": case, "backend": keras.backend.backend(), **times}
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
