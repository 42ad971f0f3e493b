"""A web process whose database never answers: not ready, still live, and quick to say so."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from common.testing.servers import free_port
from tests.e2e.shop import answered, described

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def silent_database():
    """A loopback server that accepts connections and never says a word, like a hung database."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[1]


@pytest.fixture
def catalog_web_without_database(silent_database, tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "MERCATO_SERVICE": "catalog",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_database}/catalog",
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port} --workers 1",
        "DEBUG": "true",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    process = subprocess.Popen(
        [str(ROOT / "docker" / "entrypoint"), "web"],
        env=environment,
        stdout=(tmp_path / "web.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz/live", timeout=1)
                break
            except requests.RequestException:  # not listening yet, or no worker booted yet
                assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_a_silent_database_makes_ready_fail_within_its_deadline(catalog_web_without_database):
    ready = answered(requests.get(f"{catalog_web_without_database}/healthz/ready", timeout=5), 503)
    checks = ready.json()["checks"]
    deadline = settings.DEPENDENCY_TIMEOUT_SECONDS
    assert checks["database"] == {"ok": False, "error": f"no answer within {deadline}s"}
    assert checks["cache"]["ok"], described(ready)
    assert checks["broker"]["ok"], described(ready)
    assert requests.get(f"{catalog_web_without_database}/healthz/live", timeout=5).ok
