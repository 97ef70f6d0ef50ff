"""Budget curves (skclassify.evaluation._curves): one run, scored along the way."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skclassify import KerasMLPClassifier
from skclassify.datasets import make_waves
from skclassify.evaluation import CurveRule, budget_curve
from skclassify.evaluation._curves import checkpoints, steps_per_epoch


def row(steps, accuracy, loss):
    return {"steps": steps, "accuracy": accuracy, "loss": loss}


def test_rule_stops_at_the_target_less_its_tolerance():
    rule = CurveRule(max_steps=100, target=0.9, tolerance=0.01)
    assert rule.reason([row(10, 0.885, 1.0)]) is None
    assert rule.reason([row(10, 0.89, 1.0)]) == "target"


def test_rule_stops_at_the_cap():
    assert CurveRule(max_steps=100).reason([row(100, 0.1, 1.0)]) == "cap"


@pytest.mark.parametrize(
    ("accuracy", "loss", "reason"),
    [
        (0.50, 0.995, "plateau"),  # neither rose nor fell enough
        (0.52, 0.995, None),  # accuracy rose by the tolerance
        (0.50, 0.98, None),  # loss fell by 2 %
    ],
)
def test_rule_plateau_needs_flat_accuracy_and_flat_loss(accuracy, loss, reason):
    rule = CurveRule(max_steps=10**6, min_steps=1000, plateau_factor=4)
    rows = [row(500, 0.50, 1.0), row(1000, 0.50, 1.0), row(4000, accuracy, loss)]
    assert rule.reason(rows) == reason
    assert rule.reason(rows[:2]) is None  # too early to call a plateau


def test_checkpoints_grow_geometrically_up_to_the_cap():
    epochs = checkpoints(50_000, 8)
    assert epochs[-1] * 8 == 50_000
    assert all(b > a for a, b in zip(epochs, epochs[1:], strict=False))
    assert len(epochs) < 30
    assert steps_per_epoch(256, 2048) == 8
    assert steps_per_epoch(256, 32) == 1
    assert steps_per_epoch("auto", 500) == 3


@pytest.mark.slow
def test_curve_continues_with_the_optimizer_state_as_one_fit():
    """Scored at 29 epochs, the curve's net is the net of one 29-epoch fit."""
    X, y = make_waves(10, n_classes=4, n_features=8, random_state=0)
    params = dict(
        hidden_layer_sizes=(8,),
        optimizer="adam",
        learning_rate=0.01,
        batch_size=256,
        shuffle=False,
        n_iter_no_change=10**6,
    )
    net = make_pipeline(StandardScaler(), KerasMLPClassifier(**params))
    rows = budget_curve(
        net, X[::2], y[::2], X[1::2], y[1::2], CurveRule(max_steps=29), seed=0
    )
    one = make_pipeline(
        StandardScaler(), KerasMLPClassifier(**params, epochs=29, random_state=0)
    )
    with pytest.warns(Warning):
        one.fit(X[::2], y[::2])

    assert [r["steps"] for r in rows] == [10, 15, 21, 29]
    assert rows[-1]["stop"] == "cap" and all(r["stop"] is None for r in rows[:-1])
    assert rows[-1]["loss"] == pytest.approx(one[-1].loss_, rel=1e-5)
    assert rows[-1]["accuracy"] == np.mean(one.predict(X[1::2]) == y[1::2])
    assert all(
        b["seconds"] >= a["seconds"] for a, b in zip(rows, rows[1:], strict=False)
    )
