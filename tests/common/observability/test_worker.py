"""A real Celery worker with two prefork children on real Redis: its main process serves, on
WORKER_METRICS_PORT, the task counters and durations every child wrote, added up, and what a
previous run left in the directory is not counted again.

The worker's database does not exist, so each outcome has a task of catalog's own: an event no
handler of catalog takes succeeds without it, an event a handler takes is retried until the
database is back, and the reservations' sweep fails."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
import requests
from celery import Celery
from django.conf import settings
from prometheus_client.mmap_dict import MmapedDict, mmap_key
from prometheus_client.parser import text_string_to_metric_families

from common.events.envelope import envelope_for
from common.events.outbox import CONSUME_TASK
from common.observability import worker as worker_metrics
from common.settings.derived import broker_url_from_redis
from common.testing.events import event_data
from common.testing.servers import free_port

ROOT = Path(__file__).resolve().parents[3]
FAILING_TASK = "catalog.reservations_expire"
WAIT_SECONDS = 90


def stale_counts(directory: Path) -> None:
    """A counter file a worker of a previous run left behind: 100 started sweeps."""
    stale = MmapedDict(str(directory / "counter_999999.db"))
    key = mmap_key(
        "mercato_celery_tasks_started",
        "mercato_celery_tasks_started_total",
        ["task"],
        [FAILING_TASK],
        "",
    )
    stale.write_value(key, 100.0, 0.0)
    stale.close()


@pytest.fixture
def worker(tmp_path):
    """catalog's worker on the test's Redis; each child runs one task and is replaced, so the
    tasks are spread over several children, dead ones included."""
    directory = tmp_path / "metrics"
    directory.mkdir()
    stale_counts(directory)
    port = free_port()
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.flushdb()
    environment = {
        **os.environ,
        "DATABASE_URL": urlsplit(os.environ["DATABASE_URL"])
        ._replace(path="/mercato_metrics_no_such_database")
        .geturl(),
        "CELERY_BROKER_URL": broker_url_from_redis(settings.REDIS_URL),
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "WORKER_METRICS_PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "services.catalog.settings",
        "DEBUG": "true",
    }
    command = [sys.executable, "-m", "celery", "--app", "services.catalog.celery", "worker"]
    process = subprocess.Popen(
        [
            *command,
            *("--queues", settings.SERVICE_NAME, "--concurrency", "2"),
            *("--max-tasks-per-child", "1", "--without-gossip", "--without-mingle"),
            *("--loglevel", "WARNING"),
        ],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}/metrics", directory
    finally:
        stop(process)
        broker.flushdb()
        broker.close()


def stop(process: subprocess.Popen) -> None:
    """The worker and its children, which share its session: a cold shutdown, as a retry waiting
    for its countdown would hold up a warm one."""
    for sent in (signal.SIGQUIT, signal.SIGKILL):
        try:
            os.killpg(process.pid, sent)
            process.wait(timeout=20)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def scraped(url: str) -> dict[tuple[str, frozenset], float]:
    page = requests.get(url, timeout=5).text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def wait_for(url: str, process: subprocess.Popen, done) -> dict:
    """The worker's metrics once `done(samples)` holds; fails with the worker's output if they
    never do."""
    deadline = time.monotonic() + WAIT_SECONDS
    samples: dict | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the worker stopped:\n{process.stdout.read().decode()[-3000:]}")
        try:
            samples = scraped(url)
        except requests.ConnectionError:
            samples = None
        if samples is not None and done(samples):
            return samples
        time.sleep(0.5)
    stop(process)
    output = process.stdout.read().decode()[-3000:]
    pytest.fail(f"the worker's metrics never added up; last scrape: {samples}\n{output}")


def consume(app: Celery, event_type: str) -> None:
    envelope = envelope_for(event_type=event_type, data=event_data(event_type), source="tests")
    app.send_task(CONSUME_TASK, args=[envelope], queue=settings.SERVICE_NAME)


def test_the_worker_serves_the_counts_of_all_its_children_added_up(worker):
    process, url, directory = worker
    answered = wait_for(url, process, lambda samples: True)
    assert not [name for name, _ in answered if name.startswith("mercato_celery_")], answered
    app = Celery("sender", broker=broker_url_from_redis(settings.REDIS_URL), set_as_current=False)
    consume(app, "payment.succeeded")
    consume(app, "order.created")
    app.send_task(FAILING_TASK, queue=settings.SERVICE_NAME)

    samples = wait_for(
        url,
        process,
        lambda samples: (
            value(samples, "mercato_celery_tasks_succeeded_total", task=CONSUME_TASK) == 1
            and value(samples, "mercato_celery_tasks_retried_total", task=CONSUME_TASK) >= 1
            and value(samples, "mercato_celery_tasks_failed_total", task=FAILING_TASK) == 1
        ),
    )

    assert value(samples, "mercato_celery_tasks_started_total", task=FAILING_TASK) == 1, samples
    assert value(samples, "mercato_celery_tasks_started_total", task=CONSUME_TASK) >= 2, samples
    assert value(samples, "mercato_celery_tasks_failed_total", task=CONSUME_TASK) == 0, samples
    durations = "mercato_celery_task_duration_seconds_count"
    assert value(samples, durations, task=FAILING_TASK) == 1, samples
    assert value(samples, durations, task=CONSUME_TASK) >= 2, samples
    children = {path.name for path in directory.glob("counter_*.db")}
    assert "counter_999999.db" not in children
    assert len(children) >= 3, children


def test_a_worker_whose_metrics_port_is_taken_runs_on_without_serving(monkeypatch, tmp_path):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        monkeypatch.setenv("WORKER_METRICS_PORT", str(taken.getsockname()[1]))
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

        worker_metrics.worker_metrics_serve()

    assert worker_metrics._server is None


def test_a_solo_worker_keeps_serving_after_its_pool_says_a_child_started(monkeypatch, tmp_path):
    """A solo pool sends worker_process_init in the main process: the server must stay up."""
    port = free_port()
    monkeypatch.setenv("WORKER_METRICS_PORT", str(port))
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    worker_metrics.worker_metrics_serve()
    server = worker_metrics._server
    assert server is not None
    try:
        worker_metrics.worker_child_started()

        assert requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).status_code == 200
    finally:
        server.shutdown()
        server.server_close()
        monkeypatch.setattr(worker_metrics, "_server", None)
        monkeypatch.setattr(worker_metrics, "_server_pid", None)


def test_a_file_a_child_has_created_but_not_yet_sized_is_left_out_of_the_scrape(tmp_path):
    stale_counts(tmp_path)
    (tmp_path / "counter_1234.db").touch()

    families = list(worker_metrics.WorkerCollector(str(tmp_path)).collect())

    samples = [(sample.labels, sample.value) for family in families for sample in family.samples]
    assert samples == [({"task": FAILING_TASK}, 100.0)]
