"""A real Celery worker with two prefork children on real Redis: its main process serves, on
WORKER_METRICS_PORT, the task counters and durations every child wrote, added up, and what a
previous run left in the directory is not counted again."""

import os
import signal
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
from django.db import connection
from prometheus_client.mmap_dict import MmapedDict, mmap_key
from prometheus_client.parser import text_string_to_metric_families

from apps.catalog.services import PRODUCT_IMPORT_TASK
from common.testing.servers import free_port

ROOT = Path(__file__).resolve().parents[3]
SUCCEEDING_TASK = "catalog.reservations_expire"
WAIT_SECONDS = 90

pytestmark = pytest.mark.django_db(transaction=True)


def stale_counts(directory: Path) -> None:
    """A counter file a worker of a previous run left behind: 100 started tasks."""
    stale = MmapedDict(str(directory / "counter_999999.db"))
    key = mmap_key(
        "mercato_celery_tasks_started",
        "mercato_celery_tasks_started_total",
        ["task"],
        [SUCCEEDING_TASK],
        "",
    )
    stale.write_value(key, 100.0, 0.0)
    stale.close()


@pytest.fixture
def worker(tmp_path):
    """catalog's worker on the test database and the test's Redis; each child runs one task and
    is replaced, so the tasks are spread over several children, dead ones included."""
    directory = tmp_path / "metrics"
    directory.mkdir()
    stale_counts(directory)
    port = free_port()
    database = urlsplit(os.environ["DATABASE_URL"])._replace(
        path=f"/{connection.settings_dict['NAME']}"
    )
    queue = settings.SERVICE_NAME
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.delete(queue)
    environment = {
        **os.environ,
        "DATABASE_URL": database.geturl(),
        "CELERY_BROKER_URL": settings.REDIS_URL,
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "WORKER_METRICS_PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "services.catalog.settings",
        "DEBUG": "true",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "services.catalog.celery",
            "worker",
            "--queues",
            queue,
            "--concurrency",
            "2",
            "--max-tasks-per-child",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
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
        broker.delete(queue)
        broker.close()


def stop(process: subprocess.Popen) -> None:
    """The worker and its children, which share its session."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sent)
            process.wait(timeout=30)
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


def test_the_worker_serves_the_counts_of_all_its_children_added_up(worker):
    process, url, directory = worker
    # Empty until a child has run a task: the main process runs none.
    assert wait_for(url, process, lambda samples: True) == {}
    app = Celery("sender", broker=settings.REDIS_URL, set_as_current=False)
    for _ in range(3):
        app.send_task(SUCCEEDING_TASK, queue=settings.SERVICE_NAME)
    app.send_task(
        PRODUCT_IMPORT_TASK,
        args=["00000000-0000-0000-0000-000000000000"],
        queue=settings.SERVICE_NAME,
    )

    samples = wait_for(
        url,
        process,
        lambda samples: (
            value(samples, "mercato_celery_tasks_succeeded_total", task=SUCCEEDING_TASK) == 3
            and value(samples, "mercato_celery_tasks_failed_total", task=PRODUCT_IMPORT_TASK) == 1
        ),
    )

    started = "mercato_celery_tasks_started_total"
    assert value(samples, started, task=SUCCEEDING_TASK) == 3, samples
    assert value(samples, started, task=PRODUCT_IMPORT_TASK) == 1, samples
    assert value(samples, "mercato_celery_tasks_failed_total", task=SUCCEEDING_TASK) == 0
    durations = "mercato_celery_task_duration_seconds_count"
    assert value(samples, durations, task=SUCCEEDING_TASK) == 3, samples
    assert value(samples, durations, task=PRODUCT_IMPORT_TASK) == 1, samples
    children = {path.name for path in directory.glob("counter_*.db")}
    assert "counter_999999.db" not in children
    assert len(children) >= 2, children
