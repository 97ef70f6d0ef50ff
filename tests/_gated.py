"""A model whose fit waits at a gate: interrupt tests signal a run that has work left.

``python -c "from _gated import main; main()" GATE ARGS...`` runs
``skclassify ARGS...`` with one more model in the registry, ``gated``: a
logistic regression whose every fit first writes a file ``running-*`` into
the folder GATE, then waits until a file ``open`` exists there. A test that
sees a ``running-*`` file knows that a cell is running and cannot finish
before it opens the gate: a signal sent then cannot arrive after the run.
The fits of compare's cost probe, which runs in the main thread of the
command's process before any cell, pass the gate.
"""

import os
import sys
import threading
import time
import uuid
from pathlib import Path

from sklearn.base import BaseEstimator, ClassifierMixin

#: Longest wait at a closed gate, so that a broken test cannot hang forever.
_MAX_WAIT = 300.0
#: The process of the command (set by :func:`main`): its main thread probes.
_COMMAND_PID = None


class GatedClassifier(ClassifierMixin, BaseEstimator):
    """LogisticRegression whose fit waits until the file ``gate/open`` exists."""

    def __init__(self, gate=None):
        self.gate = gate

    def fit(self, X, y):
        from sklearn.linear_model import LogisticRegression

        probing = (
            os.getpid() == _COMMAND_PID
            and threading.current_thread() is threading.main_thread()
        )
        gate = Path(self.gate)
        if not probing:
            (gate / f"running-{os.getpid()}-{uuid.uuid4().hex}").touch()
        deadline = time.monotonic() + _MAX_WAIT
        while not probing and not (gate / "open").exists():
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def main():
    from skclassify.cli import main as cli
    from skclassify.tabular._models import MODELS, Built, ModelSpec

    global _COMMAND_PID
    _COMMAND_PID = os.getpid()
    gate, argv = sys.argv[1], sys.argv[2:]
    MODELS["gated"] = ModelSpec(
        "a logistic regression that waits at a gate",
        lambda n, params: Built(GatedClassifier(gate), False, 1.0),
        lambda n, params: {},
    )
    sys.exit(cli(argv))
