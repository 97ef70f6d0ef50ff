"""Stop cleanly on Ctrl-C or SIGTERM, and never leave worker processes behind.

- SIGTERM is turned into ``KeyboardInterrupt``, so both take the same path.
- With several processes, the cells run in loky workers; on an interrupt
  joblib terminates them. Each worker also watches its parent and exits
  within a second of the parent's death (kill -9), instead of idling on
  with a gigabyte of TensorFlow.
- With one process, the cells run in a daemon thread while the main thread
  waits, so that an interrupt is acted on at once, even in the middle of a
  long compiled fit, instead of when the fit returns.
"""

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

__all__ = [
    "INTERRUPTED",
    "loky_watching_parent",
    "run_interruptibly",
    "sigterm_as_interrupt",
]

#: The exit status of an interrupted run (128 + SIGINT, as shells report it).
INTERRUPTED = 130

#: How often a worker checks that its parent is alive, in seconds.
_WATCH_PERIOD = 0.5


def quiet_convergence_warnings() -> None:
    """Silence ConvergenceWarning: a net whose budget of epochs (or steps)
    runs out warns on every fit; the report states that budget instead."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    warnings.filterwarnings("ignore", category=ConvergenceWarning)


def _exit_with_parent(parent_pid: int) -> None:
    """Loky worker initializer: exit as soon as ``parent_pid`` is gone."""

    def watch() -> None:
        while True:
            time.sleep(_WATCH_PERIOD)
            if os.getppid() != parent_pid:
                os._exit(1)

    # Workers ignore Ctrl-C: the parent decides, and terminates them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quiet_convergence_warnings()
    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


@contextlib.contextmanager
def loky_watching_parent() -> Iterator[None]:
    """Run joblib's loky workers with :func:`_exit_with_parent` as initializer."""
    from joblib import parallel_config

    with parallel_config(
        backend="loky", initializer=_exit_with_parent, initargs=(os.getpid(),)
    ):
        yield


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Raise ``KeyboardInterrupt`` on SIGTERM within the block (main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_interruptibly(
    function: Callable[[], Any], on_interrupt: Callable[[], None]
) -> Any:
    """Run ``function`` in a daemon thread; on Ctrl-C, call ``on_interrupt``
    and end the process at once.

    The thread's work cannot be stopped from outside (a compiled fit holds
    it), and waiting for it could take minutes: everything finished is
    already saved, so the process exits without waiting.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = function()
        except BaseException as exc:  # handed to the main thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="compare", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        on_interrupt()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(INTERRUPTED)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
