"""``skclassify compare --save-best``: the winner, refitted, loads elsewhere."""

import contextlib
import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("skops")
pytest.importorskip("skl2onnx")
pytest.importorskip("onnxruntime")

from skclassify.cli import main  # noqa: E402
from skclassify.datasets import make_sum_threshold  # noqa: E402

QUICK = ["--cv", "2", "--seeds", "1", "--n-jobs", "1", "--quiet"]


def _compare(tmp_path, csv, *extra):
    argv = ["compare", str(csv), "--target", "label", *QUICK]
    argv += ["--output-dir", str(tmp_path / "run"), *extra]
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = main(argv)
    assert status == 0
    return stdout.getvalue()


def _loading_lines(stdout):
    lines = stdout.splitlines()
    start = lines.index("Load it in Python:") + 2
    return [line.strip() for line in lines[start : start + 3]]


@pytest.fixture
def sum_csv(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    X, y = make_sum_threshold(80, 3, random_state=0)
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2"])
    frame["label"] = np.where(y == 1, "above", "below")
    frame.to_csv("data.csv", index=False)
    return frame


def test_saved_best_loads_and_predicts_in_a_fresh_process(sum_csv, tmp_path):
    out = _compare(
        tmp_path, "data.csv", "--models", "lr", "--max-rows", "60",
        "--save-best", "models/best.skops",
    )  # fmt: skip
    assert "Best model lr refitted" in out
    assert "60-row subsample of --max-rows (not all 80 rows)" in out
    assert "## Saved model" in (tmp_path / "run" / "report.md").read_text()
    code = "\n".join(_loading_lines(out))
    assert code.count("\n") == 2
    code = code.replace("model.predict(", "print(list(model.predict(") + "))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    predicted = eval(done.stdout)  # noqa: S307 - a list of strings we printed
    assert len(predicted) == len(sum_csv)
    accuracy = np.mean(np.array(predicted) == sum_csv["label"].to_numpy())
    assert accuracy > 0.8


def test_onnx_file_predicts_as_the_saved_pipeline(sum_csv, tmp_path):
    import onnxruntime as ort
    import skops.io as sio

    out = _compare(tmp_path, "data.csv", "--models", "lr", "--save-best", "b.skops")
    assert "also to b.onnx" in out
    model = sio.load("b.skops", trusted=sio.get_untrusted_types(file="b.skops"))
    session = ort.InferenceSession("b.onnx", providers=["CPUExecutionProvider"])
    X = sum_csv.drop(columns=["label"])
    feed = {c: X[[c]].to_numpy(np.float32) for c in X.columns}
    labels = session.run(None, feed)[0]
    np.testing.assert_array_equal(labels, model.predict(X))


def test_a_dummy_best_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"noise": rng.randn(40)})
    frame["label"] = np.where(np.arange(40) % 4 == 0, "rare", "common")
    frame.to_csv("data.csv", index=False)
    out = _compare(tmp_path, "data.csv", "--models", "lr", "--save-best", "b.skops")
    assert "the chance-level dummy (dummy) has the best mean score" in out
    assert not (tmp_path / "b.skops").exists()
    assert not (tmp_path / "b.onnx").exists()


def test_tune_saves_the_search(tmp_path, monkeypatch):
    import skops.io as sio

    monkeypatch.chdir(tmp_path)
    X, y = make_sum_threshold(200, 3, random_state=0)
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2"])
    frame["label"] = np.where(y == 1, "above", "below")
    frame.to_csv("data.csv", index=False)
    out = _compare(
        tmp_path, "data.csv", "--models", "lr", "--tune", "--save-best", "b.skops"
    )
    # On this table the tuned LR has the best mean accuracy (0.960 vs 0.955).
    assert "Best model lr_tuned refitted (its grid search included" in out
    model = sio.load("b.skops", trusted=sio.get_untrusted_types(file="b.skops"))
    assert len(model.cv_results_["params"]) == 5  # the search, refitted
    rows = frame.drop(columns=["label"])
    assert model.best_estimator_.predict(rows).shape == (200,)


@pytest.mark.parametrize(
    "name, message", [("folder", "is a folder"), ("best.onnx", "name the skops file")]
)
def test_save_best_refuses_bad_paths_before_any_work(
    sum_csv, tmp_path, capsys, name, message
):
    (tmp_path / "folder").mkdir()
    argv = ["compare", "data.csv", "--target", "label", "--save-best", name]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "skclassify-runs").exists()
