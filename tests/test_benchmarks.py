"""Smoke tests of the benchmark scripts in ``benchmarks/``, in their quick mode."""

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

BENCHMARKS_DIR = Path(__file__).resolve().parent.parent / "benchmarks"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: Script -> (number of PNG figures, a heading of a table section).
EXPECTED = {
    "waves": (2, "## Accuracy (mean ± std over folds)"),
    "wave_fixes": (3, "## Cross-validated accuracy, best first"),
    "objectives": (2, "## All configurations, best first"),
}


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


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def quick_run(request, tmp_path_factory):
    """One quick run of each script: its module, summary, folder and argv."""
    name = request.param
    module = load_benchmark(name)
    folder = tmp_path_factory.mktemp(name)
    argv = ["--quick", "--quiet", "--output-dir", folder, "--results-dir", folder]
    summary = module.main(argv)
    return name, module, summary, folder, argv


def markdown_table_rows(text, heading):
    """The rows of the first Markdown table after ``heading``."""
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("|")]


def test_report_has_header_tables_and_findings(quick_run):
    name, _, summary, folder, _ = quick_run
    text = (folder / f"{name}.md").read_text(encoding="utf-8")

    assert f"- **Command:** `python benchmarks/{name}.py --quick --quiet" in text
    assert "- **Seeds:** [0]" in text
    assert re.search(r"- \*\*Runtime:\*\* \d", text)
    assert "- **Size:** quick" in text

    _, heading = EXPECTED[name]
    rows = markdown_table_rows(text, heading)
    assert len(rows) >= 3  # header, separator and at least one model
    assert "## Findings" in text
    findings = text.split("## Findings", 1)[1].split("\n## ", 1)[0].strip()
    # Computed from the numbers: it names the best model (of each class count).
    if "n_classes" in summary:  # ranked within each class count
        best = summary.groupby("n_classes")["model"].first()
    else:
        best = summary["model"].iloc[:1]
    for model in best:
        assert model in findings


def test_report_figures_are_written_and_linked(quick_run):
    name, _, _, folder, _ = quick_run
    text = (folder / f"{name}.md").read_text(encoding="utf-8")
    pngs = sorted(folder.glob(f"{name}-*.png"))

    n_figures, _ = EXPECTED[name]
    assert len(pngs) == n_figures
    for png in pngs:
        assert png.read_bytes()[:8] == PNG_SIGNATURE
        assert f"]({png.name})" in text


def test_results_file_holds_every_cell(quick_run):
    name, _, summary, folder, _ = quick_run
    rows = [
        json.loads(line)
        for line in (folder / f"{name}.jsonl").read_text().splitlines()
        if line
    ]
    assert len(rows) == summary["n_runs"].sum()
    assert all(row["seed"] == 0 for row in rows)


def test_resume_reuses_the_results(quick_run):
    name, module, summary, folder, argv = quick_run
    results = folder / f"{name}.jsonl"
    before = results.read_text()

    resumed = module.main([*argv, "--resume"])

    assert results.read_text() == before  # nothing was recomputed
    columns = ["model", "accuracy_mean", "accuracy_std"]
    assert resumed[columns].equals(summary[columns])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_quick_mode_never_writes_to_the_committed_reports(name):
    module = load_benchmark(name)
    full = module.parse_args([])
    quick = module.parse_args(["--quick"])

    assert full.output_dir == BENCHMARKS_DIR.parent / "docs" / "benchmarks"
    assert quick.output_dir != full.output_dir
    assert BENCHMARKS_DIR / "results" in quick.output_dir.parents
    assert quick.results_dir != full.results_dir


def test_speed_quick(tmp_path):
    module = load_benchmark("speed")
    report = module.main(["--quick", "--quiet", "--output-dir", str(tmp_path)])
    text = report.read_text()
    for heading in (
        "## Fit time, 'sum > 2.5' task",
        "## Throughput, wave task",
        "## Single-row predict_proba latency",
        "## Memory over consecutive fits",
        "## Grid search with 2 workers",
    ):
        assert heading in text
    assert "skclassify, warm (same architecture again)" in text
