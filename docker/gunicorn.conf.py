"""Gunicorn settings of every service's web process; metrics add up across all its workers."""

import os
import shutil
from pathlib import Path

from gunicorn import glogging
from prometheus_client import multiprocess

from common.observability.tracing import tracing_start
from common.settings import settings_validated

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# More than one thread makes each worker a gthread worker: `make run` serves with one worker of
# four threads, a process where sync workers would need four.
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = 30
graceful_timeout = 10
keepalive = 5
# Recycling workers bounds slow memory growth; the jitter keeps them from restarting together.
# Each new worker spends about a second of CPU booting Django: recycled every 2,000 requests, a
# busy catalog spent over a quarter of its time on it. Python's heap does not grow over
# requests; the allocator's arenas settle a few MiB up within the first ten thousand.
max_requests = 20000
max_requests_jitter = 2000
# django-structlog logs every request with its id; gunicorn's access log would say it twice.
accesslog = None
errorlog = "-"
# Gunicorn's own lines (start, workers booting, timeouts) as JSON like the application's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": "common.observability.logging.StructuredFormatter",
            "format": os.environ.get("LOG_FORMAT", "json"),
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
# Gunicorn's control socket (`gunicornc`) defaults to one path per user, which every master on a
# machine would share: `make run` gives each master its own under the platform's home; where
# GUNICORN_CONTROL_SOCKET is unset (the image: one master per container, nothing uses it) it is off.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"


class ErrorLogger(glogging.Logger):
    """Gunicorn's logger without the access log: `logconfig_dict` alone has it build each
    request's line (a twentieth of a cached read's time) for a logger that drops it."""

    access_log_enabled = False


logger_class = ErrorLogger


def on_starting(server) -> None:
    """Checks the environment before any worker boots; then empties the metrics directory, whose
    files from a previous run's workers would be counted again."""
    settings_validated()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker) -> None:
    """Tracing starts in each worker, before it loads the application (Django's middleware is
    instrumented then): the exporter's thread would not survive the fork."""
    tracing_start(role="web")


def post_worker_init(worker) -> None:
    """Imports the URLconf and its views at boot, so no first request pays for them, and runs the
    readiness checks once: the first probe would otherwise pay for their first connections and
    imports within its deadline, which a loaded machine starting the whole platform outlasts (a
    503 logged while `make run` comes up)."""
    from django.conf import settings
    from django.urls import get_resolver

    from common.health.checks import run_checks

    get_resolver().url_patterns  # noqa: B018 - the cached property does the importing
    if not hasattr(settings, "DEPENDENCY_TIMEOUT_SECONDS"):
        return  # the bench's baselines (bench/baselines/) have no dependencies to check
    run_checks(deadline_seconds=settings.DEPENDENCY_TIMEOUT_SECONDS)
