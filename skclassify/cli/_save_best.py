"""``compare --save-best PATH``: refit the winner and hand it over.

The best model is the verdict's (:func:`skclassify.evaluation.verdict`: the
best mean score on the verdict's metric), so the model saved is the model the
verdict names. It is refitted, with its
inferred column preprocessing (and, for a ``_tuned`` model, its grid search),
on every row the comparison used, then saved with skops and, where the
pipeline converts and onnxruntime reproduces its predictions, as ONNX.
"""

import argparse
import importlib.util
import warnings
from pathlib import Path

from ._errors import CLIError

__all__ = ["save_best", "save_best_path"]

#: what --save-best needs: the ``onnx`` extra
_MODULES = ("skops", "skl2onnx", "onnxruntime", "onnx")

#: rows on which an ONNX file's labels are checked against the pipeline's
_CHECK_ROWS = 200


def save_best_path(text: str) -> Path:
    """The argument of ``--save-best``, checked when the command line is parsed.

    The modules it needs are checked then too, before any cross-validation.
    """
    missing = [m for m in _MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise argparse.ArgumentTypeError(
            f"needs {', '.join(missing)}, from the 'onnx' extra: "
            "pip install 'skclassify[onnx]'"
        )
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name")
    if path.suffix == ".onnx":
        raise argparse.ArgumentTypeError(
            f"{text}: the ONNX file is written beside the skops file, as "
            f"{path.with_suffix('.onnx').name}; name the skops file (best.skops)"
        )
    return path


def save_best(args, X, y, n_read, contenders, best, report=None) -> None:
    """Refit the verdict's best model on all rows and save it to ``args.save_best``.

    Prints where the files are and three lines of Python that load the model;
    appends the same to the Markdown ``report``. A dummy best is said so, and
    nothing is saved.
    """
    if contenders[best].key == "dummy":
        _tell(
            report,
            [
                f"--save-best: the chance-level dummy ({best}) has the best mean "
                "score, so no model learned anything worth keeping; nothing was "
                "saved."
            ],
        )
        return
    model = _refit(contenders[best], X, y, args.seed)
    path = Path(args.save_best)
    trusted = _save_skops(model, path)
    onnx_path = path.with_suffix(".onnx")
    onnx_note = _save_onnx(model, X, onnx_path)
    if not onnx_note.startswith("also") and onnx_path.exists():
        onnx_path.unlink()  # an earlier run's file would not be this model
        onnx_note += f" (the older {onnx_path} was removed)"
    rows = f"all {len(y):,} rows"
    if len(y) < n_read:
        rows = f"the {len(y):,}-row subsample of --max-rows (not all {n_read:,} rows)"
    what = "its grid search included, " if contenders[best].tuned else ""
    seed = f", model seed {args.seed}" if contenders[best].seeded else ""
    lines = [
        f"Best model {best} refitted ({what}with its column preprocessing{seed}) "
        f"on {rows}: saved to {path} (skops); {onnx_note}.",
        "Load it in Python:",
        "",
        "    import pandas as pd, skops.io as sio",
        f"    model = sio.load({str(path)!r}, trusted={trusted!r})",
        f"    model.predict(pd.read_csv({str(args.data)!r})"
        f".drop(columns=[{args.target!r}]))",
    ]
    _tell(report, lines)


def _refit(contender, X, y, seed):
    from sklearn.base import clone
    from sklearn.exceptions import ConvergenceWarning

    from skclassify.evaluation import set_random_state

    model = clone(contender.estimator)
    if contender.seeded:
        set_random_state(model, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            return model.fit(X, y.to_numpy())
        except ValueError as exc:
            raise CLIError(
                f"--save-best: refitting {contender.key} failed: {exc}"
            ) from None


def _save_skops(model, path):
    import skops.io as sio

    from skclassify.export import trusted_types

    trusted = trusted_types(model)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump(model, path)
    except OSError as exc:
        raise CLIError(f"--save-best: cannot write {path}: {exc}") from None
    return trusted


def _onnx_inputs(X):
    """One float32 or string column per feature, as ``to_onnx`` declares them."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame(index=X.index)
    for name in X.columns:
        column = X[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(
            column
        ):
            frame[name] = column.astype(np.float32)
        else:
            frame[name] = column.astype(str).astype(object)
    return frame


def _save_onnx(model, X, path) -> str:
    """Write ``path`` if the model converts and onnxruntime agrees; say what."""
    import numpy as np
    import onnxruntime as ort
    import skl2onnx

    import skclassify.export  # noqa: F401  (registers skclassify's converters)

    sample = _onnx_inputs(X.iloc[:_CHECK_ROWS])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            onx = skl2onnx.to_onnx(model, sample.iloc[:1])
        session = ort.InferenceSession(
            onx.SerializeToString(), providers=["CPUExecutionProvider"]
        )
        feed = {
            i.name: sample[i.name].to_numpy().reshape(-1, 1)
            for i in session.get_inputs()
        }
        labels = session.run(None, feed)[0]
    except Exception as exc:  # noqa: BLE001 - any converter's failure: no ONNX
        reason = " ".join(str(exc).split())[:200]
        return f"no ONNX file: the pipeline does not convert ({reason})"
    expected = model.predict(X.iloc[:_CHECK_ROWS])
    if not np.array_equal(np.asarray(labels).astype(str), expected.astype(str)):
        return "no ONNX file: onnxruntime's labels differ from the pipeline's"
    path.write_bytes(onx.SerializeToString())
    return (
        f"also to {path} (ONNX: one input per column, numbers as float32, "
        "categories as strings)"
    )


def _tell(report, lines) -> None:
    print("\n".join(lines))
    if report is not None:
        with open(report, "a", encoding="utf-8") as handle:
            handle.write("\n## Saved model\n\n" + "\n".join(lines) + "\n")
