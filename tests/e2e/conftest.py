"""Starts the platform as real processes (`./manage.py up`, as `make run` does) on spare ports."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
import requests

from services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
BASE_PORT = 18000
START_TIMEOUT_SECONDS = 180
# load_demo_data's password; the suite runs under catalog's settings, so it cannot import it.
DEMO_PASSWORD = "mercato-demo"


class Platform:
    """One `./manage.py up` child; `url(service, path)` addresses a service's own port."""

    def __init__(self, *, home: Path, environment: dict[str, str]) -> None:
        self.home = home
        self.environment = environment
        self.process: subprocess.Popen | None = None

    def url(self, service: str, path: str) -> str:
        port = next(s.port(BASE_PORT) for s in SERVICES if s.name == service)
        return f"http://127.0.0.1:{port}{path}"

    def start(self) -> None:
        log_path = self.home / "up.log"
        log_path.touch()
        already_logged = log_path.stat().st_size
        log = open(log_path, "ab")  # noqa: SIM115 - the child writes to it until stop()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "up"],
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while b"Mercato is ready." not in log_path.read_bytes()[already_logged:]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-4000:]
                raise RuntimeError(f"the platform did not start:\n{tail}")
            time.sleep(0.5)

    def manage(self, *arguments: str) -> str:
        """Runs `./manage.py <arguments>` on this platform as an operator would; returns stdout."""
        finished = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            env=self.environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return finished.stdout

    def stop(self) -> None:
        """Ctrl-C, as a person would press it."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)

    def leftover_processes(self) -> list[psutil.Process]:
        """Processes started for this platform (they carry its MERCATO_HOME) still alive."""
        marker = str(self.home)
        leftovers = []
        for process in psutil.process_iter(["pid"]):
            try:
                if process.environ().get("MERCATO_HOME") == marker:
                    leftovers.append(process)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        return [p for p in leftovers if p.pid != os.getpid()]


def e2e_environment(home: Path) -> dict[str, str]:
    """The suite's servers (the machine's or embedded) with databases of its own."""
    environment = dict(os.environ)
    database = urlsplit(environment["DATABASE_URL"])
    environment["DATABASE_URL"] = database._replace(path="/e2e_{service}").geturl()
    environment.update(
        MERCATO_HOME=str(home),
        MERCATO_BASE_PORT=str(BASE_PORT),
        LOG_FORMAT="json",
        DEBUG="true",
    )
    return environment


@pytest.fixture(scope="session")
def platform(tmp_path_factory) -> Platform:
    home = tmp_path_factory.mktemp("mercato")
    running = Platform(home=home, environment=e2e_environment(home))
    running.start()
    yield running
    if running.process.poll() is None:
        running.stop()


@pytest.fixture
def http() -> requests.Session:
    with requests.Session() as session:
        yield session
