"""Celery's metrics: every task counted from Celery's signals, and a worker's own /metrics.

The worker's main process serves /metrics on WORKER_METRICS_PORT, adding up the files its
prefork children write to PROMETHEUS_MULTIPROC_DIR (a directory of the worker's own: the web's
gunicorn empties its own at start). Chosen over an exporter such as celery-exporter, which needs
task events sent by every worker and one more process per broker to run: the counts are taken
where each task runs, and queue depth is read from the broker by the web's /metrics instead.
"""

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer

import structlog
from celery.signals import (
    import_modules,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    worker_init,
    worker_process_init,
    worker_process_shutdown,
)
from prometheus_client import CollectorRegistry, Counter, Histogram, Metric, start_http_server
from prometheus_client.multiprocess import mark_process_dead

from common.observability.metrics import SettledFilesCollector, multiprocess_directory

TASK_DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
# A live gauge's file is named `gauge_live<mode>_<pid>.db`.
LIVE_GAUGE_FILE = re.compile(r"^gauge_live[a-z]+_(\d+)\.db$")

logger = structlog.get_logger(__name__)

TASKS_STARTED = Counter("mercato_celery_tasks_started", "Tasks a worker began, by task.", ["task"])
TASKS_SUCCEEDED = Counter(
    "mercato_celery_tasks_succeeded", "Tasks that returned without error, by task.", ["task"]
)
TASKS_FAILED = Counter(
    "mercato_celery_tasks_failed", "Tasks that raised (retries not included), by task.", ["task"]
)
TASKS_RETRIED = Counter(
    "mercato_celery_tasks_retried", "Tasks that asked to be retried, by task.", ["task"]
)
TASK_DURATION = Histogram(
    "mercato_celery_task_duration_seconds",
    "Seconds a task ran, whatever its outcome, by task.",
    ["task"],
    buckets=TASK_DURATION_BUCKETS,
)

# task id -> when it started, in the process that runs it.
_started: dict[str, float] = {}
_server: WSGIServer | None = None
_server_pid: int | None = None


def task_name(sender: Any) -> str:
    return getattr(sender, "name", None) or "unknown"


def task_started(sender: Any = None, task_id: str = "", **kwargs: Any) -> None:
    _started[task_id] = time.monotonic()
    TASKS_STARTED.labels(task=task_name(sender)).inc()


def task_finished(sender: Any = None, task_id: str = "", state: str = "", **kwargs: Any) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        TASK_DURATION.labels(task=task_name(sender)).observe(time.monotonic() - started)
    if state == "SUCCESS":
        TASKS_SUCCEEDED.labels(task=task_name(sender)).inc()


def task_failed(sender: Any = None, **kwargs: Any) -> None:
    TASKS_FAILED.labels(task=task_name(sender)).inc()


def task_retried(sender: Any = None, **kwargs: Any) -> None:
    TASKS_RETRIED.labels(task=task_name(sender)).inc()


class WorkerCollector(SettledFilesCollector):
    """The sum of every file in the directory, once the live gauges of children that died without
    saying so (killed) are dropped."""

    def collect(self) -> Iterator[Metric]:
        for path in Path(self.directory).glob("gauge_live*.db"):
            match = LIVE_GAUGE_FILE.match(path.name)
            if match and not process_alive(int(match.group(1))):
                mark_process_dead(int(match.group(1)), self.directory)
        yield from super().collect()


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def metrics_directory_emptied(sender: Any = None, **kwargs: Any) -> None:
    """As a worker starts, before Django and the tasks load and so before any metric of this
    process has its file: empties the directory, whose files from a previous run (a restarted
    container reuses its pids) would be counted again. `celery shell` and `report` import the
    modules too, but outside the worker's start, and leave the directory alone."""
    directory = multiprocess_directory()
    if directory is None or not getattr(sender.loader, "worker_initialized", False):
        return
    shutil.rmtree(directory, ignore_errors=True)
    Path(directory).mkdir(parents=True)


def worker_metrics_serve(**kwargs: Any) -> None:
    """In the worker's main process, before its children fork: serves /metrics on
    WORKER_METRICS_PORT, when it is set."""
    global _server, _server_pid
    port = os.environ.get("WORKER_METRICS_PORT")
    if not port:
        return
    directory = multiprocess_directory()
    if directory is None:
        logger.warning("worker_metrics_not_served", reason="PROMETHEUS_MULTIPROC_DIR is unset")
        return
    registry = CollectorRegistry()
    registry.register(WorkerCollector(directory))
    try:
        _server, _ = start_http_server(int(port), registry=registry)
        _server_pid = os.getpid()
    except OSError:
        # The tasks matter more than their figures: the worker runs on, and says why it is mute.
        logger.error("worker_metrics_not_served", port=int(port), exc_info=True)
        return
    logger.info("worker_metrics_serving", port=int(port))


def worker_child_started(**kwargs: Any) -> None:
    """A child inherits the listening socket, not the thread serving it: it lets go of it, so
    a restarted worker can bind its port while children of the old one finish. A solo pool
    sends this signal in the main process itself, which keeps serving."""
    if _server is not None and _server_pid != os.getpid():
        _server.socket.close()


def worker_child_stopped(pid: int | None = None, **kwargs: Any) -> None:
    directory = multiprocess_directory()
    if directory is not None:
        mark_process_dead(pid or os.getpid(), directory)


def connect_signals() -> None:
    """Counts every task this process runs and, in a worker, serves what its children count;
    once per process however many apps are made (dispatch_uid). Connected before the app is
    made: the directory must be emptied before Celery's Django fixup loads the apps."""
    for signal, receiver in (
        (task_prerun, task_started),
        (task_postrun, task_finished),
        (task_failure, task_failed),
        (task_retry, task_retried),
        (import_modules, metrics_directory_emptied),
        (worker_init, worker_metrics_serve),
        (worker_process_init, worker_child_started),
        (worker_process_shutdown, worker_child_stopped),
    ):
        signal.connect(receiver, weak=False, dispatch_uid=f"mercato.metrics.{receiver.__name__}")
