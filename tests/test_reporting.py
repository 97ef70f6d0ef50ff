import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread
from scipy import stats

from skclassify.reporting import (
    atomic_path,
    atomic_write_text,
    git_info,
    join_names,
    machine_info,
    markdown_table,
    mean_interval,
    mean_std_table,
    plot_heatmap,
    plot_metric,
    report_header,
    save_figure,
    summarize,
    write_report,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def results():
    """Runs of two models on two settings, 2 seeds x 3 folds, as compare_models."""
    rng = np.random.RandomState(0)
    rows = []
    for n_classes, accuracy in [
        (2, {"mlp": 0.95, "svc": 0.9}),
        (256, {"mlp": 0.1, "svc": 0.8}),
    ]:
        for model, mean in accuracy.items():
            for seed, fold in np.ndindex(2, 3):
                rows.append(
                    {
                        "model": model,
                        "seed": seed,
                        "fold": fold,
                        "accuracy": mean + 0.01 * rng.randn(),
                        "balanced_accuracy": mean,
                        "log_loss": np.nan if model == "svc" else 1 - mean,
                        "fit_time": 0.1 * (fold + 1),
                        "predict_time": 0.01,
                        "n_classes": n_classes,
                    }
                )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def summary(results):
    return summarize(results, by=["n_classes", "model"])


def assert_only_files(folder, names):
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_summarize_columns_and_values(results):
    summary = summarize(results)

    assert list(summary.columns) == [
        "model",
        "n_seeds",
        "n_folds",
        "n_runs",
        *(
            f"{metric}_{stat}"
            for metric in ("accuracy", "balanced_accuracy", "log_loss", "fit_time")
            for stat in ("mean", "std", "seed_std", "ci_low", "ci_high")
        ),
    ]
    expected = results.groupby("model")["accuracy"].agg(["mean", "std"])
    summary = summary.set_index("model")
    np.testing.assert_allclose(
        summary["accuracy_mean"], expected.loc[summary.index, "mean"]
    )
    np.testing.assert_allclose(
        summary["accuracy_std"], expected.loc[summary.index, "std"]
    )
    assert summary["n_runs"].eq(12).all() and summary["n_folds"].eq(3).all()
    assert summary["n_seeds"].eq(2).all()
    assert summary.loc["svc", "log_loss_mean"] != summary.loc["svc", "log_loss_mean"]


def test_summarize_spread_over_seeds():
    # Seed 1 is 0.2 better on every fold: no spread over folds within a
    # seed beyond the fold pattern, a clear spread over seeds.
    results = pd.DataFrame(
        {
            "model": ["mlp"] * 6,
            "seed": [0, 0, 0, 1, 1, 1],
            "fold": [0, 1, 2] * 2,
            "accuracy": [0.5, 0.6, 0.7, 0.7, 0.8, 0.9],
        }
    )
    summary = summarize(results).iloc[0]

    assert summary["accuracy_mean"] == pytest.approx(0.7)
    assert summary["accuracy_seed_std"] == pytest.approx(np.std([0.6, 0.8], ddof=1))
    assert summary["accuracy_std"] == pytest.approx(results["accuracy"].std())


def test_summarize_without_seed_column_is_one_seed(results):
    summary = summarize(results.drop(columns="seed"))
    assert summary["n_seeds"].eq(1).all() and summary["accuracy_seed_std"].isna().all()


def test_mean_std_table(summary):
    table = mean_std_table(summary, columns="n_classes", order=["svc", "mlp"])

    assert list(table.index) == ["svc", "mlp"]
    assert list(table.columns) == ["n_classes=2", "n_classes=256"]
    row = summary.set_index(["model", "n_classes"]).loc[("svc", 256)]
    assert table.loc["svc", "n_classes=256"] == (
        f"{row.accuracy_mean:.3f} ± {row.accuracy_std:.3f} "
        f"(seeds ± {row.accuracy_seed_std:.3f})"
    )


def test_join_names():
    assert join_names(["a"]) == "a"
    assert join_names(["a", "b", "c"]) == "a, b and c"
    assert join_names(list("abcdef"), limit=None) == "a, b, c, d, e and f"


def test_summarize_sorts_by_score_within_settings(summary):
    assert summary[["n_classes", "model"]].values.tolist() == [
        [2, "mlp"],
        [2, "svc"],
        [256, "svc"],
        [256, "mlp"],
    ]


def test_summarize_lower_is_better(results):
    summary = summarize(results, by="model", sort_by="fit_time")
    assert summary["fit_time_mean"].is_monotonic_increasing


def test_summarize_bad_sort_by(results):
    with pytest.raises(ValueError, match="sort_by"):
        summarize(results, sort_by="f1")


def test_plot_metric(summary):
    fig = plot_metric(summary, x="n_classes", logx=True, log_base=2, title="acc")

    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["mlp", "svc"]
    assert len(ax.lines) >= 2 and ax.get_title() == "acc"
    x, y = ax.lines[0].get_data()
    np.testing.assert_array_equal(x, [2, 256])


def test_plot_metric_raw_column_no_hue(results):
    fig = plot_metric(results[results.model == "svc"], x="fold", y="fit_time", hue=None)
    (ax,) = fig.axes
    assert ax.get_legend() is None and ax.get_xscale() == "linear"
    assert ax.get_ylabel() == "fit_time"


def test_plot_metric_reference_lines_and_distinct_styles(summary):
    chance = pd.Series({2: 0.5, 256: 1 / 256})
    fig = plot_metric(
        summary, x="n_classes", references={"chance (1/k)": chance, "floor": 0.0}
    )
    (ax,) = fig.axes

    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["mlp", "svc", "chance (1/k)", "floor"]
    curves = ax.containers
    styles = {(c.lines[0].get_marker(), c.lines[0].get_linestyle()) for c in curves}
    assert len(styles) == len(curves)  # no curve can hide under another
    reference = next(line for line in ax.lines if line.get_label() == "chance (1/k)")
    np.testing.assert_allclose(reference.get_ydata(), [0.5, 1 / 256])


def test_plot_heatmap(summary):
    table = summary.pivot(index="model", columns="n_classes", values="accuracy_mean")
    table.iloc[0, 0] = np.nan

    fig = plot_heatmap(table, title="accuracy", colorbar_label="mean")

    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "256"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["mlp", "svc"]
    assert len(ax.texts) == 3  # the NaN cell is blank
    assert ax.get_xlabel() == "n_classes"


def test_save_figure_writes_valid_png(tmp_path, summary):
    fig = plot_metric(summary, x="n_classes")

    path = save_figure(fig, tmp_path / "plot.png")

    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert imread(path).ndim == 3
    assert_only_files(tmp_path, ["plot.png"])


def test_atomic_write_keeps_old_file_on_error(tmp_path):
    target = atomic_write_text(tmp_path / "report.md", "old")

    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash while writing")

    assert target.read_text() == "old"
    assert_only_files(tmp_path, ["report.md"])


def test_machine_info_imports_nothing_heavy():
    before = set(sys.modules)
    info = machine_info()
    imported = set(sys.modules) - before

    assert not {"tensorflow", "keras", "torch"} & imported
    assert info["versions"]["python"].count(".") == 2
    assert {"numpy", "scikit-learn"} <= set(info["versions"])
    assert info["cpu_count"] >= 1


def test_write_report(tmp_path, summary):
    table = summary.pivot(index="model", columns="n_classes", values="accuracy_mean")
    sections = {
        "Accuracy vs. number of classes": [
            "Mean and std over 3 folds.",
            summary,
            plot_metric(summary, x="n_classes", logx=True, log_base=2),
        ],
        "Heatmap": [plot_heatmap(table), plot_heatmap(table, cmap="magma")],
        "Pivot": table,
    }

    path = write_report(
        tmp_path / "docs" / "waves.md",
        title="Waves benchmark",
        sections=sections,
        headline="The SVC wins at 256 classes.",
        findings=["svc 0.80 against mlp 0.10 at 256 classes."],
        command="python benchmarks/bench_waves.py --seed 0",
        seeds=[0, 1, 2],
        runtime=3725.0,
        git={"commit": "0123456789abcdef" * 2 + "01234567", "dirty": True},
        date="2025-01-01T00:00:00+00:00",
        extra_header={"Device": "CPU only"},
    )

    text = path.read_text()
    lines = text.splitlines()
    assert lines[0] == "# Waves benchmark"
    assert lines[2] == "**The SVC wins at 256 classes.**"
    assert lines[4] == "- svc 0.80 against mlp 0.10 at 256 classes."
    header = text.split("## Run", 1)[1].split("\n## ", 1)[0]
    for field in [
        "- **Command:** `python benchmarks/bench_waves.py --seed 0`",
        "- **Seeds:** [0, 1, 2]",
        "- **Commit:** `0123456789ab` (dirty: local changes)",
        "- **Date:** 2025-01-01T00:00:00+00:00",
        "- **Machine:** ",
        "- **Versions:** python ",
        "scikit-learn ",
        "- **Runtime:** 1 h 02 min 05 s",
        "- **Device:** CPU only",
    ]:
        assert field in header
    assert "## Accuracy vs. number of classes" in text
    assert markdown_table(summary) in text
    assert table.to_markdown(floatfmt=".4f") in text
    assert max(len(line) for line in lines if line.startswith("|")) <= 100

    pngs = [
        "waves-accuracy-vs-number-of-classes.png",
        "waves-heatmap-1.png",
        "waves-heatmap-2.png",
    ]
    for png in pngs:
        assert f"]({png})" in text
        assert (path.parent / png).read_bytes()[:8] == PNG_SIGNATURE
    assert_only_files(path.parent, ["waves.md", *pngs])  # no temp files left


def test_write_report_defaults(tmp_path):
    path = write_report(tmp_path / "r.md", title="T", sections={"S": "text"})

    text = path.read_text()
    assert "- **Seeds:** n/a" in text and "- **Runtime:** n/a" in text
    assert "- **Command:** `python " in text
    assert "skclassify " in text and "- **Commit:** " in text
    assert text.endswith("## S\n\ntext\n")


def test_write_report_rejects_unknown_content(tmp_path):
    with pytest.raises(TypeError, match="Report content"):
        write_report(tmp_path / "r.md", title="T", sections={"S": 42})
    assert not (tmp_path / "r.md").exists()


def test_write_report_at_most_five_findings(tmp_path):
    with pytest.raises(ValueError, match="at most 5 findings"):
        write_report(tmp_path / "r.md", title="T", sections={}, findings=["x"] * 6)
    assert not (tmp_path / "r.md").exists()


def test_git_info_of_this_checkout():
    info = git_info()

    if info["commit"] is None:  # pragma: no cover - installed without git
        pytest.skip("not a git checkout")
    assert len(info["commit"]) == 40 and info["dirty"] in (True, False)


def test_git_info_dirty_flag(tmp_path):
    import subprocess

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "code.py").write_text("x = 1\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.md").write_text("old\n")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")

    assert git_info(tmp_path)["dirty"] is False
    (tmp_path / "out" / "report.md").write_text("new\n")
    assert git_info(tmp_path)["dirty"] is True
    assert git_info(tmp_path, ignore=[tmp_path / "out"])["dirty"] is False
    (tmp_path / "code.py").write_text("x = 2\n")
    assert git_info(tmp_path, ignore=[tmp_path / "out"])["dirty"] is True


def test_git_info_outside_a_checkout(tmp_path):
    assert git_info(tmp_path) == {"commit": None, "dirty": None}


def test_report_header_fields():
    fields = report_header(
        command="python x.py",
        seeds=(0, 1, 2),
        git={"commit": None, "dirty": None},
        extra={"Size": "quick"},
    )
    assert list(fields) == [
        "Command",
        "Seeds",
        "Date",
        "Machine",
        "Versions",
        "Commit",
        "Runtime",
        "Size",
    ]
    assert fields["Seeds"] == "[0, 1, 2]"
    assert fields["Commit"] == "unknown (not a git checkout)"
    assert "skclassify" in fields["Versions"]


def _extents(texts):
    return sorted((t.get_window_extent() for t in texts), key=lambda e: e.x0)


def _overlaps(extents):
    return [
        (a, b)
        for a, b in zip(extents[:-1], extents[1:], strict=True)
        if a.x1 > b.x0 and a.y1 > b.y0 and b.y1 > a.y0
    ]


def test_heatmap_numbers_never_overprint():
    # The objectives heatmap printed "0.950.95": many columns of 0.95.
    table = pd.DataFrame(
        np.full((4, 14), 0.9512), index=[f"model {k}" for k in range(4)]
    )
    for fmt in (".2f", ".4f"):
        fig = plot_heatmap(table, fmt=fmt, figsize=(6.4, 3.0))
        fig.draw_without_rendering()
        ax = fig.axes[0]
        for row in range(4):
            texts = [t for t in ax.texts if t.get_position()[1] == row]
            assert len(texts) == 14 and not _overlaps(_extents(texts))


def test_colliding_x_labels_are_rotated():
    summary = pd.DataFrame(
        {
            "data set": [f"a long data set name {k}" for k in range(8)],
            "accuracy_mean": np.linspace(0.5, 0.9, 8),
        }
    )
    fig = plot_metric(summary, x="data set", hue=None)
    fig.draw_without_rendering()
    labels = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]

    assert labels[0].get_rotation() != 0
    assert not _overlaps(_extents(labels))


def test_error_bars_are_confidence_intervals_clipped_to_one():
    results = pd.DataFrame(
        {
            "model": ["a"] * 6,
            "seed": [0, 0, 0, 1, 1, 1],
            "fold": [0, 1, 2] * 2,
            "accuracy": [1.0, 1.0, 0.8, 1.0, 1.0, 1.0],
            "n_train": [80] * 6,
            "n_test": [20] * 6,
        }
    )
    summary = summarize(results, metrics=["accuracy"]).iloc[0]

    mean, low, high = mean_interval(results["accuracy"], n_train=80, n_test=20)
    assert summary["accuracy_ci_low"] == pytest.approx(low)
    assert high == summary["accuracy_ci_high"] == 1.0  # clipped
    s = results["accuracy"].std()
    half = stats.t.ppf(0.975, 5) * s * np.sqrt(1 / 6 + 20 / 80)
    assert low == pytest.approx(mean - half)
    assert mean_interval([0.5]) == (0.5, 0.5, 0.5)


def test_markdown_tables_are_at_most_100_characters_wide(results):
    summary = summarize(results)
    text = markdown_table(summary)

    assert max(map(len, text.splitlines())) <= 100
    assert "svc" in text.splitlines()[0]  # few rows, many columns: transposed
    # Many rows too: split, and every part keeps the model column.
    text = markdown_table(pd.concat([summary] * 8, ignore_index=True))
    parts = text.split("\n\n")
    assert len(parts) > 1 and max(map(len, text.splitlines())) <= 100
    assert all(part.splitlines()[0].startswith("| model") for part in parts)
    narrow = pd.DataFrame({"model": ["svc"], "accuracy": [0.9]})
    assert markdown_table(narrow) == narrow.to_markdown(index=False, floatfmt=".4f")
    long_text = pd.DataFrame({"model": ["svc"], "estimator": ["x" * 150]})
    # A cell wider than any table: a bullet list, not a table.
    assert markdown_table(long_text) == f"- **svc**, estimator: {'x' * 150}"
