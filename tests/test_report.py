import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

from skclassify.evaluation import (
    atomic_path,
    atomic_write_text,
    machine_info,
    plot_heatmap,
    plot_metric,
    save_figure,
    summarize,
    write_report,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def results():
    """Per-fold results of two models on two settings, as compare_models gives."""
    rng = np.random.RandomState(0)
    rows = []
    for n_classes, accuracy in [
        (2, {"mlp": 0.95, "svc": 0.9}),
        (256, {"mlp": 0.1, "svc": 0.8}),
    ]:
        for model, mean in accuracy.items():
            for fold in range(3):
                rows.append(
                    {
                        "model": model,
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
        "n_folds",
        "accuracy_mean",
        "accuracy_std",
        "balanced_accuracy_mean",
        "balanced_accuracy_std",
        "log_loss_mean",
        "log_loss_std",
        "fit_time_mean",
        "fit_time_std",
    ]
    expected = results.groupby("model")["accuracy"].agg(["mean", "std"])
    summary = summary.set_index("model")
    np.testing.assert_allclose(
        summary["accuracy_mean"], expected.loc[summary.index, "mean"]
    )
    np.testing.assert_allclose(
        summary["accuracy_std"], expected.loc[summary.index, "std"]
    )
    assert summary["n_folds"].eq(6).all()
    assert summary.loc["svc", "log_loss_mean"] != summary.loc["svc", "log_loss_mean"]


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
        command="python benchmarks/bench_waves.py --seed 0",
        seed=0,
        runtime=3725.0,
        date="2025-01-01T00:00:00+00:00",
        extra_header={"Device": "CPU only"},
    )

    text = path.read_text()
    lines = text.splitlines()
    assert lines[0] == "# Waves benchmark"
    header = "\n".join(lines[:10])
    for field in [
        "- **Command:** `python benchmarks/bench_waves.py --seed 0`",
        "- **Seed:** 0",
        "- **Date:** 2025-01-01T00:00:00+00:00",
        "- **Machine:** ",
        "- **Versions:** python ",
        "scikit-learn ",
        "- **Runtime:** 1 h 02 min 05 s",
        "- **Device:** CPU only",
    ]:
        assert field in header
    assert "## Accuracy vs. number of classes" in text
    assert summary.to_markdown(index=False, floatfmt=".4f") in text
    assert table.to_markdown(floatfmt=".4f") in text

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
    assert "- **Seed:** n/a" in text and "- **Runtime:** n/a" in text
    assert "- **Command:** `python " in text
    assert text.endswith("## S\n\ntext\n")


def test_write_report_rejects_unknown_content(tmp_path):
    with pytest.raises(TypeError, match="Report content"):
        write_report(tmp_path / "r.md", title="T", sections={"S": 42})
    assert not (tmp_path / "r.md").exists()
