"""Gunicorn settings of every service's web process; metrics add up across all its workers."""

import os
import shutil
from pathlib import Path

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
max_requests = 2000
max_requests_jitter = 200
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
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"


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
    """Imports the URLconf and its views at boot, so no first request pays for them."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the cached property does the importing
