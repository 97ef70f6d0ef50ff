"""The compile cache: where it lives, how to turn it off, safe under concurrency."""

import os
import subprocess
import sys
import tempfile

import pytest

from skclassify._compat._cache import default_cache_dir, xla_cache_dir

#: Fits one small net and prints its probabilities; nothing else may be printed.
_FIT = """
import warnings
from sklearn.exceptions import ConvergenceWarning
warnings.simplefilter("ignore", ConvergenceWarning)
from skclassify import KerasMLPClassifier
from skclassify.datasets import make_sum_threshold
X, y = make_sum_threshold(n_samples=100, random_state=0)
net = KerasMLPClassifier((7,), epochs=3, random_state=0).fit(X, y)
print(net.predict_proba(X[:5]).round(6).tolist())
"""


def test_cache_is_on_by_default_in_the_user_cache_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SKCLASSIFY_XLA_CACHE", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "skclassify" / "xla"
    assert default_cache_dir() == str(expected)
    assert xla_cache_dir() == str(expected) and expected.is_dir()
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # ignored, as XDG says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == str(
        tmp_path / "home" / ".cache" / "skclassify" / "xla"
    )


def test_cache_can_be_moved_or_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("SKCLASSIFY_XLA_CACHE", str(tmp_path / "mine"))
    assert xla_cache_dir() == str(tmp_path / "mine")
    assert (tmp_path / "mine").is_dir()
    for off in ("off", "0", "false", "No"):
        monkeypatch.setenv("SKCLASSIFY_XLA_CACHE", off)
        assert xla_cache_dir() is None
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SKCLASSIFY_XLA_CACHE", str(blocker / "sub"))
    assert xla_cache_dir() is None  # cannot be created: no cache, no error


def _fit_at_once(n, cache, backend):
    env = {
        **os.environ,
        "SKCLASSIFY_XLA_CACHE": str(cache),
        "KERAS_BACKEND": backend,
        "OMP_NUM_THREADS": "1",
    }
    env.pop("TF_XLA_FLAGS", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _FIT],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(n)
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    return outputs


def _entries(folder):
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.name.endswith(("skc", "cache"))
    )


@pytest.mark.slow  # 8 fresh processes import Keras and compile
@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_four_processes_compile_at_once_then_with_a_corrupt_entry(tmp_path, backend):
    pytest.importorskip(backend)
    cache = tmp_path / "cache"
    first = _fit_at_once(4, cache, backend)
    assert [err for _, err in first] == [""] * 4  # no message
    assert len({out for out, _ in first}) == 1  # the same predictions
    entries = _entries(cache)
    assert entries  # the compiled loop was kept
    for entry in entries:  # truncate every entry, as a crash mid-write would
        entry.write_bytes(entry.read_bytes()[:100])
    second = _fit_at_once(4, cache, backend)
    assert second == first  # no crash, no message, the same predictions


def test_a_child_process_drops_its_parents_private_folder():
    from skclassify._compat._cache import strip_inherited_cache_flag

    parent = os.path.join(tempfile.gettempdir(), "skclassify-xla-1-abc")
    own = os.path.join(tempfile.gettempdir(), f"skclassify-xla-{os.getpid()}-x")
    flags = f"--tf_xla_auto_jit=2 --tf_xla_persistent_cache_directory={parent}"
    assert strip_inherited_cache_flag(flags) == "--tf_xla_auto_jit=2"
    mine = f"--tf_xla_persistent_cache_directory={own}"
    assert strip_inherited_cache_flag(mine) == mine
    user = "--tf_xla_persistent_cache_directory=/srv/xla"  # the user's choice stays
    assert strip_inherited_cache_flag(user) == user
