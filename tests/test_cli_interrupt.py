"""Interrupting ``skclassify compare``: no worker survives, --resume finishes.

Each test runs the command in a subprocess, with a model whose cells wait at
a gate (``_gated.py``); it waits for a gated cell to be running (after the
cells of the models listed before it), so that the run still has work to do
whatever the machine's speed,
stops it (Ctrl-C's SIGINT, or kill -9), and checks the process tree and the
results file. The resumed run opens the gate.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

psutil = pytest.importorskip("psutil")

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SEEDS, FOLDS = 2, 3
#: Quick: scikit-learn models only (no TensorFlow to import in each worker).
QUICK = ["lr", "gated"]
#: The slow case: the net, whose workers hold TensorFlow.
NET = ["mlp", "gated", "--mlp", "hidden_layer_sizes=8", "epochs=300"]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), str(TESTS), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["OMP_NUM_THREADS"] = "1"
    return env


def _command(csv, out, n_jobs, models, *extra):
    gate = out.parent / "gate"
    gate.mkdir(exist_ok=True)
    run = "from _gated import main; main()"
    return [
        sys.executable, "-c", run, str(gate), "compare", str(csv), "--target", "label",
        "--models", ",".join(models[:2]), *models[2:],
        "--cv", str(FOLDS), "--seeds", str(SEEDS), "--n-jobs", str(n_jobs),
        "--output-dir", str(out), *extra,
    ]  # fmt: skip


@pytest.fixture
def csv(tmp_path):
    rng = np.random.RandomState(0)
    X = rng.randn(1000, 10)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
    frame["label"] = np.where(X.sum(axis=1) > 0, "up", "down")
    frame.to_csv(tmp_path / "data.csv", index=False)
    return tmp_path / "data.csv"


def _n_cells(models):
    """Cells computed: the dummy and both models, each seed with its own split."""
    return 3 * SEEDS * FOLDS


def _wait_until_a_gated_cell_runs(proc, out, timeout=300):
    """Wait for a gated cell: it holds the run open until the gate opens."""
    gate = out.parent / "gate"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(gate.glob("running-*")):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    proc.kill()
    pytest.fail("no cell reached the gate in time")


def _all_gone(processes, timeout=15.0):
    gone, alive = psutil.wait_procs(processes, timeout=timeout)
    return [p.pid for p in alive]


def _resume_and_check(csv, out, n_jobs, models):
    (out.parent / "gate" / "open").touch()
    proc = subprocess.run(
        _command(csv, out, n_jobs, models, "--resume", "--quiet"),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [
        json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()
    ]
    runs = [(row["model"], row["seed"], row["fold"]) for row in rows]
    names = ["dummy", *models[:2]]
    expected = [  # each seed a repetition with its own split
        (m, s, f) for m in names for s in range(SEEDS) for f in range(FOLDS)
    ]
    assert sorted(runs) == sorted(expected)  # every cell exactly once
    assert (out / "report.md").is_file()


@pytest.mark.parametrize(
    "n_jobs, models",
    [
        (2, QUICK),
        pytest.param(1, QUICK, marks=pytest.mark.slow),
        pytest.param(2, NET, marks=pytest.mark.slow),
    ],
)
def test_sigint_stops_every_worker_and_resume_finishes(csv, tmp_path, n_jobs, models):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        _command(csv, out, n_jobs, models),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    _wait_until_a_gated_cell_runs(proc, out)
    parent = psutil.Process(proc.pid)
    children = parent.children(recursive=True)

    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)

    assert proc.returncode == 130, stderr
    assert time.monotonic() - start < 30
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("interrupted: ") and last.endswith(
        f" of {_n_cells(models)} cells saved; rerun with --resume"
    ), stderr
    assert "Traceback" not in stderr
    assert _all_gone(children) == []
    _resume_and_check(csv, out, n_jobs, models)


@pytest.mark.slow
def test_kill_9_leaves_no_worker_and_resume_counts_each_cell_once(csv, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        _command(csv, out, 2, NET),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    _wait_until_a_gated_cell_runs(proc, out)
    children = psutil.Process(proc.pid).children(recursive=True)
    assert children
    proc.kill()
    proc.wait(timeout=30)
    assert _all_gone(children) == []
    # A half-written line, as a kill in the middle of an append leaves.
    with (out / "results.jsonl").open("a") as f:
        f.write('{"model": "lr", "se')
    _resume_and_check(csv, out, 2, NET)
