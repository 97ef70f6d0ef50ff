"""Quiet TensorFlow import and thread capping."""

import os
import subprocess
import sys


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


def test_threads_follow_the_worker_budget():
    code = (
        "from skclassify._compat._keras import import_keras; import_keras(); "
        "import tensorflow as tf; "
        "print(tf.config.threading.get_intra_op_parallelism_threads())"
    )
    assert _run(code, OMP_NUM_THREADS="1").stdout.strip() == "1"
