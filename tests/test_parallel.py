import joblib
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from skclassify.datasets import make_sum_threshold
from skclassify.evaluation import compare_models, dask_backend

distributed = pytest.importorskip("distributed")

SCORES = ["model", "fold", "accuracy", "balanced_accuracy", "log_loss"]


@pytest.fixture(scope="module")
def data():
    return make_sum_threshold(90, random_state=0)


@pytest.fixture(scope="module")
def models():
    return {
        "dummy": DummyClassifier(),
        "logreg": LogisticRegression(),
        "svc": SVC(),
    }


@pytest.fixture(scope="module")
def sequential(models, data):
    return compare_models(models, *data, cv=3, n_jobs=1, progress=False)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        processes=False, n_workers=2, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:
        yield cluster


def active_backend_name():
    backend, _ = joblib.parallel.get_active_backend()
    return type(backend).__name__


def test_dask_cluster_gives_same_scores(cluster, models, data, sequential):
    with dask_backend(cluster) as client:
        assert active_backend_name() == "DaskDistributedBackend"
        with distributed.get_task_stream(client) as task_stream:
            results = compare_models(models, *data, cv=3, progress=False)

    assert len(task_stream.data) > 0  # the cells ran on the cluster
    assert client.status == "closed"
    assert cluster.status.name == "running"  # not ours to close
    pd.testing.assert_frame_equal(results[SCORES], sequential[SCORES])


def test_dask_backend_starts_and_stops_local_cluster(models, data, sequential):
    with dask_backend(n_workers=2, processes=False) as client:
        workers = client.scheduler_info()["workers"]
        results = compare_models(models, *data, cv=3, progress=False)

    assert len(workers) == 2
    assert all(w["nthreads"] == 1 for w in workers.values())
    assert client.status == "closed"
    assert active_backend_name() != "DaskDistributedBackend"
    pd.testing.assert_frame_equal(results[SCORES], sequential[SCORES])


def test_dask_backend_uses_env_scheduler(cluster, monkeypatch):
    monkeypatch.setenv("SKCLASSIFY_SCHEDULER", cluster.scheduler_address)

    with dask_backend() as client:
        assert client.scheduler.address == cluster.scheduler_address

    assert cluster.status.name == "running"


def test_dask_backend_with_address_and_client(cluster):
    with dask_backend(cluster.scheduler_address) as client:
        assert client.scheduler.address == cluster.scheduler_address
    assert client.status == "closed"

    with distributed.Client(cluster) as own_client:
        with dask_backend(own_client) as client:
            assert client is own_client
        assert own_client.status == "running"
