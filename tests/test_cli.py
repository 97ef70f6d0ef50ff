"""The ``skclassify`` command line: compare, benchmark, list."""

import contextlib
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skclassify.cli import main
from skclassify.datasets import make_sum_threshold

REPO = Path(__file__).resolve().parents[1]
MODELS = ["logistic_regression", "svc_rbf", "keras_mlp"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _write_csv(path, n_samples=60, **columns):
    """The "sum > 2.5" task as a CSV with string labels, plus extra columns."""
    X, y = make_sum_threshold(n_samples, 3, random_state=0)
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2"])
    frame["label"] = np.where(y == 1, "above", "below")
    for name, values in columns.items():
        frame[name] = values
    frame.to_csv(path, index=False)
    return path


def _compare_args(csv, out, *extra):
    return [
        "compare", str(csv), "--target", "label", "--cv", "2", "--epochs", "2",
        "--output-dir", str(out), "--quiet", *extra,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One real comparison, shared: (csv, output dir, exit status, stdout)."""
    folder = tmp_path_factory.mktemp("compare")
    csv = _write_csv(folder / "sums.csv")
    out = folder / "reports"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = main(_compare_args(csv, out))
    return csv, out, status, stdout.getvalue()


def test_help_is_reachable_through_python_m():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *filter(None, [env.get("PYTHONPATH")])]
    )
    proc = subprocess.run(
        [sys.executable, "-m", "skclassify", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for command in ["compare", "benchmark", "list"]:
        assert command in proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "argv, status",
    [(["--help"], 0), ([], 2), (["compare"], 2), (["compare", "x.csv"], 2)],
)
def test_usage_returns_argparse_status(argv, status, capsys):
    assert main(argv) == status


def test_compare_prints_summary_of_every_model(compared):
    _, _, status, stdout = compared
    assert status == 0
    header, _, *rows = stdout.splitlines()
    assert header.split("|")[1:-1] == [
        " model               ",
        "        accuracy ",
        "   balanced accuracy ",
        "        log loss ",
        "    fit time (s) ",
    ]
    assert sorted(row.split("|")[1].strip() for row in rows) == sorted(MODELS)
    assert "n/a" in next(row for row in rows if "svc_rbf" in row)  # no proba


def test_compare_writes_report_with_command_and_figures(compared):
    csv, out, _, _ = compared
    report = (out / "sums.md").read_text()
    assert report.startswith("# Model comparison: sums.csv")
    assert f"- **Command:** `skclassify compare {csv} --target label" in report
    assert "- **Seed:** 0" in report
    for model in MODELS:
        assert f"| {model}" in report
    figures = sorted(out.glob("sums-*.png"))
    assert [f.name for f in figures] == [
        "sums-accuracy-per-fold.png",
        "sums-fit-time-per-fold.png",
    ]
    for figure in figures:
        assert figure.read_bytes().startswith(PNG_SIGNATURE)
        assert f"]({figure.name})" in report


def test_compare_results_file_is_tagged_with_the_settings(compared):
    _, out, _, _ = compared
    rows = [json.loads(line) for line in (out / "sums.jsonl").read_text().splitlines()]
    assert sorted((row["model"], row["fold"]) for row in rows) == sorted(
        (model, fold) for model in MODELS for fold in range(2)
    )
    assert {(row["cv"], row["seed"], row["epochs"], row["target"]) for row in rows} == {
        (2, 0, 2, "label")
    }


def test_compare_resume_reuses_every_cell(compared, capsys):
    csv, out, _, stdout = compared
    before = (out / "sums.jsonl").read_text()

    assert main(_compare_args(csv, out, "--resume")) == 0

    assert (out / "sums.jsonl").read_text() == before  # nothing was refitted
    assert capsys.readouterr().out == stdout


def test_compare_on_a_dask_scheduler(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    csv = _write_csv(tmp_path / "sums.csv")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        status = main(
            _compare_args(csv, tmp_path, "--scheduler", cluster.scheduler_address)
        )
    assert status == 0
    report = (tmp_path / "sums.md").read_text()
    assert f"- **Dask scheduler:** {cluster.scheduler_address}" in report


@pytest.mark.parametrize(
    "columns, target, cv, message",
    [
        ({}, "nope", 2, "has no column 'nope'; its columns are: x0, x1, x2, label"),
        ({"city": "Bonn"}, "label", 2, "non-numeric feature column(s) in"),
        ({"x3": [np.nan] + [1.0] * 59}, "label", 2, "missing values in column(s)"),
        ({"one": 1, "label": 0}, "one", 2, "holds 1 class"),
        ({"real": np.linspace(0, 1, 60), "label": 0}, "real", 2, "not hold class"),
        ({}, "label", 50, "fewer than the 50 folds of --cv"),
        ({}, "label", 1, "--cv must be at least 2"),
    ],
)
def test_compare_data_errors(tmp_path, capsys, columns, target, cv, message):
    csv = _write_csv(tmp_path / "data.csv", **columns)
    argv = ["compare", str(csv), "--target", target, "--cv", str(cv)]
    argv += ["--output-dir", str(tmp_path / "out")]

    assert main(argv) == 2

    err = capsys.readouterr().err
    assert err.startswith("skclassify: error: ")
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_compare_names_the_non_numeric_columns(tmp_path, capsys):
    csv = _write_csv(tmp_path / "data.csv", city="Bonn", day="Mon")
    assert main(["compare", str(csv), "--target", "label"]) == 2
    assert "data.csv: city, day;" in capsys.readouterr().err


@pytest.mark.parametrize("content", [None, "", "a,b\n1,2,3,4\n"])
def test_compare_unreadable_files(tmp_path, capsys, content):
    csv = tmp_path / "data.csv"
    if content is not None:
        csv.write_text(content)
    assert main(["compare", str(csv), "--target", "a"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("skclassify: error: ") and "Traceback" not in err


# -- benchmarks ---------------------------------------------------------------------
HELLO = '''\
"""Say hello: a trivial benchmark.

More text that the listing leaves out.
"""

import argparse
import sys

import _helper


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--who", default="world")
    parser.add_argument("--status", type=int, default=None)
    args = parser.parse_args(argv)
    print(f"hello {args.who} {_helper.ANSWER} {sys.argv[1:]} {__name__}")
    return args.status


if __name__ == "__main__":
    raise SystemExit("the __main__ block must not run")
'''


@pytest.fixture
def benchmarks(tmp_path):
    """A fake benchmarks folder: two benchmarks, a helper, a non-benchmark."""
    folder = tmp_path / "benchmarks"
    folder.mkdir()
    (folder / "hello.py").write_text(HELLO)
    (folder / "quiet.py").write_text("def main(argv=None):\n    return None\n")
    (folder / "_helper.py").write_text("ANSWER = 42\n")
    (folder / "notes.py").write_text('"""Not a benchmark: no main."""\n')
    return folder


def test_list_shows_benchmarks_with_their_summary(benchmarks, capsys):
    assert main(["list", "--benchmarks-dir", str(benchmarks)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "hello  Say hello: a trivial benchmark.",
        "quiet",
    ]


def test_benchmark_runs_main_with_the_remaining_args(benchmarks, capsys):
    argv, path = list(sys.argv), list(sys.path)

    status = main(
        ["benchmark", "--benchmarks-dir", str(benchmarks), "hello", "--who", "you"]
    )

    assert status == 0
    assert capsys.readouterr().out == "hello you 42 ['--who', 'you'] benchmarks.hello\n"
    assert sys.argv == argv and sys.path == path


def test_benchmark_status_and_help_come_from_the_script(benchmarks, capsys):
    run = ["benchmark", "--benchmarks-dir", str(benchmarks), "hello"]
    assert main([*run, "--status", "3"]) == 3
    assert main([*run, "--help"]) == 0
    assert "--who WHO" in capsys.readouterr().out
    assert main([*run, "--bogus"]) == 2


def test_benchmark_folder_defaults_to_the_working_directory(
    benchmarks, monkeypatch, capsys
):
    monkeypatch.chdir(benchmarks.parent)
    assert main(["benchmark", "quiet"]) == 0
    assert main(["list"]) == 0
    assert "hello" in capsys.readouterr().out


def test_unknown_benchmark_lists_the_available_ones(benchmarks, capsys):
    assert main(["benchmark", "--benchmarks-dir", str(benchmarks), "notes"]) == 2
    err = capsys.readouterr().err
    assert "unknown benchmark 'notes'" in err
    assert "available: hello, quiet" in err


@pytest.mark.parametrize("command", [["list"], ["benchmark", "waves"]])
def test_missing_benchmarks_folder(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert f"no benchmarks folder at {tmp_path / 'benchmarks'}" in err
    assert "--benchmarks-dir" in err
    assert "Traceback" not in err


def test_script_error_messages_are_not_swallowed(tmp_path, capsys):
    folder = tmp_path / "benchmarks"
    folder.mkdir()
    (folder / "fails.py").write_text(
        textwrap.dedent(
            """\
            import sys

            def main(argv=None):
                sys.exit("fails: no data")
            """
        )
    )
    assert main(["benchmark", "--benchmarks-dir", str(folder), "fails"]) == 1
    assert "fails: no data" in capsys.readouterr().err
