"""The ``skclassify`` command line: compare, benchmark, list."""

import contextlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skclassify.cli import main
from skclassify.datasets import make_sum_threshold

REPO = Path(__file__).resolve().parents[1]
MODELS = ["dummy", "lr", "svc", "knn", "hgb", "mlp"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Small and quick: 2 folds x 2 seeds, a tiny net.
QUICK = ["--cv", "2", "--seeds", "2", "--n-jobs", "1", "--quiet"]
TINY_NET = ["--mlp", "hidden_layer_sizes=4", "epochs=3"]


def _write_csv(path, n_samples=60, index=False, **columns):
    """The "sum > 2.5" task as a CSV with string labels, plus extra columns."""
    X, y = make_sum_threshold(n_samples, 3, random_state=0)
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2"])
    frame["label"] = np.where(y == 1, "above", "below")
    for name, values in columns.items():
        frame[name] = values
    frame.to_csv(path, index=index)
    return path


def _write_mixed_csv(path, n_samples=80):
    """Numeric, categorical and missing values, a string target, pandas' index."""
    rng = np.random.RandomState(0)
    city = rng.choice(["Bonn", "Rome", "Oslo"], n_samples).astype(object)
    city[rng.rand(n_samples) < 0.1] = None
    size = rng.randn(n_samples)
    size[rng.rand(n_samples) < 0.1] = np.nan
    noise = rng.randn(n_samples)
    label = np.where(np.nan_to_num(size) + (city == "Rome") > 0.3, "yes", "no")
    frame = pd.DataFrame({"size": size, "city": city, "noise": noise, "label": label})
    frame.to_csv(path)  # with the index column "Unnamed: 0"
    return path


def _compare_args(csv, out, *extra):
    args = ["compare", str(csv), "--target", "label", *QUICK]
    if out is not None:
        args += ["--output-dir", str(out)]
    return [*args, *extra]


def _run(argv):
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = main(argv)
    return status, stdout.getvalue()


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One real comparison of every model, shared: (csv, out, status, stdout)."""
    folder = tmp_path_factory.mktemp("compare")
    csv = _write_mixed_csv(folder / "mixed.csv")
    out = folder / "run"
    status, stdout = _run(_compare_args(csv, out, *TINY_NET))
    return csv, out, status, stdout


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
    [
        (["--help"], 0),
        ([], 2),
        (["compare"], 2),
        (["compare", "x.csv"], 2),
        (["compare", "x.csv", "--target", "y", "--models", "lr,forest"], 2),
        (["compare", "x.csv", "--target", "y", "--mlp", "epochs"], 2),
    ],
)
def test_usage_returns_argparse_status(argv, status, capsys):
    assert main(argv) == status


def test_compare_prints_summary_and_verdict(compared):
    _, _, status, stdout = compared
    assert status == 0
    lines = stdout.splitlines()
    header, _, *rows = lines[:-1]
    assert header.split("|")[1].strip() == "model"
    assert "seed spread" in header
    assert sorted(row.split("|")[1].strip() for row in rows) == sorted(MODELS)
    assert "n/a" in next(row for row in rows if "| svc" in row)  # no proba
    assert max(map(len, lines[:-1])) <= 100
    verdict = lines[-1]
    assert " has the best mean accuracy (" in verdict
    assert "tie" not in verdict
    compared_with = re.findall(r"(?:beats|loses to) \w+|\w+: no significant", verdict)
    assert len(compared_with) == len(MODELS) - 1


def test_compare_report_has_columns_models_seeds_differences_verdict(compared):
    csv, out, _, stdout = compared
    report = (out / "report.md").read_text()
    verdict = stdout.splitlines()[-1]
    assert report.startswith(f"# Model comparison: mixed.csv\n\n**{verdict}**")
    assert f"- **Command:** `skclassify compare {csv} --target label" in report
    assert "- **Seeds:** [0, 1]" in report
    section = report.split("## Column treatment")[1].split("##")[0]
    for column, kind in [
        ("Unnamed: 0", "dropped"),
        ("size", "numeric"),
        ("city", "categorical"),
        ("noise", "numeric"),
    ]:
        assert re.search(rf"\| {re.escape(column)} +\| {kind} ", section), column
    models = report.split("## Models")[1].split("##")[0]
    for model in MODELS:
        assert f"| {model} " in models
    differences = report.split("## Paired differences")[1].split("##")[0]
    assert "Nadeau & Bengio" in differences
    assert "Holm" in differences and "Bouckaert & Frank" in differences
    outcomes = r"\| (beats|loses to|no significant difference) "
    assert len(re.findall(outcomes, differences)) == 5
    figure = out / "report-accuracy-per-seed-and-fold.png"
    assert figure.read_bytes().startswith(PNG_SIGNATURE)
    assert "](report-accuracy-per-seed-and-fold.png)" in report
    assert "- **Metric:** accuracy: the class sizes are within 3x" in report
    tables = [line for line in report.splitlines() if line.startswith("|")]
    assert max(map(len, tables)) <= 100


def test_compare_results_hold_every_cell_once(compared):
    _, out, _, _ = compared
    rows = [
        json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()
    ]
    runs = [(row["model"], row["seed"], row["fold"]) for row in rows]
    # Each seed is a repetition with its own split: every model runs in each.
    assert sorted(runs) == sorted(
        (model, seed, fold) for model in MODELS for seed in (0, 1) for fold in (0, 1)
    )
    splits = {(row["seed"], row["fold"]): row["split"] for row in rows}
    assert len(set(splits.values())) == 4


def test_compare_files_get_the_users_umask(compared):
    _, out, _, _ = compared
    umask = os.umask(0)
    os.umask(umask)
    for path in [out / "report.md", out / "report-accuracy-per-seed-and-fold.png"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path


def test_compare_resume_reuses_every_cell(compared):
    csv, out, _, stdout = compared
    before = (out / "results.jsonl").read_text()

    status, again = _run(_compare_args(csv, out, *TINY_NET, "--resume"))

    assert status == 0
    assert (out / "results.jsonl").read_text() == before  # nothing was refitted
    assert again == stdout


def test_compare_refuses_to_overwrite_a_run(compared, capsys):
    csv, out, _, _ = compared
    before = (out / "report.md").read_bytes()
    assert main(_compare_args(csv, out, *TINY_NET)) == 2
    err = capsys.readouterr().err
    assert "already holds a run" in err and "--resume" in err and "--force" in err
    assert (out / "report.md").read_bytes() == before


def test_compare_refuses_a_folder_of_other_settings(compared, capsys):
    csv, out, _, _ = compared
    assert main(_compare_args(csv, out, "--models", "lr", "--resume")) == 2
    assert "holds a run with other data or settings" in capsys.readouterr().err


def test_default_run_folder_is_named_by_data_and_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("mine\n")
    csv = _write_csv(tmp_path / "README.csv")
    argv = _compare_args(csv, None, "--models", "lr")

    assert _run(argv)[0] == 0
    assert _run([*argv, "--seed", "1"])[0] == 0

    folders = sorted((tmp_path / "skclassify-runs").iterdir())
    assert [f.name.rsplit("-", 1)[0] for f in folders] == ["README", "README"]
    assert all((folder / "report.md").is_file() for folder in folders)
    assert (tmp_path / "README.md").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "README.csv", "README.md", "skclassify-runs",
    ]  # fmt: skip

    # --force replaces the run: the same folder, a fresh results file.
    assert _run([*argv, "--force"])[0] == 0
    assert len(sorted((tmp_path / "skclassify-runs").iterdir())) == 2


def test_unwritable_output_dir_fails_before_any_work(tmp_path, capsys):
    csv = _write_csv(tmp_path / "data.csv")
    blocker = tmp_path / "file"
    blocker.write_text("")
    start = time.perf_counter()
    assert main(_compare_args(csv, blocker / "out")) == 2
    err = capsys.readouterr().err
    assert "cannot write to the output folder" in err and "Traceback" not in err
    assert time.perf_counter() - start < 5


def test_a_second_run_into_one_folder_is_refused(tmp_path, capsys):
    from skclassify.cli._runfolder import LOCK_NAME, _try_lock

    csv = _write_csv(tmp_path / "data.csv")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK_NAME, "a+") as held:
        _try_lock(held)
        held.write("4242\n")
        held.flush()
        assert main(_compare_args(csv, out, "--models", "lr")) == 2
    err = capsys.readouterr().err
    assert "another skclassify compare (pid 4242) is writing to" in err
    assert main(_compare_args(csv, out, "--models", "lr")) == 0  # lock released


def test_max_rows_subsamples_with_stratification(tmp_path):
    csv = _write_csv(tmp_path / "data.csv", n_samples=200)
    out = tmp_path / "out"
    assert _run(_compare_args(csv, out, "--models", "lr", "--max-rows", "50"))[0] == 0
    report = (out / "report.md").read_text()
    assert "50 rows (a stratified subsample of the 200 rows: --max-rows)" in report


def test_drop_and_categorical_options(tmp_path):
    csv = _write_csv(tmp_path / "data.csv")
    out = tmp_path / "out"
    argv = _compare_args(csv, out, "--models", "lr", "--drop", "x0")
    assert _run([*argv, "--categorical", "x1"])[0] == 0
    report = (out / "report.md").read_text()
    assert re.search(r"\| x0 +\| dropped +\| --drop ", report)
    assert re.search(r"\| x1 +\| categorical +\| --categorical ", report)


def test_compare_on_a_dask_scheduler(tmp_path):
    distributed = pytest.importorskip("distributed")
    csv = _write_csv(tmp_path / "sums.csv")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        argv = _compare_args(csv, tmp_path / "out", "--models", "lr")
        argv = [a for a in argv if a not in ("--n-jobs", "1")]
        status, _ = _run([*argv, "--scheduler", cluster.scheduler_address])
    assert status == 0
    report = (tmp_path / "out" / "report.md").read_text()
    assert f"- **Dask scheduler:** {cluster.scheduler_address}" in report


@pytest.mark.parametrize(
    "columns, target, cv, message",
    [
        ({}, "nope", 2, "has no column 'nope'; its columns are: x0, x1, x2, label"),
        ({"one": 1, "label": 0}, "one", 2, "holds 1 class"),
        ({"real": np.linspace(0, 1, 60), "label": 0}, "real", 2, "not hold class"),
        ({}, "label", 50, "fewer than the 50 folds of --cv"),
        ({}, "label", 1, "--cv must be at least 2"),
        ({"label": [2] * 3 + [5] * 57}, "label", 5, "class 2 of 'label' has only 3"),
        ({}, "label", 2, None),  # --categorical names a missing column
    ],
)
def test_compare_data_errors(tmp_path, capsys, columns, target, cv, message):
    csv = _write_csv(tmp_path / "data.csv", **columns)
    argv = ["compare", str(csv), "--target", target, "--cv", str(cv)]
    argv += ["--output-dir", str(tmp_path / "out")]
    if message is None:
        argv += ["--categorical", "city"]
        message = "--categorical names column(s) that the table does not have: city"

    assert main(argv) == 2

    err = capsys.readouterr().err
    assert err.startswith("skclassify: error: ")
    assert message in err
    assert "np.int64" not in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "results.jsonl").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        ("", "is empty"),
        ("a,b\n", "has a header (a, b) but no data rows"),
        ('a,b\n"1,2\n', "cannot read"),
    ],
)
def test_compare_unreadable_files(tmp_path, capsys, content, message):
    csv = tmp_path / "data.csv"
    if content is not None:
        csv.write_text(content)
    argv = ["compare", str(csv), "--target", "a", "--output-dir", str(tmp_path)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("skclassify: error: ") and "Traceback" not in err
    assert message in err


def test_missing_extra_names_the_pip_command(tmp_path, monkeypatch, capsys):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "tabulate" else find_spec(name, *a),
    )
    csv = _write_csv(tmp_path / "data.csv")
    assert main(_compare_args(csv, tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert (
        "needs tabulate, from the 'report' extra: pip install 'skclassify[report]'"
        in err
    )


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
    from skclassify.cli import _benchmark

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_benchmark, "_source_benchmarks", lambda: None)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert f"no benchmarks folder at {tmp_path / 'benchmarks'}" in err
    assert "installed without one" in err and "--benchmarks-dir" in err
    assert "Traceback" not in err


def test_benchmarks_of_the_source_checkout_are_found_anywhere(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(["list"]) == 0
    assert "waves" in capsys.readouterr().out.split()


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


def test_tune_adds_nested_searches_with_their_budget(tmp_path):
    csv = _write_csv(tmp_path / "data.csv")
    out = tmp_path / "out"
    status, stdout = _run(_compare_args(csv, out, "--models", "lr", "--tune"))
    assert status == 0
    assert "| lr_tuned " in stdout
    report = (out / "report.md").read_text()
    assert "GridSearchCV: 5 candidates x 3 inner folds over C" in report


def test_imbalanced_target_defaults_to_balanced_accuracy(tmp_path, capsys):
    # 83% "yes", as the mortgage table of the issue: the dummy must not win.
    rng = np.random.RandomState(0)
    x = rng.randn(120)
    label = np.where(np.arange(120) < 100, "yes", "no")
    x[label == "no"] += 2.0
    csv = tmp_path / "loans.csv"
    pd.DataFrame({"x": x, "noise": rng.randn(120), "label": label}).to_csv(
        csv, index=False
    )
    argv = _compare_args(csv, tmp_path / "out", "--models", "lr,svc")
    argv.remove("--quiet")

    status, stdout = _run(argv)

    assert status == 0
    err = capsys.readouterr().err
    assert "Metric of the verdict: balanced accuracy: the largest class (yes" in err
    verdict = stdout.splitlines()[-1]
    assert " has the best mean balanced accuracy (" in verdict
    assert not verdict.startswith("dummy")
    report = (tmp_path / "out" / "report.md").read_text()
    assert "5.0 times the rows of the smallest" in report
    scores = report.split("## Scores")[1].split("##")[0]
    for column in ("balanced_accuracy", "accuracy", "roc_auc", "log_loss"):
        assert column in scores


@pytest.mark.parametrize("metric", ["roc_auc", "log_loss"])
def test_metric_option_names_the_verdicts_metric(tmp_path, metric):
    csv = _write_csv(tmp_path / "data.csv")
    argv = _compare_args(csv, tmp_path / "out", "--models", "lr,svc")

    status, stdout = _run([*argv, "--metric", metric])

    assert status == 0
    label = {"roc_auc": "ROC AUC", "log_loss": "log loss"}[metric]
    verdict = stdout.splitlines()[-1]
    assert f" has the best mean {label} (" in verdict
    svc = next(line for line in stdout.splitlines() if line.startswith("| svc"))
    if metric == "log_loss":  # the SVC has no predict_proba
        assert verdict.endswith("svc: n/a (no log loss).")
        assert "n/a" in svc
    else:  # from its decision_function
        assert "n/a" not in svc.split("|")[2]


def test_metric_option_rejects_unknown_metrics(capsys):
    assert main(["compare", "x.csv", "--target", "y", "--metric", "f1"]) == 2
    assert "invalid choice: 'f1'" in capsys.readouterr().err


def test_estimate_prints_the_cost_and_stops(tmp_path, capsys):
    csv = _write_csv(tmp_path / "data.csv")
    out = tmp_path / "out"
    argv = [a for a in _compare_args(csv, out, "--models", "lr,knn") if a != "--quiet"]
    assert main([*argv, "--estimate"]) == 0
    err = capsys.readouterr().err
    assert "Estimated time per cell (timed probe): dummy " in err
    assert ", lr " in err and ", knn " in err and "Estimated total: " in err
    assert not (out / "results.jsonl").exists()
