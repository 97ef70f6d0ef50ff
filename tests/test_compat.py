"""Quiet TensorFlow import and thread capping."""

import os
import subprocess
import sys

import pytest


def _run(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )


def test_import_prints_nothing_but_real_errors_survive():
    code = (
        "import os; from skclassify import KerasMLPClassifier; "
        "os.write(2, b'real problem\\n'); "
        "from skclassify._compat._keras import _filtered_native_stderr\n"
        "with _filtered_native_stderr():\n"
        "    os.write(2, b'I0000 00:00 noise\\nstill real\\n')\n"
    )
    done = _run(code)
    assert done.stdout == ""
    assert done.stderr == "real problem\nstill real\n"


@pytest.mark.slow  # fresh worker processes import TensorFlow
def test_threads_follow_the_worker_budget():
    code = (
        "from skclassify._compat._keras import import_keras; import_keras(); "
        "import tensorflow as tf; "
        "print(tf.config.threading.get_intra_op_parallelism_threads())"
    )
    assert _run(code, OMP_NUM_THREADS="1").stdout.strip() == "1"


@pytest.mark.slow  # a fresh process imports TensorFlow
def test_tensorflow_gets_the_cache_flag(tmp_path):
    code = (
        "import os; from skclassify._compat._keras import import_keras; "
        "import_keras(); print(os.environ['TF_XLA_FLAGS'])"
    )
    done = _run(code, SKCLASSIFY_XLA_CACHE=str(tmp_path), TF_XLA_FLAGS="")
    # TensorFlow compiles into a folder of its own process, published from there
    option, folder = done.stdout.strip().split("=")
    assert option == "--tf_xla_persistent_cache_directory"
    assert os.path.basename(folder).startswith("skclassify-xla-")
    assert not os.path.exists(folder)  # removed when the process ended
    assert (tmp_path / "tensorflow").is_dir()
