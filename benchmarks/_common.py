"""The shared runner of the benchmark scripts (scikit-learn's bench_mnist shape).

Each script in this folder is an experiment: its data, its registry of models,
its sizes and the findings it draws. This module holds what they share:

- the options (:func:`parse_args`): ``--size`` (``--quick``, ``--full``),
  ``--seeds``, ``--n-jobs``, ``--resume``, ``--output-dir`` ...;
- the baselines every report carries, from ``skclassify compare``'s one
  registry (:func:`baselines`: dummy, LR, RBF-SVC, kNN and their tuned
  twins), and the tuned net: a nested successive-halving search with the
  default always a candidate (:class:`Budget`, :func:`tuned_net`,
  :func:`skclassify.tabular.halving_search`);
- one runner (:class:`Run`) that cross-validates over seeds x folds through
  :func:`skclassify.evaluation.compare_models`, keeps the provenance, writes
  the raw cells beside the report and reads them back (``--from-cells``),
  and writes the report through :func:`skclassify.reporting.write_report`;
- the verdict of one model against another (:func:`verdict`), the one place
  the benchmarks reach the package's paired test (to be switched to
  ``skclassify.evaluation``'s verdict at the merge), and the check that no
  tuned model is significantly below its default (:func:`tuned_below_default`).

Not part of the installed package: the reusable machinery lives in
:mod:`skclassify.evaluation` and :mod:`skclassify.reporting`.
"""

import argparse
import contextlib
import json
import shlex
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skclassify.evaluation import (
    THRESHOLD,
    compare_models,
    dask_backend,
    pairwise_ttests,
)
from skclassify.reporting import git_info, write_report
from skclassify.tabular import halving_search

BENCHMARKS_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCHMARKS_DIR.parent
#: Where the committed reports live (``--output-dir docs/benchmarks``).
DOCS_DIR = REPO_ROOT / "docs" / "benchmarks"
#: Model seeds of every cell, unless ``--seeds`` says otherwise.
SEEDS = (0, 1, 2)
#: Outer cross-validation folds of every cell.
N_FOLDS = 5
#: ``n_iter_no_change`` that never fires: a net trains for all its epochs.
NO_PLATEAU = 1_000_000
#: LogisticRegression's iteration cap: high enough to converge (checked).
LR_MAX_ITER = 5_000  # as skclassify.tabular's registry
#: A difference counts when its mean is at least this *and* the corrected
#: paired t-test gives p below ``ALPHA`` (the package's rule).
TOLERANCE = THRESHOLD

#: Names of the baselines and tuned contenders (the same in every report).
DUMMY, LR, SVC_NAME, KNN = "dummy", "LR", "RBF-SVC", "kNN"
TUNED_LR, TUNED_SVC, TUNED_NET = "LR, tuned", "RBF-SVC, tuned", "net, tuned"
TUNED_KNN = "kNN, tuned"
#: Each tuned model and its default, which is one of its candidates.
TUNED_PAIRS = ((TUNED_LR, LR), (TUNED_SVC, SVC_NAME), (TUNED_KNN, KNN))
SIMPLE_MODELS = (LR, SVC_NAME, KNN, TUNED_LR, TUNED_SVC, TUNED_KNN)


# -- options --------------------------------------------------------------------------
def parse_args(name, description, sizes, argv=None, *, default="standard", extra=None):
    """Parse a benchmark's options; ``args.size`` is the chosen size's dict.

    ``--size`` picks a row of ``sizes`` (``--quick`` and ``--full`` are
    shortcuts). Reports and results go to an ignored run folder,
    ``benchmarks/results/<name>/<size>``, unless ``--output-dir`` says
    otherwise (``--output-dir docs/benchmarks`` regenerates the committed
    report; the results file then stays in the run folder).
    """
    parser = argparse.ArgumentParser(
        prog=f"benchmarks/{name}.py", description=description
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--size", choices=list(sizes), default=default)
    size.add_argument(
        "--quick", dest="size", action="store_const", const="quick", help="smoke test"
    )
    size.add_argument(
        "--full", dest="size", action="store_const", const="full", help="full size"
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=list(SEEDS),
        help=f"model seeds (default: {' '.join(map(str, SEEDS))})",
    )
    parser.add_argument(
        "--data-seed", type=int, default=0, help="seed of the data and the folds"
    )
    parser.add_argument(
        "--n-jobs", type=int, default=-1, help="cells run in parallel (-1: all cores)"
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        help="run on this Dask scheduler address ('local': a new local cluster)",
    )
    parser.add_argument(
        "--resume", action="store_true", help="reuse the matching cells of a run"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        "--from-cells",
        type=Path,
        default=None,
        help="recompute the report from a committed cells file; train nothing",
    )
    parser.add_argument("--output-dir", type=Path, default=None, help="report folder")
    parser.add_argument(
        "--results-dir", type=Path, default=None, help="folder of the results file"
    )
    if extra is not None:
        extra(parser)
    args = parser.parse_args(argv)
    run_folder = BENCHMARKS_DIR / "results" / name / args.size
    args.output_dir = run_folder if args.output_dir is None else args.output_dir
    args.results_dir = run_folder if args.results_dir is None else args.results_dir
    args.size_name, args.size = args.size, sizes[args.size]
    args.cells = None
    if args.from_cells is not None:
        # the size and seeds are those of the run that computed the cells
        from _cells import read_cells

        args.cells = read_cells(args.from_cells)
        tables = args.cells[0]
        args.size_name = str(tables["size"].iloc[0])
        args.size = sizes[args.size_name]
        args.seeds = sorted(int(seed) for seed in tables["seed"].unique())
    return args


def parallel_backend(scheduler, n_jobs):
    """The Dask context for a ``--scheduler`` option, or a no-op without one."""
    if scheduler is None:
        return contextlib.nullcontext()
    address = None if scheduler == "local" else scheduler
    return dask_backend(address, n_workers=n_jobs if n_jobs and n_jobs > 0 else 2)


def computed_or_loaded(run, args, compute):
    """``(results, curves)`` of this run: ``compute(run, args.size)``, or the
    cells that ``--from-cells`` read (then kept as the run's frames)."""
    if args.cells is None:
        return compute(run, args.size)
    results, curves = args.cells
    run.frames.append(results)
    return results, curves


# -- models ---------------------------------------------------------------------------
#: The names of skclassify.tabular's registry entries in the reports.
REGISTRY_NAMES = {
    "dummy": DUMMY,
    "lr": LR,
    "lr_tuned": TUNED_LR,
    "svc": SVC_NAME,
    "svc_tuned": TUNED_SVC,
    "knn": KNN,
    "knn_tuned": TUNED_KNN,
}


def baselines(n_train=0, *, tune=False):
    """Dummy, LR, RBF-SVC and kNN from ``skclassify compare``'s registry.

    Each is :func:`skclassify.tabular.make_models`'s pipeline behind a
    StandardScaler (``n_train``: rows of a training fold, which decides the
    registry's approximations above 20,000 rows); with ``tune``, also their
    tuned twins (the registry's grids, each containing the default).
    """
    from skclassify.tabular import make_models
    from skclassify.tabular._models import INNER_CV

    models = make_models(
        ["lr", "svc", "knn"], StandardScaler(), n_train=n_train, tune=tune
    )
    inner = n_train * (INNER_CV - 1) // INNER_CV  # rows of an inner training fold
    for model in models.values():
        grid = getattr(model.estimator, "param_grid", {})
        if "model__n_neighbors" in grid:  # no more neighbours than rows
            ks = [k for k in grid["model__n_neighbors"] if k <= inner] or [1]
            grid["model__n_neighbors"] = ks
    return {REGISTRY_NAMES[key]: model.estimator for key, model in models.items()}


@dataclass(frozen=True)
class Budget:
    """The one budget rule of every tuned contender.

    Each tuned model is a :class:`~sklearn.model_selection.HalvingRandomSearchCV`
    run inside each outer training fold (nested): ``n_candidates`` settings
    drawn at random, ``inner_cv`` stratified folds, the worst two thirds
    (``factor``) dropped each round, until one is left and refitted on the
    whole outer training fold. The resource that grows over the rounds is
    the number of training rows for LR and SVC and the number of epochs for
    the net (``min_resources="exhaust"``: the last round uses all of it).
    """

    n_candidates: int
    factor: int = 3
    inner_cv: int = 3

    def describe(self):
        return (
            f"`HalvingRandomSearchCV(n_candidates={self.n_candidates}, "
            f"factor={self.factor}, cv={self.inner_cv}, min_resources='exhaust')` "
            "inside each outer training fold; resource: training rows for LR "
            "and SVC, epochs for the net; the default KerasMLPClassifier at the "
            "full budget is always a candidate, scored on the same inner folds"
        )


def tuned_net(budget, space, max_epochs, **fixed):
    """A StandardScaler + KerasMLPClassifier searched over ``space``, or the default.

    ``space`` names the net's parameters without the pipeline prefix (e.g.
    ``{"learning_rate": loguniform(1e-4, 1e-1)}``); the epochs are the
    halving resource, up to ``max_epochs``. The default KerasMLPClassifier
    (``max_epochs`` epochs) is always a candidate at the full budget
    (:func:`skclassify.tabular.halving_search`, the same search as
    ``skclassify compare --tune``'s net).
    """
    from skclassify import KerasMLPClassifier

    net = KerasMLPClassifier(epochs=max_epochs, n_iter_no_change=NO_PLATEAU, **fixed)
    tuned = halving_search(
        make_pipeline(StandardScaler(), net),
        {f"kerasmlpclassifier__{key}": value for key, value in space.items()},
        resource="kerasmlpclassifier__epochs",
        max_resources=max_epochs,
        n_candidates=budget.n_candidates,
        factor=budget.factor,
        cv=budget.inner_cv,
    )
    return tuned.set_params(
        default=make_pipeline(
            StandardScaler(),
            KerasMLPClassifier(epochs=max_epochs, n_iter_no_change=NO_PLATEAU),
        )
    )


def tuned_below_default(results, pairs, *, metric="accuracy"):
    """The (tuned, default) pairs of ``pairs`` where tuned is significantly worse.

    A tuned model significantly below its default (the paired verdict,
    :func:`verdict`) is a bug: its default is one of its candidates.

    Returns
    -------
    list of (str, str, dict)
        ``(tuned, default, verdict)`` for every such pair present in
        ``results`` (per value of ``by`` columns such as ``n_classes``).
    """
    bad = []
    groups = [results]
    for column in ("n_classes", "dataset", "n_samples"):
        if column in results:
            groups = [g for frame in groups for _, g in frame.groupby(column)]
    for rows in groups:
        present = set(rows["model"])
        for tuned, default in pairs:
            if tuned in present and default in present:
                test = verdict(rows, tuned, default, metric=metric)
                if test["outcome"] == "loses to":
                    bad.append((tuned, default, test))
    return bad


def describe_spaces(net_space):
    """The search spaces of the tuned contenders, as Markdown."""

    def show(space):
        return ", ".join(
            f"`{key}` in {_show_distribution(value)}" for key, value in space.items()
        )

    return (
        "LR, RBF-SVC and kNN: the grids of `skclassify compare`'s registry "
        "(`skclassify.tabular.MODELS`: LR over C, the SVC over C x gamma, kNN "
        "over k and weights; each grid holds the default), on standardised "
        f"inputs; net: {show(net_space)}, epochs by halving"
    )


def _show_distribution(value):
    if isinstance(value, list):
        return "{" + ", ".join(map(str, value)) + "}"
    low, high = value.support()
    return f"log-uniform [{low:g}, {high:g}]"


# -- verdicts -------------------------------------------------------------------------
def verdict(results, a, b, *, metric="accuracy"):
    """``a`` against ``b`` over the same runs: the package's verdict rule.

    :func:`skclassify.evaluation.pairwise_ttests` with ``a`` as reference and
    ``b`` the one other model: the corrected repeated k-fold t-test over all
    (seed, fold) differences; a difference counts when it is at least
    ``THRESHOLD`` and p is below ``ALPHA`` (Holm over one comparison is the
    plain p). A table that makes several comparisons corrects them with
    :func:`skclassify.evaluation.holm`.

    Returns
    -------
    dict
        The row's fields (``mean_diff``, ``ci_low``, ``ci_high``, ``p``,
        ``outcome``: ``"beats"``, ``"loses to"`` or ``"no significant
        difference"``) and ``text``, e.g. ``"+0.153 (95% CI [0.120, 0.186],
        p = 0.001)"``.
    """
    rows = results[results["model"].isin([a, b])]
    table = pairwise_ttests(rows, a, metric=metric, others=[b])
    test = table.iloc[0].to_dict()
    p = test["p"]
    p_text = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    test["text"] = (
        f"{test['mean_diff']:+.3f} (95% CI [{test['ci_low']:.3f}, "
        f"{test['ci_high']:.3f}], {p_text})"
    )
    return test


def best_of(summary, names, metric="accuracy"):
    """The row of ``summary`` with the best mean ``metric`` among ``names``.

    Of models tied for the best mean, the one with the shortest fit time.
    """
    rows = summary[summary["model"].isin(list(names))]
    best = rows[rows[f"{metric}_mean"] >= rows[f"{metric}_mean"].max() - 1e-9]
    return best.loc[best["fit_time_mean"].idxmin()]


def cost(summary, name):
    """Mean fit time per run of ``name``, as text."""
    seconds = summary.set_index("model").loc[name, "fit_time_mean"]
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.0f} s"


def lr_convergence(X, y):
    """Fit LR on all rows at C=1 and at the search's largest C; say how it went.

    Returns a sentence for the report: the lbfgs iterations of each fit, and
    which fits stopped at the iteration cap without converging (scikit-learn's
    ConvergenceWarning, silenced in the cross-validation), so that a reader
    knows whether the LR contenders are converged or cut off.
    """
    iterations, capped = {}, []
    for C in (1.0, 1e3):
        model = make_pipeline(
            StandardScaler(), LogisticRegression(C=C, max_iter=LR_MAX_ITER)
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            model.fit(X, y)
        iterations[C] = int(model[-1].n_iter_.max())
        if any(issubclass(w.category, ConvergenceWarning) for w in caught):
            capped.append(C)
    if not capped:
        return (
            f"LR converges on all rows without a ConvergenceWarning: "
            f"{iterations[1.0]} lbfgs iterations at C=1, {iterations[1e3]} at "
            f"C=1e3 (cap {LR_MAX_ITER})."
        )
    fits = " and ".join(f"C={C:g}" for C in capped)
    return (
        f"LR on all rows: {iterations[1.0]} lbfgs iterations at C=1, "
        f"{iterations[1e3]} at C=1e3; at {fits} lbfgs stops at the "
        f"{LR_MAX_ITER:,}-iteration cap without converging (ConvergenceWarning), "
        "so LR fits at such C are cut off by the cap, not converged."
    )


# -- the runner -----------------------------------------------------------------------
class Run:
    """One benchmark run: options, provenance, cells and the report.

    Parameters
    ----------
    name : str
        The script's name (``benchmarks/<name>.py``, report ``<name>.md``).
    args : argparse.Namespace
        From :func:`parse_args`.
    argv : list of str
        The arguments, for the command in the header.
    """

    def __init__(self, name, args, argv):
        self.name = name
        self.args = args
        self.command = shlex.join(["python", f"benchmarks/{name}.py", *argv])
        self.start = time.perf_counter()
        # Taken before anything is written: reports being regenerated into
        # the output folder do not make the code "dirty".
        self.git = git_info(REPO_ROOT, ignore=[args.output_dir, args.results_dir])
        self.results_path = Path(args.results_dir) / f"{name}.jsonl"
        self.commits_path = Path(args.results_dir) / f"{name}.commits.json"
        self.cells_path = Path(args.output_dir) / f"{name}.cells.jsonl.gz"
        self.frames = []
        self.curves = None

    @property
    def commit(self):
        """The code commit of this run, as the cells record it."""
        commit = self.git["commit"]
        if commit is None:
            return "unknown"
        return commit[:12] + (" (dirty)" if self.git["dirty"] else "")

    def _stamp(self, results):
        """Give each row the commit that computed its cell (kept across resumes)."""
        known = {}
        if self.args.resume and self.commits_path.exists():
            known = json.loads(self.commits_path.read_text(encoding="utf-8"))
        for cell, resumed in zip(results["cell"], results["resumed"], strict=True):
            if not resumed or cell not in known:
                known[cell] = self.commit if not resumed else "unknown"
        self.commits_path.parent.mkdir(parents=True, exist_ok=True)
        self.commits_path.write_text(json.dumps(known), encoding="utf-8")
        return results.assign(commit=results["cell"].map(known))

    def say(self, message):
        if not self.args.quiet:
            print(message, file=sys.stderr, flush=True)

    def compare(self, models, X, y, *, cv=N_FOLDS, **tags):
        """Cross-validate ``models`` over the run's seeds x ``cv`` folds.

        With ``--from-cells``, the rows of ``models`` with these ``tags`` are
        read from the cell file instead; nothing is trained.
        """
        if self.args.cells is not None:
            cells = self.args.cells[0]
            rows = cells[cells["model"].isin(list(models))]
            for tag, value in tags.items():
                rows = rows[rows[tag] == value]
            if rows.empty:
                raise ValueError(f"{self.args.from_cells} has no cells for {tags}.")
            self.frames.append(rows)
            return rows.reset_index(drop=True)
        with (
            parallel_backend(self.args.scheduler, self.args.n_jobs),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore", ConvergenceWarning)
            results = compare_models(
                models,
                X,
                y,
                cv=cv,
                seeds=self.args.seeds,
                random_state=self.args.data_seed,
                n_jobs=self.args.n_jobs,
                results_path=self.results_path,
                resume=self.args.resume,
                progress=not self.args.quiet,
                tags=tags,
            )
        results = self._stamp(results)
        self.frames.append(results)
        return results

    def header(self):
        """Size, resumed cells and summed fit time, for the report header."""
        results = pd.concat(self.frames, ignore_index=True) if self.frames else None
        fields = {"Size": f"{self.args.size_name} (see Setup)"}
        if results is None:
            return fields
        if self.args.from_cells is not None:
            fields["Resumed cells"] = (
                f"all: recomputed from `{Path(self.args.from_cells).name}` "
                "(`--from-cells`), nothing was trained; times are those of the "
                "run that computed the cells"
            )
            fields["Cells"] = self._cells_field(results)
            return fields
        cells = results.drop_duplicates("cell")
        resumed = cells[cells["resumed"]]
        if resumed.empty:
            fields["Resumed cells"] = "none: every cell was computed by this run"
        else:
            models = ", ".join(sorted(resumed["model"].unique()))
            fields["Resumed cells"] = (
                f"{len(resumed)} of {len(cells)} cells were loaded from "
                f"`{self.results_path.name}` (models: {models}); their times are "
                "those of the run that computed them"
            )
        fields["Cells"] = self._cells_field(results)
        fields["Fit time of all cells"] = (
            f"{cells['fit_time'].sum() / 60:.1f} min (summed over cells; "
            f"`n_jobs={self.args.n_jobs}`)"
        )
        return fields

    def _cells_field(self, results):
        from _cells import commits_text

        curves = self.args.cells[1] if self.args.cells is not None else self.curves
        return (
            f"`{self.name}.cells.jsonl.gz`, computed at commit "
            f"{commits_text(results, curves)}; `python benchmarks/{self.name}.py "
            f"--from-cells docs/benchmarks/{self.name}.cells.jsonl.gz` "
            "recomputes this report from them"
        )

    def write(self, *, title, headline, findings, sections, curves=None):
        """Write the report to ``<output-dir>/<name>.md``; drop stale figures.

        Unless the report is recomputed from a cell file, its raw cells (the
        cross-validation rows and the ``curves``) go beside it, in
        ``<name>.cells.jsonl.gz``.
        """
        folder = Path(self.args.output_dir)
        self.curves = curves
        if self.args.cells is None and self.frames:
            from _cells import write_cells

            tables = pd.concat(self.frames, ignore_index=True)
            tables = tables.assign(size=self.args.size_name)
            write_cells(self.cells_path, tables, curves, self.commit)
        path = write_report(
            folder / f"{self.name}.md",
            title=title,
            headline=headline,
            findings=findings,
            sections=sections,
            command=self.command,
            seeds=self.args.seeds,
            runtime=time.perf_counter() - self.start,
            git=self.git,
            extra_header=self.header(),
        )
        text = path.read_text(encoding="utf-8")
        for png in folder.glob(f"{self.name}-*.png"):
            if f"]({png.name})" not in text:
                png.unlink()
        self.say(f"Report written to {path}")
        return path
