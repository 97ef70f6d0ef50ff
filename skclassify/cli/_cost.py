"""What each model will cost: a timed probe before the run, and a progress bar
whose estimate weighs every finished cell by its model's cost."""

import contextlib
import json
import math
import threading
import time
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = ["PROBE_ROWS", "WeightedProgress", "format_seconds", "probe_costs"]

#: Rows of the timed probe (fewer if the data is smaller).
PROBE_ROWS = 5000


def format_seconds(seconds: float) -> str:
    if math.isnan(seconds):
        return "n/a"
    if seconds < 1:
        return f"{seconds:.2f} s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _time_cell(estimator, X_train, y_train, X_test) -> tuple[float, float, object]:
    from sklearn.base import clone

    estimator = clone(estimator)
    start = time.perf_counter()
    estimator.fit(X_train, y_train)
    fit = time.perf_counter() - start
    start = time.perf_counter()
    estimator.predict(X_test)
    return fit, time.perf_counter() - start, estimator


def _net_steps(model, n_rows: int) -> int:
    """Gradient steps of a fit of the net on ``n_rows`` (at most)."""
    from skclassify.tabular._builders import batch_rows

    params = model.get_params()
    epochs = getattr(model, "n_iter_", None) or params["epochs"]
    return int(epochs) * math.ceil(n_rows / batch_rows(params["batch_size"], n_rows))


def _scaled(t_small, t_large, m_small, m_large, n, exponent) -> float:
    """Time at ``n`` rows from two timings: t = a + b * m ** exponent."""
    b = max(0.0, (t_large - t_small) / (m_large**exponent - m_small**exponent))
    a = max(0.0, t_large - b * m_large**exponent)
    return a + b * n**exponent


def _subsample(X, y, m: int, seed: int):
    from sklearn.model_selection import train_test_split

    if len(y) <= m:
        return X, y
    X_m, _, y_m, _ = train_test_split(X, y, train_size=m, stratify=y, random_state=seed)
    return X_m, y_m


def probe_costs(contenders, X, y, *, n_train: int, n_test: int, seed: int = 0):
    """Estimated seconds of one cell of every contender, from a timed probe.

    Each model is fitted on ``PROBE_ROWS // 4`` and on ``PROBE_ROWS``
    stratified rows (fewer on small data) and predicts as many; the two
    timings give a fixed cost and a cost that grows as rows **
    ``cost_exponent``, extrapolated to a fold of ``n_train`` training and
    ``n_test`` test rows. The net is timed per gradient step (a warm fit, so
    that compiling its training loop is not counted as work) and scaled to
    the steps it will make. A tuned contender costs its grid: candidates x
    inner folds, plus a refit.

    Returns
    -------
    costs : dict of str to float
        Seconds per cell, by contender name.
    startup : float
        Seconds that each worker process spends once before its first net
        (compiling the training loop).
    """
    from threadpoolctl import threadpool_limits

    from skclassify.tabular import MODELS, halving_cost
    from skclassify.tabular._models import INNER_CV

    m_large = min(PROBE_ROWS, n_train)
    m_small = max(m_large // 4, 2 * len(set(y)))
    X_large, y_large = _subsample(X, y, m_large, seed)
    X_small, y_small = _subsample(X_large, y_large, m_small, seed)
    m_large, m_small = len(y_large), len(y_small)
    base_costs: dict[str, float] = {}
    startup = 0.0
    # One BLAS/OpenMP thread, as in each worker process (joblib limits them),
    # and because idle BLAS threads that spin on a busy machine distort times.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")  # convergence on a small probe
        for name, contender in contenders.items():
            if contender.tuned:
                continue
            estimator, exponent = contender.estimator, contender.cost_exponent
            if contender.key == "mlp":
                # The first fit compiles the training loop: every worker
                # process pays that once, on top of the per-cell work. Two warm
                # fits of different lengths give the time per gradient step.
                model = estimator[-1]
                epochs = model.get_params()["epochs"]
                short = estimator.set_params(model__epochs=max(1, epochs // 4))
                cold, _, _ = _time_cell(short, X_large, y_large, X_large)
                fit_s, _, fitted_s = _time_cell(short, X_large, y_large, X_large)
                long = estimator.set_params(model__epochs=epochs)
                # A longer fit runs its epochs in other chunk shapes, which
                # compile once more: time it warm too.
                _time_cell(long, X_large, y_large, X_large)
                fit_l, predict, fitted_l = _time_cell(long, X_large, y_large, X_large)
                startup = max(startup, cold - fit_s)
                steps_s = _net_steps(fitted_s[-1], m_large)
                steps_l = _net_steps(fitted_l[-1], m_large)
                per_step = (
                    max(0.0, (fit_l - fit_s) / (steps_l - steps_s))
                    if steps_l > steps_s
                    else fit_l / max(1, steps_l)
                )
                overhead = max(0.0, fit_l - per_step * steps_l)
                fit_cost = overhead + per_step * _net_steps(model, n_train)
                base_costs[name] = fit_cost + predict * n_test / m_large
                continue
            if m_small == m_large:
                fit, predict, _ = _time_cell(estimator, X_large, y_large, X_large)
                base_costs[name] = fit + predict
                continue
            fit_s, predict_s, _ = _time_cell(estimator, X_small, y_small, X_small)
            fit_l, predict_l, _ = _time_cell(estimator, X_large, y_large, X_large)
            fit_cost = _scaled(fit_s, fit_l, m_small, m_large, n_train, exponent)
            # Predicting m rows costs ~ m * (training rows) ** (exponent - 1).
            if exponent > 1:
                per_row = _scaled(
                    predict_s / m_small, predict_l / m_large,
                    m_small, m_large, n_train, exponent - 1,
                )  # fmt: skip
                predict_cost = per_row * n_test
            else:
                predict_cost = _scaled(
                    predict_s, predict_l, m_small, m_large, n_test, 1.0
                )
            base_costs[name] = fit_cost + predict_cost

    costs = {}
    for name, contender in contenders.items():
        base = base_costs[contender.key]
        if contender.tuned:
            inner = (1 - 1 / INNER_CV) ** contender.cost_exponent
            fits = contender.n_candidates
            if MODELS[contender.key].halving is not None:
                # the halving rounds, plus the default at its full budget
                fits = halving_cost(contender.n_candidates) + 1
            costs[name] = base * (fits * INNER_CV * inner + 1)
        else:
            costs[name] = base
    return costs, startup


class WeightedProgress:
    """A tqdm bar over the cells, each weighted by its model's estimated cost.

    It follows the results file (the cells that ``compare_models`` appends)
    from a background thread, so that its remaining-time estimate is right
    even when cheap and costly models finish at different times.
    """

    def __init__(
        self,
        results: Path,
        weights: Mapping[str, float],
        cells: Mapping[str, int],
        tags: Mapping,
        *,
        disable: bool = False,
    ) -> None:
        self.results = Path(results)
        # Without an estimate (nan), every cell weighs the same.
        self.weights = {k: 1.0 if math.isnan(w) else w for k, w in weights.items()}
        self.cells = dict(cells)
        self.tags = json.loads(json.dumps(dict(tags), default=str))
        self.disable = disable
        self.done = 0

    def _matching_rows(self, offset: int) -> tuple[list[dict], int]:
        try:
            with self.results.open("rb") as f:
                f.seek(offset)
                data = f.read()
        except FileNotFoundError:
            return [], offset
        end = data.rfind(b"\n") + 1
        rows = []
        for line in data[:end].splitlines():
            with contextlib.suppress(ValueError):
                row = json.loads(line)
                if all(row.get(k) == v for k, v in self.tags.items()):
                    rows.append(row)
        return rows, offset + end

    def _count(self, rows, seen: set) -> list[dict]:
        """The rows of cells not seen before (counted in ``done``).

        A cell shared by several seeds (a model without a seed) is written
        once per seed, but computed, and counted, once.
        """
        new = []
        for row in rows:
            key = row.get("cell") or json.dumps(
                [row.get("model"), row.get("seed"), row.get("fold")]
            )
            if key not in seen:
                seen.add(key)
                new.append(row)
        self.done += len(new)
        return new

    @contextlib.contextmanager
    def running(self) -> Iterator["WeightedProgress"]:
        from tqdm.auto import tqdm

        total_cells = sum(self.cells.values())
        total = sum(self.weights[name] * n for name, n in self.cells.items())
        stop = threading.Event()
        seen: set[str] = set()
        # Cells of an earlier run (--resume) count as done from the start.
        rows, start = self._matching_rows(0)
        rows = self._count(rows, seen)
        bar = tqdm(
            total=max(total, 1e-9),
            initial=sum(self.weights.get(row.get("model"), 0.0) for row in rows),
            disable=self.disable,
            desc="compare",
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix} "
            "[{elapsed}<{remaining}]",
        )
        bar.set_postfix_str(f"{self.done}/{total_cells} cells")

        def follow() -> None:
            offset = start
            while True:
                stopping = stop.is_set()  # then read once more, and return
                rows, offset = self._matching_rows(offset)
                for row in self._count(rows, seen):
                    weight = self.weights.get(row.get("model"), 0.0)
                    # The weights, summed in another order than the total,
                    # can pass it by a rounding error (tqdm then warns).
                    bar.update(min(weight, max(0.0, bar.total - bar.n)))
                    bar.set_postfix_str(
                        f"{self.done}/{total_cells} cells, last: {row.get('model')}"
                    )
                if stopping:
                    return
                stop.wait(0.5)

        thread = threading.Thread(target=follow, name="progress", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join(5)
            bar.close()
