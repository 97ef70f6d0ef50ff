"""Import Keras quietly and configure its runtime once.

TensorFlow writes C++ log lines (oneDNN notices, "could not find cuda drivers",
CPU feature hints) to file descriptor 2 while it is imported, before absl's
logging is initialised, so ``TF_CPP_MIN_LOG_LEVEL`` cannot silence all of them.
:func:`import_keras` therefore captures the process-level stderr while Keras
(and thus TensorFlow) is imported, drops the known informational lines and
writes everything else back, so genuine errors are never hidden.
"""

import contextlib
import os
import re
import sys
import tempfile

from ._cache import (
    configure_jax_cache,
    strip_inherited_cache_flag,
    tf_cache_flag,
    xla_cache_dir,
)

__all__ = [
    "backend_name",
    "configure_threads",
    "eager_context",
    "import_keras",
    "preserved_python_random",
    "xla_cache_dir",
]

_configured = False

# Informational lines printed by TensorFlow's native code at import time.
_NOISE = re.compile(
    r"^(I\d{4} |W\d{4} .*(cuda|TensorRT|cuDNN|cuFFT|cuBLAS)|"
    r"WARNING: All log messages before absl::InitializeLog|"
    r"To enable the following instructions:|"
    r"E\d{4} .*(cuda|cuDNN|cuFFT|cuBLAS|Unable to register))"
)


@contextlib.contextmanager
def _filtered_native_stderr():
    """Capture fd 2, then replay every line that is not known import noise."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # pytest capture, notebooks
        fd = 2
    try:
        saved = os.dup(fd)
    except OSError:  # no real stderr to capture
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        sys.stderr.flush()
        os.dup2(tmp.fileno(), fd)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, fd)
            os.close(saved)
            tmp.seek(0)
            text = tmp.read().decode("utf-8", errors="replace")
            kept = [ln for ln in text.splitlines() if ln and not _NOISE.match(ln)]
            if kept:
                sys.stderr.write("\n".join(kept) + "\n")


def _quiet_environment():
    """Default TensorFlow's own log level to errors only (user settings win).

    Also points TensorFlow's persistent XLA cache at this process's folder
    of the compile cache (:mod:`skclassify._compat._cache`), unless
    ``TF_XLA_FLAGS`` already names one. Both only take effect if set before
    TensorFlow is imported.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules:
        return
    original = os.environ.get("TF_XLA_FLAGS", "")
    flags = strip_inherited_cache_flag(original)  # a parent process's folder
    if flags != original:
        os.environ["TF_XLA_FLAGS"] = flags
    if "tf_xla_persistent_cache_directory" in flags:
        return
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow":
        return
    option = tf_cache_flag()
    if option:
        os.environ["TF_XLA_FLAGS"] = f"{flags} {option}".strip()


def import_keras():
    """Import and return :mod:`keras` without TensorFlow's start-up log spam.

    Returns
    -------
    module
        The imported ``keras`` package.
    """
    global _configured
    if _configured:
        return sys.modules["keras"]
    _quiet_environment()
    with _filtered_native_stderr():
        import keras

        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            tf.get_logger().setLevel("ERROR")
            tf.autograph.set_verbosity(0)
            configure_threads()
            # CUDA probing prints its notices when devices are first listed
            tf.config.list_physical_devices()
        elif keras.backend.backend() == "jax":
            configure_jax_cache()
    _configured = True
    return keras


def backend_name() -> str:
    """Name of the active Keras backend (``"tensorflow"``, ``"jax"``, ...)."""
    return import_keras().backend.backend()


def configure_threads() -> None:
    """Cap TensorFlow's thread pools to the thread budget of this process.

    joblib and Dask workers announce their budget through ``OMP_NUM_THREADS``
    (TensorFlow itself ignores that variable and would start one thread per
    core in every worker, oversubscribing the machine). This must run before
    TensorFlow executes its first operation; later calls are no-ops.
    """
    budget = os.environ.get("SKCLASSIFY_NUM_THREADS") or os.environ.get(
        "OMP_NUM_THREADS"
    )
    if not budget:
        return
    try:
        n_threads = max(1, int(budget))
    except ValueError:
        return
    import tensorflow as tf

    with contextlib.suppress(RuntimeError):  # runtime already initialised
        tf.config.threading.set_intra_op_parallelism_threads(n_threads)
        tf.config.threading.set_inter_op_parallelism_threads(min(2, n_threads))


@contextlib.contextmanager
def preserved_python_random():
    """Leave Python's global ``random`` state as it was.

    Keras draws a default seed from Python's ``random`` for every initializer
    or seed generator created without one, so merely building a user's model
    would advance the user's random stream. The weights skclassify trains are
    seeded from the estimator's ``random_state`` only; these draws are thrown
    away.
    """
    import random

    state = random.getstate()
    try:
        yield
    finally:
        random.setstate(state)


def eager_context():
    """TensorFlow's eager runtime context (private: ``tensorflow.python.eager``).

    The training loop uses it to remove the functions of an evicted compiled
    loop, for which TensorFlow has no public API.
    """
    from tensorflow.python.eager import context

    return context.context()
