"""Gunicorn settings of every service's web process; metrics add up across all its workers."""

import os
import shutil
import sys
from pathlib import Path

from prometheus_client import multiprocess

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 30
graceful_timeout = 10
keepalive = 5
# Recycling workers bounds slow memory growth; the jitter keeps them from restarting together.
max_requests = 2000
max_requests_jitter = 200
# django-structlog logs every request with its id; gunicorn's access log would say it twice.
accesslog = None
errorlog = "-"
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"


def on_starting(server) -> None:
    """Checks the environment before any worker boots; then empties the metrics directory, whose
    files from a previous run's workers would be counted again."""
    stop_on_configuration_error()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True)


def stop_on_configuration_error() -> None:
    """A missing or malformed variable stops the master with manage.py's one line and exit code,
    rather than a traceback from every worker that tries to boot."""
    from django.conf import settings

    from common.settings import ConfigurationError

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loading the settings validates the environment
    except ConfigurationError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        sys.exit(2)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker) -> None:
    """Imports the URLconf and its views at boot, so no first request pays for them."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the cached property does the importing
