"""Speed of fitting: skclassify vs plain Keras, scikeras and scikit-learn.

Measures, side by side in one run on this machine:

* fit time on the "sum > 2.5" task (250 x 5, Dense(20) -> Dense(2), 150 epochs,
  batch 32, adam): cold (first fit in a fresh process) and warm (later fits of
  the same architecture, as in CV folds and grid search);
* throughput on the wave task (a 5-fold training split of 2,560 x 200,
  256 classes, Dense(2048, sigmoid) -> softmax, batch 256, 50 epochs), in
  GFLOP/s of matmul work, against this machine's float32 matmul peak;
* the cost of a fit at scale (2,560 and 25,600 x 200 rows, 256 classes, a
  (64,) net, 2 and 20 epochs) against MLPClassifier's, with each skclassify
  fit broken down into its stages (validation, target encoding,
  initialisation, compiled loop, storing), so a regression shows by stage;
* a scaling sweep: fit time of the same (64,) net, 2 epochs, against the
  number of rows (1,000 to 100,000 at 256 classes) and of classes (2 to
  1,024 at 10,000 rows), for skclassify, MLPClassifier and Keras
  ``model.fit`` (``_speed_scaling``), as tables and log-log plots;
* single-row ``predict_proba`` latency;
* resident memory over many consecutive fits;
* ``GridSearchCV`` speed-up from 2 workers (joblib/loky and Dask).

Usage: ``python benchmarks/speed.py [--quick] [--seed 0] [--output-dir DIR]``.
"""

import argparse
import contextlib
import gc
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _speed_scaling import (
    bench_scaling,
    keras_fit,
    scaling_finding,
    scaling_sections,
    sklearn_mlp,
)

from skclassify import KerasMLPClassifier
from skclassify.datasets import make_sum_threshold, make_waves
from skclassify.evaluation import dask_backend
from skclassify.reporting import write_report

SIZES = {
    # name: sum epochs, wave classes, wave epochs, memory fits, timing repeats,
    # grid epochs, (rows, epochs) of the at-scale fits, the scaling sweep
    # (rows at `at_classes` classes, classes at `at_rows` rows, fits per median)
    "full": {"sum_epochs": 150, "wave_classes": 256, "wave_epochs": 50,
             "memory_fits": 200, "repeats": 5, "grid_epochs": 1000,
             "scale": [(2560, 2), (25600, 2), (2560, 20), (25600, 20)],
             # against hand-written loops: KIND:ROWSxEPOCHS (_speed_yardstick)
             "yardstick": {"cases": ["small:2560x20", "small:25600x2",
                                     "small:25600x20", "wave:2560x400"],
                           "repeats": 5},
             "sweep": {"rows": (1000, 10000, 100000), "at_classes": 256,
                       "classes": (2, 16, 256, 1024), "at_rows": 10000,
                       "repeats": 3}},
    "quick": {"sum_epochs": 10, "wave_classes": 16, "wave_epochs": 2,
              "memory_fits": 10, "repeats": 2, "grid_epochs": 10,
              "scale": [(512, 2)],
              "yardstick": {"cases": ["small:512x2"], "repeats": 1},
              "sweep": {"rows": (256, 1024), "at_classes": 16,
                        "classes": (2, 16), "at_rows": 1024, "repeats": 1}},
}  # fmt: skip
#: Fits per median of the fast sum-task baselines (LogisticRegression, SVC).
BASELINE_REPEATS = 5
#: Calls per median single-row latency.
LATENCY_CALLS = 50
#: Classes of the at-scale fits.
SCALE_CLASSES = 256
#: Rows of the cold-start table: the first fit in a fresh process.
COLD_EMPTY = "skclassify, cold, empty compile cache (first fit in a process)"
COLD_FILLED = "skclassify, cold, compile cache filled (first fit in a process)"

# Functions of a skclassify fit whose cumulative time makes up each stage.
STAGES = {
    "validation": ("validate_data", "_sample_weight"),
    "target encoding": ("_build_spec", "codes"),
    "initialisation": ("_initial_weights",),
    "compiled loop": ("train_network",),
    "storing": ("_store_result",),
}


def _median_time(fit, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fit()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def _scikeras_fit(X, y, hidden, epochs, batch_size, activation, seed):
    import keras
    from scikeras.wrappers import KerasClassifier

    def build(meta):
        model = keras.Sequential(
            [keras.Input((meta["n_features_in_"],))]
            + [keras.layers.Dense(units, activation=activation) for units in hidden]
            + [keras.layers.Dense(meta["n_classes_"], activation="softmax")]
        )
        model.compile("adam", "sparse_categorical_crossentropy")
        return model

    return KerasClassifier(
        build, epochs=epochs, batch_size=batch_size, verbose=0, random_state=seed
    ).fit(X, y)


_COLD = """
import sys, time
t0 = time.perf_counter()
from skclassify import KerasMLPClassifier
from skclassify._compat._keras import import_keras
from skclassify.datasets import make_sum_threshold
import_keras()  # Keras and TensorFlow: import time, reported on its own
t1 = time.perf_counter()
X, y = make_sum_threshold(n_samples=250, random_state=0)
KerasMLPClassifier((20,), epochs={epochs}, batch_size=32, random_state=0).fit(X, y)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _cold_fit(epochs, xla_cache):
    """(import seconds, first-fit seconds) in a fresh Python process.

    ``xla_cache``: the compile cache's folder (``SKCLASSIFY_XLA_CACHE``).
    """
    env = {**os.environ, "SKCLASSIFY_XLA_CACHE": xla_cache}
    return subprocess.run(
        [sys.executable, "-c", _COLD.format(epochs=epochs)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.split()


def bench_sum(size, seed):
    """Fit times on the "sum > 2.5" task, as a table of seconds and ratios."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC

    epochs, repeats = size["sum_epochs"], size["repeats"]
    few = min(repeats, 3)  # Keras and scikeras build a new model per fit
    X, y = make_sum_threshold(n_samples=250, random_state=seed)
    net = {"hidden": (20,), "epochs": epochs, "batch_size": 32, "activation": "relu"}
    with tempfile.TemporaryDirectory() as cache:
        cold = _cold_fit(epochs, cache)  # empty cache: compiles, and fills it
        cached = _cold_fit(epochs, cache)
    ours = KerasMLPClassifier((20,), epochs=epochs, batch_size=32, random_state=seed)
    ours.fit(X, y)  # the architecture is compiled from here on
    rows = {
        "sklearn MLPClassifier": _median_time(
            lambda: sklearn_mlp(**{**net, "hidden": (20,)}, seed=seed).fit(X, y),
            repeats,
        ),
        COLD_EMPTY: float(cold[1]),
        COLD_FILLED: float(cached[1]),
        "skclassify, warm (same architecture again)": _median_time(
            lambda: ours.fit(X, y), repeats
        ),
        "Keras model.fit (numpy input, verbose=0)": _median_time(
            lambda: keras_fit(X, y, **net), few
        ),
        "scikeras KerasClassifier.fit": _median_time(
            lambda: _scikeras_fit(X, y, **net, seed=seed), few
        ),
        "LogisticRegression": _median_time(
            lambda: LogisticRegression().fit(X, y), BASELINE_REPEATS
        ),
        "SVC (rbf)": _median_time(lambda: SVC().fit(X, y), BASELINE_REPEATS),
    }
    base = rows["sklearn MLPClassifier"]
    table = pd.DataFrame(
        {
            "fit time (s)": rows,
            "vs sklearn MLPClassifier": {k: v / base for k, v in rows.items()},
        }
    )
    table.index.name = "way to train"
    counts = {"repeats": repeats, "few": few}
    return table, {"import_s": float(cold[0]), "cold_s": float(cold[1]), **counts}


def _matmul_gflops(X_rows, layers):
    """Matmul FLOPs of one epoch: forward, weight gradients, input gradients."""
    sizes = list(zip(layers[:-1], layers[1:], strict=True))
    forward = sum(2 * a * b for a, b in sizes)
    input_grads = sum(2 * a * b for a, b in sizes[1:])  # not for the input layer
    return X_rows * (2 * forward + input_grads) / 1e9


def _matmul_peak():
    """float32 GFLOP/s of a 2048^3 matmul: the best of numpy and TensorFlow."""
    import keras

    a = np.random.RandomState(0).rand(2048, 2048).astype("float32")
    t = keras.ops.convert_to_tensor(a)
    calls = {
        "numpy": lambda: a @ a,
        "keras": lambda: keras.ops.convert_to_numpy(keras.ops.matmul(t, t)),
    }
    for call in calls.values():
        call()
    return max(2 * 2048**3 / _median_time(call, 5) / 1e9 for call in calls.values())


def bench_wave(size, seed):
    """Throughput on the wave task (one 5-fold training split)."""
    n_classes, epochs = size["wave_classes"], size["wave_epochs"]
    X, y = make_waves(n_classes=n_classes, order="interleaved", random_state=seed)
    X, y = X[: int(0.8 * len(X))], y[: int(0.8 * len(y))]
    hidden = (8 * n_classes,)
    net = {
        "hidden": hidden,
        "epochs": epochs,
        "batch_size": 256,
        "activation": "logistic",
    }
    gflop = epochs * _matmul_gflops(len(X), [X.shape[1], *hidden, n_classes])
    ours = KerasMLPClassifier(
        hidden, activation="sigmoid", epochs=epochs, batch_size=256, random_state=seed
    )
    ours.fit(X, y)
    repeats = {"skclassify (warm)": 2, "sklearn MLPClassifier": 1, "Keras model.fit": 1}
    fits = {
        "skclassify (warm)": lambda: ours.fit(X, y),
        "sklearn MLPClassifier": lambda: sklearn_mlp(**net, seed=seed).fit(X, y),
        "Keras model.fit": lambda: keras_fit(X, y, **{**net, "activation": "sigmoid"}),
    }
    times = {name: _median_time(fit, repeats[name]) for name, fit in fits.items()}
    table = pd.DataFrame(
        {
            "fit time (s)": times,
            "GFLOP/s": {k: gflop / v for k, v in times.items()},
            "vs sklearn MLPClassifier (speed-up)": {
                k: times["sklearn MLPClassifier"] / v for k, v in times.items()
            },
        }
    )
    table.index.name = f"{len(X)} x {X.shape[1]}, {n_classes} classes"
    info = {"hidden": hidden[0], "epochs": epochs, "repeats": repeats}
    info.update(rows=len(X), features=X.shape[1], classes=n_classes)
    return table, {"gflop": gflop, "peak": _matmul_peak(), **info}


def _fit_seconds(estimator, X, y):
    start = time.perf_counter()
    estimator.fit(X, y)
    return time.perf_counter() - start


def _stage_times(fit, *args):
    """Seconds of each stage of one fit, from a profile of it."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.runcall(fit, *args)
    total = time.perf_counter() - start
    stats = pstats.Stats(profile).stats
    cumulative = {}
    for (_, _, name), (_, _, _, cum, _) in stats.items():
        cumulative[name] = max(cumulative.get(name, 0.0), cum)
    times = {
        stage: sum(cumulative.get(name, 0.0) for name in names)
        for stage, names in STAGES.items()
    }
    times["total"] = total
    return times


def bench_scale(size, seed):
    """At-scale fit cost against MLPClassifier, and skclassify's stages."""
    n_classes, hidden = SCALE_CLASSES, (64,)
    rows, stages = {}, {}
    for n_rows, epochs in size["scale"]:
        per_class = max(1, n_rows // n_classes)
        X, y = make_waves(
            per_class, n_classes=n_classes, order="shuffled", random_state=seed
        )
        # batch_size "auto" (min(200, n)) for both, as MLPClassifier's default
        ours = KerasMLPClassifier(hidden, epochs=epochs, tol=0, random_state=seed)
        ours.fit(X, y)  # compiled from here on: the warm cost is measured
        mlp = sklearn_mlp(hidden, epochs, "auto", "relu", seed)
        repeats = size["repeats"]
        ours_times, mlp_times = [], []
        for _ in range(repeats):  # interleaved, so load affects both alike
            ours_times.append(_fit_seconds(ours, X, y))
            mlp_times.append(_fit_seconds(mlp, X, y))
        label = f"{len(X):,} rows x {epochs} epochs"
        rows[label] = {
            "skclassify (s)": float(np.median(ours_times)),
            "sklearn MLPClassifier (s)": float(np.median(mlp_times)),
        }
        stages[label] = _stage_times(ours.fit, X, y)
    table = pd.DataFrame(rows).T
    table["skclassify / MLPClassifier"] = (
        table["skclassify (s)"] / table["sklearn MLPClassifier (s)"]
    )
    stage_table = pd.DataFrame(stages).T
    outside = stage_table.drop(columns=["compiled loop", "total"])
    stage_table["largest stage outside the loop (share)"] = (
        outside.max(axis=1) / stage_table["total"]
    )
    return table, stage_table


def bench_yardstick(size, seed):
    """skclassify's warm fit against a hand-written loop, on each backend.

    The Keras backend is fixed when Keras is imported: each backend runs in a
    fresh process of ``_speed_yardstick.py``, which alternates the two fits.
    """
    import json

    script = Path(__file__).resolve().parent / "_speed_yardstick.py"
    command = [sys.executable, str(script), "--repeats", str(size["repeats"])]
    command += ["--seed", str(seed), "--cases", *size["cases"]]
    records = []
    for backend in ("tensorflow", "jax"):
        env = {**os.environ, "KERAS_BACKEND": backend}
        done = subprocess.run(
            command, check=True, capture_output=True, text=True, env=env
        )
        records += [json.loads(line) for line in done.stdout.splitlines()]
    table = pd.DataFrame(records)
    table["net"] = table["case"].map(
        lambda case: "Dense(64, relu)" if case.startswith("small") else
        "(256, 512) sigmoid"
    )  # fmt: skip
    table["rows x epochs"] = table["case"].map(
        lambda case: "{:,} x {}".format(*map(int, case.split(":")[1].split("x")))
    )
    table["skclassify / hand-written"] = table["skclassify"] / table["hand-written"]
    table["skclassify / hand-written, logits"] = (
        table["skclassify"] / table["hand-written, logits"]
    )
    table = table.rename(
        columns={"skclassify": "skclassify (s)", "hand-written": "hand-written (s)"}
    )
    columns = ["backend", "net", "rows x epochs", "skclassify (s)"]
    columns += ["hand-written (s)", "skclassify / hand-written"]
    columns += ["skclassify / hand-written, logits"]
    return table[columns].set_index(["backend", "net", "rows x epochs"])


def bench_latency(seed):
    """Median single-row predict_proba latency, in milliseconds."""
    import keras

    X, y = make_sum_threshold(n_samples=250, random_state=seed)
    ours = KerasMLPClassifier((20,), epochs=5, random_state=seed).fit(X, y)
    model = keras_fit(X, y, (20,), 5, 32, "relu")
    mlp = sklearn_mlp((20,), 5, 32, "relu", seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlp.fit(X, y)
    row = X[:1]
    keras_row = row.astype("float32")
    calls = {
        "skclassify predict_proba": lambda: ours.predict_proba(row),
        "Keras model.predict": lambda: model.predict(keras_row, verbose=0),
        "Keras model(x) (eager call)": lambda: keras.ops.convert_to_numpy(
            model(keras_row)
        ),
        "sklearn MLPClassifier predict_proba": lambda: mlp.predict_proba(row),
    }
    latency = {
        name: 1e3 * _median_time(call, LATENCY_CALLS) for name, call in calls.items()
    }
    return pd.Series(latency, name="median latency (ms)").to_frame()


def bench_memory(size, seed):
    """Resident memory growth over consecutive fits (a grid search's worth)."""
    import psutil

    X, y = make_sum_threshold(n_samples=250, random_state=seed)
    process = psutil.Process()
    n_fits = size["memory_fits"]
    rss = []
    for i in range(n_fits):
        KerasMLPClassifier((20,), epochs=20, random_state=i).fit(X, y)
        if i in (0, n_fits // 2, n_fits - 1):
            gc.collect()
            rss.append(process.memory_info().rss / 2**20)
    return pd.DataFrame(
        {"RSS after fit (MiB)": rss},
        index=pd.Index([1, n_fits // 2 + 1, n_fits], name="fits"),
    )


def bench_grid(size, seed, scheduler=None, with_workers=True):
    """GridSearchCV wall time with 1 and 2 workers (loky and Dask).

    ``with_workers=False`` times the single process only (no worker start-ups).
    """
    import joblib
    from sklearn.model_selection import GridSearchCV

    X, y = make_sum_threshold(n_samples=250, random_state=seed)
    grid = {"learning_rate": [1e-3, 3e-3, 1e-2, 3e-2], "batch_size": [16, 32, 64]}
    # enough epochs that a fit (~0.2 s) outweighs dispatching it to a worker
    est = KerasMLPClassifier((20,), epochs=size["grid_epochs"], random_state=seed)

    def search(n_jobs):
        GridSearchCV(est, grid, cv=3, n_jobs=n_jobs).fit(X, y)

    def timed(n_jobs):
        search(n_jobs)  # start workers, import and compile once
        return _median_time(lambda: search(n_jobs), 1)

    times = {"1 process": timed(1)}
    if not with_workers:
        return pd.DataFrame({"wall time (s)": times})
    with joblib.parallel_config(backend="loky"):
        times["joblib (loky), 2 workers"] = timed(2)
    for workers in (1, 2):
        context = (
            dask_backend(scheduler)
            if scheduler
            else dask_backend(n_workers=workers, threads_per_worker=1)
        )
        with context:
            times[f"Dask, {workers} local worker(s)"] = timed(-1)
        if scheduler:
            break
    table = pd.DataFrame({"wall time (s)": times})
    table["speed-up vs 1 process"] = times["1 process"] / table["wall time (s)"]
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (CI)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output-dir", type=Path, default=None)
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    size = SIZES["quick" if args.quick else "full"]
    here = Path(__file__).resolve().parent
    out = args.output_dir or (
        here / "results" / "quick"
        if args.quick
        else here.parent / "docs" / "benchmarks"
    )
    start = time.perf_counter()
    load_before = os.getloadavg()[0]
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        from sklearn.exceptions import ConvergenceWarning

        warnings.simplefilter("ignore", category=ConvergenceWarning)
        say("sum task ...")
        sum_table, cold = bench_sum(size, args.seed)
        say(sum_table)
        say("wave task ...")
        wave_table, wave = bench_wave(size, args.seed)
        say(wave_table)
        say("fit cost at scale ...")
        scale_table, stage_table = bench_scale(size, args.seed)
        say(scale_table)
        say("against hand-written loops ...")
        yardstick = bench_yardstick(size["yardstick"], args.seed)
        say(yardstick)
        say("scaling sweep ...")
        sweep_table = bench_scaling(size["sweep"], args.seed)
        say(sweep_table)
        say("latency ...")
        latency = bench_latency(args.seed)
        say("memory ...")
        memory = bench_memory(size, args.seed)
        say("grid search ...")
        grid = bench_grid(size, args.seed, args.scheduler, with_workers=not args.quick)
    runtime = time.perf_counter() - start
    sections = _sections(sum_table, cold, wave_table, wave, latency, memory, grid, size)
    sections = {
        **dict(list(sections.items())[:2]),
        **_scale_sections(scale_table, stage_table, size),
        **_yardstick_sections(yardstick, size["yardstick"]),
        **scaling_sections(sweep_table, size["sweep"]),
        **dict(list(sections.items())[2:]),
    }
    headline, findings = _headline(
        sum_table,
        wave_table,
        (scale_table, stage_table, sweep_table),
        latency,
        memory,
        grid,
    )
    findings[0] += " " + _yardstick_finding(yardstick)  # at most five findings
    path = write_report(
        out / "speed.md",
        title="Speed: skclassify vs Keras, scikeras and scikit-learn",
        sections=sections,
        headline=headline,
        findings=findings,
        seeds=[args.seed],
        runtime=runtime,
        extra_header={
            "Size": "quick" if args.quick else "full",
            "Device": _device(),
            # timings are only comparable on a quiet machine: say how quiet
            "Load average (1 min) at start / end": (
                f"{load_before:.1f} / {os.getloadavg()[0]:.1f} on "
                f"{os.cpu_count()} cores"
            ),
            "Thread settings": (
                f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, "
                f"OPENBLAS_NUM_THREADS="
                f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
            ),
        },
    )
    say(f"wrote {path}")
    return path


def _headline(sum_table, wave_table, at_scale, latency, memory, grid):
    """The report's answer and at most five findings, computed from this run.

    ``at_scale`` holds the at-scale, stage and scaling-sweep tables.
    """
    scale_table, stage_table, sweep_table = at_scale
    ratio = sum_table["vs sklearn MLPClassifier"]
    warm = ratio["skclassify, warm (same architecture again)"]
    cold = ratio[COLD_EMPTY]
    cached = ratio[COLD_FILLED]
    scale = scale_table["skclassify / MLPClassifier"]
    share = stage_table["largest stage outside the loop (share)"].max()
    speedup = wave_table["vs sklearn MLPClassifier (speed-up)"]["skclassify (warm)"]
    ms = latency["median latency (ms)"]
    ours_ms = ms["skclassify predict_proba"]
    sk_ms = ms["sklearn MLPClassifier predict_proba"]
    growth = memory.iloc[-1, 0] - memory.iloc[0, 0]
    worst = max(scale.max(), sweep_table["skclassify / MLP"].max())
    # the at-scale labels read "<rows> rows x <epochs> epochs"
    scale_rows = (
        int(label.split(" rows")[0].replace(",", "")) for label in scale.index
    )
    largest = max(*scale_rows, sweep_table["rows"].max())
    classes = max(SCALE_CLASSES, sweep_table["classes"].max())
    headline = (
        f"A warm skclassify fit costs {warm:.2f}x MLPClassifier's time on the "
        f"'sum > 2.5' task and at most {worst:.2f}x at the measured sizes "
        f"up to {largest:,} rows and {classes:,} classes; "
        f"the first fit in a new process costs {cached:.1f}x with the compile "
        f"cache filled ({cold:.1f}x with it empty)."
    )
    findings = [
        f"Fit cost at scale: {scale.min():.2f}x to {scale.max():.2f}x "
        "MLPClassifier's; the largest stage outside the compiled loop takes "
        f"{share:.1%} of a fit.",
        scaling_finding(sweep_table),
        f"Wave task throughput: {speedup:.1f}x MLPClassifier's speed.",
        f"Single-row predict_proba: {ours_ms:.2f} ms against MLPClassifier's "
        f"{sk_ms:.2f} ms ({ours_ms / sk_ms:.1f}x); resident memory over "
        f"{memory.index[-1]} consecutive fits grew by {growth:.0f} MiB.",
    ]
    if "speed-up vs 1 process" in grid:
        best = grid["speed-up vs 1 process"].drop("1 process")
        findings.append(
            "GridSearchCV with 2 workers: "
            + ", ".join(f"{k} {v:.2f}x" for k, v in best.items())
            + " the speed of 1 process."
        )
    return headline, findings


def _device():
    """The devices the active Keras backend sees, as detected now."""
    import keras

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        devices = sorted({d.device_kind for d in jax.devices()})
    else:
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        details = tf.config.experimental.get_device_details
        devices = [details(g).get("device_name", g.name) for g in gpus]
        devices = devices or ["CPU only (no GPU visible to TensorFlow)"]
    return f"{', '.join(devices)}; Keras backend {backend}"


def _fits(n):
    """How a time was taken from ``n`` fits (or calls)."""
    return "1 fit" if n == 1 else f"the median of {n} fits"


def _scale_sections(scale_table, stage_table, size):
    worst = scale_table["skclassify / MLPClassifier"].max()
    share = stage_table["largest stage outside the loop (share)"].max()
    # stages as rows, sizes as columns: narrow enough for a docs page
    stages = stage_table.T
    stages.columns = [
        label.replace(" rows x ", " x ").replace(" epochs", "")
        for label in stage_table.index
    ]
    stages.index.name = "stage (s) at rows x epochs"
    return {
        "Fit cost at scale": [
            f"Wave task (make_waves, shuffled rows), 200 features, {SCALE_CLASSES} "
            f"classes, Dense(64, relu) -> Dense({SCALE_CLASSES}, softmax), adam, "
            "batch_size 'auto' (min(200, n), MLPClassifier's default) for both, "
            "tol=0 so that every epoch runs; rows and epochs as in the first "
            "column. Warm fits (the architecture compiled once before); each "
            f"time is {_fits(size['repeats'])}, interleaved. The largest ratio "
            f"is {worst:.2f}x MLPClassifier's time.",
            scale_table,
        ],
        "Where a fit's time goes": [
            "One profiled skclassify fit (1 fit, cProfile's overhead included) "
            "per size above, columns as training rows x epochs, split into its "
            "stages: the cumulative seconds of validate_data and sample weights; "
            "the target encoder; initial weights; the compiled training loop with "
            "its data transfer; storing numpy state. The last row is the largest "
            "stage outside the compiled loop as a share of the fit: at most "
            f"{share:.1%}.",
            stages,
        ],
    }


def _yardstick_finding(table):
    ratio = table["skclassify / hand-written"]
    parts = [
        f"{backend} {ratio[backend].min():.2f}x to {ratio[backend].max():.2f}x"
        for backend in ratio.index.unique("backend")
    ]
    return (
        "Against a hand-written compiled loop doing the same work, a warm fit "
        "takes " + ", ".join(parts) + " its time."
    )


def _yardstick_sections(table, size):
    return {
        "Against a hand-written loop": [
            "The same work as a warm skclassify fit, written by hand "
            "(benchmarks/_speed_yardstick.py): a jax.jit + lax.scan loop under "
            "JAX, a tf.function(jit_compile=True) loop under TensorFlow, each in "
            "its own process. Same net, the same mini-batches (a new "
            "permutation every epoch, the last batch masked), weighted "
            "cross-entropy with the L2 penalty alpha=1e-4 (computed as Keras "
            "computes it on the backend: from the logits behind the softmax on "
            "TensorFlow; on JAX from the probabilities, renormalised and clipped "
            "to [1e-7, 1 - 1e-7]; the last column times a JAX loop that takes "
            "the logits instead), Keras' Adam "
            "defaults, each epoch's mean loss as the only output; weights and "
            "permutations drawn on the host for both. Wave task (make_waves, "
            "shuffled rows), 200 features, 256 classes: Dense(64, relu) with "
            "batches of 200, and the compute-heavy (256, 512) sigmoid net with "
            "batches of 256 (400 epochs of 10 batches: 4,000 steps). Both "
            "compiled by an untimed fit first; each time is "
            f"{_fits(size['repeats'])}, the two alternating. A ratio above 1 is "
            "skclassify's per-step overhead.",
            table,
        ],
    }


def _sections(sum_table, cold, wave_table, wave, latency, memory, grid, size):
    ours_warm = sum_table.loc["skclassify, warm (same architecture again)"].iloc[1]
    ours_cold = sum_table.loc[COLD_EMPTY].iloc[1]
    ours_cached = sum_table.loc[COLD_FILLED].iloc[1]
    seconds = sum_table["fit time (s)"]
    warm_s = seconds["skclassify, warm (same architecture again)"]
    compile_s = seconds[COLD_EMPTY] - seconds[COLD_FILLED]
    rest_s = seconds[COLD_FILLED] - warm_s
    growth = memory.iloc[-1, 0] - memory.iloc[0, 0]
    ours_gflops = wave_table.loc["skclassify (warm)", "GFLOP/s"]
    sum_net = "Dense(20, relu) -> Dense(2, softmax)"
    sum_task = "the 'sum > 2.5' task (250 x 5, 2 classes)"
    k = wave["classes"]
    wave_fits = "; ".join(f"{name}: {_fits(n)}" for name, n in wave["repeats"].items())
    return {
        "Fit time, 'sum > 2.5' task": [
            f"250 x 5, 2 classes, {sum_net}, {size['sum_epochs']} epochs, batch 32, "
            "adam. Each time is a median: of "
            f"{cold['repeats']} fits for MLPClassifier and warm skclassify, of "
            f"{cold['few']} for Keras model.fit and scikeras (each fit builds and "
            "compiles a new model, as a cross-validation fold would), of "
            f"{BASELINE_REPEATS} for LogisticRegression and SVC; each cold time "
            "is 1 fit, the first in a fresh process (importing skclassify took "
            f"{cold['import_s']:.1f} s before it). Warm fits reuse the compiled "
            f"training loop: {ours_warm:.2f}x sklearn's time. The cold first fit "
            "traces the loop and has XLA compile it; the compile cache (on by "
            "default, in the user's cache folder; see skclassify._compat._cache) "
            "keeps what XLA compiled for later processes. With the cache filled by "
            f"an earlier process: {ours_cached:.2f}x; with it empty (or off), "
            f"{ours_cold:.2f}x. The cache saves {compile_s:.2f} s of compiling; "
            f"what remains of a cold fit beyond a warm one, {rest_s:.2f} s, is "
            "building the template network, tracing the loop and loading the "
            "compiled program.",
            sum_table,
        ],
        "Throughput, wave task": [
            "One 5-fold training split of the wave task (make_waves, interleaved "
            f"rows): {wave['rows']:,} x {wave['features']}, {k} classes; "
            f"Dense({wave['hidden']}, sigmoid) -> Dense({k}, softmax), adam, batch "
            f"256, {wave['epochs']} epochs for all three. Times: {wave_fits} "
            "(skclassify compiled by one untimed fit first; Keras model.fit builds "
            f"and compiles a new model in its fit). {wave['gflop']:.0f} GFLOP of "
            "matmul work per fit (forward, weight and input gradients). This "
            "machine's float32 matmul peak (2048^3, best of numpy and Keras, "
            f"median of 5 calls): {wave['peak']:.0f} GFLOP/s; skclassify reaches "
            f"{ours_gflops:.0f} GFLOP/s ({ours_gflops / wave['peak']:.0%} of it).",
            wave_table,
        ],
        "Single-row predict_proba latency": [
            f"The median of {LATENCY_CALLS} consecutive calls on one row of "
            f"{sum_task}, for a {sum_net} net trained for 5 epochs by each "
            "library (skclassify with batch_size 'auto', Keras and MLPClassifier "
            "with batch 32).",
            latency,
        ],
        "Memory over consecutive fits": [
            f"Resident memory (after garbage collection; not timed) after 1, "
            f"{memory.index[1]} and {memory.index[-1]} fits of a new "
            f"KerasMLPClassifier each ({sum_net}, 20 epochs, batch_size 'auto', "
            f"on {sum_task}): grew by {growth:.0f} MiB.",
            memory,
        ],
        "Grid search with 2 workers": [
            "GridSearchCV, 12 candidates x 3 folds (learning rate x batch size) "
            f"of {sum_net} nets trained for {size['grid_epochs']} epochs on "
            f"{sum_task}: the wall time of 1 search, timed after a first "
            "identical search started the workers. Each worker caps TensorFlow "
            "to the thread budget joblib/Dask announce (OMP_NUM_THREADS), and "
            "loads the training loops that another process compiled from the "
            "compile cache (on by default) instead of compiling them again.",
            grid,
        ],
    }


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
