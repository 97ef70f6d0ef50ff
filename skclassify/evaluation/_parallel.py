"""Run joblib code, such as :func:`compare_models`, on a Dask cluster."""

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["SCHEDULER_ENV_VAR", "dask_backend"]

#: Environment variable holding the address of a running Dask scheduler.
SCHEDULER_ENV_VAR = "SKCLASSIFY_SCHEDULER"


@contextlib.contextmanager
def dask_backend(
    scheduler: Any = None,
    *,
    n_workers: int = 2,
    threads_per_worker: int = 1,
    processes: bool = True,
    **cluster_kwargs,
) -> Iterator["Client"]:
    """Make joblib run on a Dask cluster within a ``with`` block.

    Inside the block ``joblib.parallel_config(backend="dask")`` is active, so
    :func:`compare_models` (and any scikit-learn ``n_jobs``) spreads its work
    over the cluster's workers. What the block starts, it shuts down.

    Parameters
    ----------
    scheduler : str, distributed.Client, cluster or None, default=None
        Where to run. ``None``: the address in the environment variable
        ``SKCLASSIFY_SCHEDULER`` if set, else a new local cluster. A string
        such as ``"tcp://10.0.0.5:8786"``: connect to that running
        scheduler. A cluster object: connect a new client to it (the cluster
        is left running). A :class:`distributed.Client`: use it as is.

    n_workers : int, default=2
        The number of workers of a new local cluster.

    threads_per_worker : int, default=1
        The threads of each worker of a new local cluster.

    processes : bool, default=True
        Whether the workers of a new local cluster are processes (``False``:
        threads of this process, quicker to start).

    **cluster_kwargs : dict
        Further arguments of :class:`distributed.LocalCluster`;
        ``dashboard_address`` defaults to ``":0"`` (a free port, see
        ``client.dashboard_link``) so that several clusters never clash.

    Yields
    ------
    client : distributed.Client
        The client joblib submits to.

    See Also
    --------
    compare_models : Cross-validates models through joblib.

    Notes
    -----
    A local cluster of processes starts fresh interpreters: guard the
    calling script with ``if __name__ == "__main__":``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skclassify.datasets import make_sum_threshold
    >>> from skclassify.evaluation import compare_models, dask_backend
    >>> X, y = make_sum_threshold(random_state=0)
    >>> models = {"logreg": LogisticRegression()}
    >>> with dask_backend(n_workers=2, processes=False) as client:
    ...     results = compare_models(models, X, y, cv=3, progress=False)
    >>> len(results)
    3
    """
    import joblib
    from distributed import Client, LocalCluster

    if scheduler is None:
        scheduler = os.environ.get(SCHEDULER_ENV_VAR) or None

    with contextlib.ExitStack() as stack:
        if isinstance(scheduler, Client):
            client = scheduler
        elif scheduler is None:
            cluster_kwargs.setdefault("dashboard_address", ":0")
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=n_workers,
                    threads_per_worker=threads_per_worker,
                    processes=processes,
                    **cluster_kwargs,
                )
            )
            client = stack.enter_context(Client(cluster))
        else:
            client = stack.enter_context(Client(scheduler))
        stack.enter_context(joblib.parallel_config(backend="dask", client=client))
        yield client
