"""The cost estimate of ``skclassify compare`` and its weighted progress bar."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler

from skclassify.cli._cost import WeightedProgress, _scaled, probe_costs
from skclassify.tabular import make_models


def test_scaled_separates_fixed_and_growing_cost():
    # t = 1 + 0.001 * m: 1.1 s at 100 rows, 1.4 s at 400 rows.
    assert np.isclose(_scaled(1.1, 1.4, 100, 400, 10_000, 1.0), 11.0)
    # t = 2e-6 * m ** 2: a quadratic model.
    assert np.isclose(_scaled(0.02, 0.32, 100, 400, 1000, 2.0), 2.0)
    # Noise that makes the larger probe faster never gives a negative cost.
    assert _scaled(1.0, 0.5, 100, 400, 10_000, 1.0) >= 0


def test_probe_costs_every_contender_and_the_tuned_cost_more():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.randn(300, 4), columns=list("abcd"))
    y = pd.Series(np.where(X["a"] > 0, "p", "n"))
    models = make_models(["lr", "knn"], StandardScaler(), n_train=240, tune=True)
    costs, startup = probe_costs(models, X, y, n_train=240, n_test=60)
    assert set(costs) == set(models)
    assert all(cost >= 0 for cost in costs.values())
    assert costs["lr_tuned"] > costs["lr"] and costs["knn_tuned"] > costs["knn"]
    assert startup == 0.0  # no net, nothing to compile


def test_weighted_progress_counts_each_cell_once(tmp_path):
    results = tmp_path / "results.jsonl"
    rows = [
        {"model": "knn", "seed": 0, "fold": 0, "cell": "k0"},
        {"model": "knn", "seed": 1, "fold": 0, "cell": "k0"},  # the same cell
        {"model": "mlp", "seed": 0, "fold": 0, "cell": "m0"},
    ]
    results.write_text("".join(json.dumps(row) + "\n" for row in rows))
    progress = WeightedProgress(
        results, {"knn": 1.0, "mlp": 10.0}, {"knn": 1, "mlp": 2}, {}, disable=True
    )
    with progress.running():
        with results.open("a") as f:
            f.write(json.dumps({"model": "mlp", "seed": 1, "fold": 0, "cell": "m1"}))
            f.write("\n")
    assert progress.done == 3


def test_weighted_progress_never_passes_its_total(tmp_path):
    """Weights summed in another order than the total pass it by a rounding
    error: the bar must stay within it (tqdm warns 'clamping frac')."""
    results = tmp_path / "results.jsonl"
    rows = [{"model": "b", "seed": 0, "fold": i, "cell": f"b{i}"} for i in range(5)]
    rows += [{"model": "a", "seed": 0, "fold": i, "cell": f"a{i}"} for i in range(2)]
    progress = WeightedProgress(results, {"a": 0.1, "b": 0.2}, {"a": 2, "b": 5}, {})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with progress.running():
            results.write_text("".join(json.dumps(row) + "\n" for row in rows))
    assert progress.done == 7
    assert not [w for w in caught if "clamping" in str(w.message)]


def test_the_nets_compile_time_is_spread_over_its_cells():
    from types import SimpleNamespace

    from skclassify.cli._compare import _with_compile

    contenders = {
        "lr": SimpleNamespace(key="lr"),
        "mlp": SimpleNamespace(key="mlp"),
    }
    costs, startup = _with_compile(
        {"lr": 0.1, "mlp": 0.08}, 4.0, contenders, seeds=[0, 1, 2], cv=5, n_jobs=2
    )

    # 15 cells on 2 processes: each process compiles once, 4 s * 2 / 15.
    assert costs["mlp"] == pytest.approx(0.08 + 4.0 * 2 / 15)
    assert costs["lr"] == 0.1 and startup == 0.0
