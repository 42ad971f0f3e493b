"""Starts the platform as real processes (`./manage.py up`, as `make run` does) on spare ports,
with a real SMTP server, webhook receiver and broker relay beside it.

`E2E_BROKER=rabbitmq` runs the same suite with RabbitMQ as the Celery broker (make test does
both); Redis is the default.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote, unquote, urlsplit

import psutil
import pytest
import redis
import requests

from common.testing.servers import HttpStub
from devtools.otlp import OtlpReceiver
from services import SERVICES
from tests.e2e.listeners import MailCatcher, TcpSwitch
from tests.e2e.shop import Shop

ROOT = Path(__file__).resolve().parents[2]
BASE_PORT = 18000
START_TIMEOUT_SECONDS = 180
BROKER = os.environ.get("E2E_BROKER", "redis")
RABBITMQ = ("127.0.0.1", 5672)
RABBITMQ_MANAGEMENT_URL = os.environ.get(
    "RABBITMQ_MANAGEMENT_URL", "http://guest:guest@127.0.0.1:15672"
)
# Short enough that retries, dead letters, the outbox sweep and the job sweeps happen within a
# test's patience.
QUICK_RETRIES = {
    "EVENT_HANDLER_MAX_ATTEMPTS": "3",
    "EVENT_RETRY_BACKOFF_SECONDS": "1",
    "OUTBOX_SWEEP_SECONDS": "2",
    "JOB_REQUEUE_AFTER_SECONDS": "2",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "last: runs after every other test of the session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `last` (the log scan, which reads what all the others left) run last."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)


class Platform:
    """One `./manage.py up` child; `url(service, path)` addresses a service's own port."""

    def __init__(self, *, home: Path, environment: dict[str, str], base_port: int = BASE_PORT):
        self.home = home
        self.environment = environment
        self.base_port = base_port
        self.process: subprocess.Popen | None = None

    def url(self, service: str, path: str) -> str:
        port = next(s.port(self.base_port) for s in SERVICES if s.name == service)
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
                raise RuntimeError(f"the platform did not start:\n{start_failure(log_path)}")
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

    def process_group(self, service: str, role: str) -> int:
        """The process group of `service`'s `role` (web, worker, beat): `./manage.py up` starts
        each as a group of its own, whose leader is the process docker/entrypoint became."""
        command_word = {"web": "gunicorn", "worker": "worker", "beat": "beat"}[role]
        for process in self.leftover_processes():
            try:
                if (
                    process.environ().get("MERCATO_SERVICE") == service
                    and command_word in process.cmdline()
                    and os.getpgid(process.pid) == process.pid
                ):
                    return process.pid
            except (psutil.NoSuchProcess, psutil.ZombieProcess, ProcessLookupError):
                continue
        raise LookupError(f"no running {service}-{role} in {self.home}")


# What a line that says why a start failed contains (JSON logs, nginx, Prometheus, tracebacks).
FAILURE_MARKS = ('"level": "error"', '"level": "critical"', "[emerg]", "level=error", "Traceback")


def start_failure(log_path: Path) -> str:
    """What a failed start's log says: its first lines naming an error (a port in use, a
    traceback), which the shutdown that follows pushes out of the tail, then the tail."""
    text = log_path.read_text(errors="replace")
    errors = [line for line in text.splitlines() if any(mark in line for mark in FAILURE_MARKS)]
    return "\n".join(["first errors:", *errors[:12], "last lines:", text[-3000:]])


def e2e_environment(
    home: Path, *, databases: str = "e2e", base_port: int = BASE_PORT
) -> dict[str, str]:
    """The suite's servers (the machine's or embedded) with databases of its own."""
    environment = dict(os.environ)
    database = urlsplit(environment["DATABASE_URL"])
    environment["DATABASE_URL"] = database._replace(path=f"/{databases}_{{service}}").geturl()
    environment.update(
        MERCATO_HOME=str(home),
        MERCATO_BASE_PORT=str(base_port),
        LOG_FORMAT="json",
        DEBUG="true",
        # Two gunicorn workers per service, as the image runs: the metrics must add up across them.
        WEB_CONCURRENCY="2",
    )
    return environment


def fresh_broker(space: str, *, redis_database: int, broker: str = BROKER) -> TcpSwitch:
    """An empty broker namespace for one platform, behind a relay the suite can cut."""
    if broker == "rabbitmq":
        rabbitmq_fresh_vhost(space)
        switch = TcpSwitch(RABBITMQ)
        switch.start()
        switch.url = f"amqp://guest:guest@127.0.0.1:{switch.port}/{space}"
        return switch
    parts = urlsplit(os.environ["REDIS_URL"])
    if parts.scheme == "unix":
        redis.Redis(unix_socket_path=parts.path, db=redis_database).flushdb()
        switch = TcpSwitch(parts.path)
    else:
        upstream = (parts.hostname, parts.port or 6379)
        redis.Redis(host=upstream[0], port=upstream[1], db=redis_database).flushdb()
        switch = TcpSwitch(upstream)
    switch.start()
    switch.url = f"redis://127.0.0.1:{switch.port}/{redis_database}"
    return switch


def rabbitmq_fresh_vhost(vhost: str) -> None:
    """RabbitMQ's queues are durable: a virtual host per platform, new each run, holds no leftovers.

    It is made through the management HTTP API where that answers (the workflow's RabbitMQ
    container has no rabbitmqctl beside it), else with the local rabbitmqctl (a machine's own
    RabbitMQ without the management plugin). Where RabbitMQ or both ways are missing the RabbitMQ
    run is skipped, except in CI, where it must run."""
    try:
        socket.create_connection(RABBITMQ, timeout=2).close()
    except OSError:
        rabbitmq_missing(f"RabbitMQ is not running on {RABBITMQ[0]}:{RABBITMQ[1]}")
    if not recreate_vhost_through_management_api(vhost):
        if shutil.which("rabbitmqctl") is None:
            rabbitmq_missing(
                f"neither RabbitMQ's management API ({management_api()[0]}) nor rabbitmqctl is "
                "there to create virtual hosts"
            )
        recreate_vhost_with_rabbitmqctl(vhost)


def rabbitmq_missing(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def management_api() -> tuple[str, tuple[str, str]]:
    """The management API's base URL and credentials, from RABBITMQ_MANAGEMENT_URL."""
    parts = urlsplit(RABBITMQ_MANAGEMENT_URL)
    credentials = (unquote(parts.username or "guest"), unquote(parts.password or "guest"))
    base = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl().rstrip("/")
    return base, credentials


def recreate_vhost_through_management_api(vhost: str) -> bool:
    """False when nothing answers at the management API's address."""
    base, credentials = management_api()
    url = f"{base}/api/vhosts/{quote(vhost, safe='')}"
    try:
        deleted = requests.delete(url, auth=credentials, timeout=30)
    except requests.ConnectionError:
        return False
    created = requests.put(url, auth=credentials, timeout=30)
    permitted = requests.put(
        f"{base}/api/permissions/{quote(vhost, safe='')}/guest",
        json={"configure": ".*", "write": ".*", "read": ".*"},
        auth=credentials,
        timeout=30,
    )
    for answer, expected in ((deleted, {204, 404}), (created, {201, 204}), (permitted, {201, 204})):
        assert answer.status_code in expected, (
            f"{answer.request.method} {answer.url}: {answer.status_code} {answer.text}"
        )
    return True


def recreate_vhost_with_rabbitmqctl(vhost: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], capture_output=True)
    for command in (
        ["add_vhost", vhost],
        ["set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
    ):
        subprocess.run(["rabbitmqctl", "-q", *command], check=True, capture_output=True)


@pytest.fixture(scope="session")
def mail() -> MailCatcher:
    catcher = MailCatcher()
    catcher.start()
    yield catcher
    catcher.stop()


@pytest.fixture(scope="session")
def webhooks() -> HttpStub:
    """Customers' webhook endpoints: every POST answered 204 and kept."""
    receiver = HttpStub()
    receiver.on("POST", None, (204, None))
    yield receiver
    receiver.stop()


def started_platform(
    home: Path, *, databases: str, base_port: int, broker_url: str, mail: MailCatcher, **extra
) -> Platform:
    environment = e2e_environment(home, databases=databases, base_port=base_port)
    environment.update(
        CELERY_BROKER_URL=broker_url,
        EMAIL_URL=f"smtp://127.0.0.1:{mail.port}",
        # The webhook receiver listens on loopback, which production refuses.
        WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        **QUICK_RETRIES,
        **extra,
    )
    running = Platform(home=home, environment=environment, base_port=base_port)
    running.start()
    return running


@pytest.fixture(scope="session")
def broker() -> TcpSwitch:
    switch = fresh_broker("mercato-e2e", redis_database=2)
    yield switch
    switch.cut()


@pytest.fixture(scope="session")
def traces() -> OtlpReceiver:
    """The collector the platform's processes export their spans to."""
    receiver = OtlpReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def platform(tmp_path_factory, broker, mail, traces) -> Platform:
    """Traced, so the whole suite runs with tracing on; spans leave every half second."""
    running = started_platform(
        tmp_path_factory.mktemp("mercato"),
        databases="e2e",
        base_port=BASE_PORT,
        broker_url=broker.url,
        mail=mail,
        OTEL_EXPORTER_OTLP_ENDPOINT=traces.url,
        OTEL_BSP_SCHEDULE_DELAY="500",
    )
    yield running
    if running.process.poll() is None:
        running.stop()


@pytest.fixture(scope="session")
def gateway(platform) -> str:
    """The base URL of the platform's gateway (`./manage.py up` starts nginx on the base port where
    it is installed), where every service shares one host and port, as behind the Ingress. A test
    of it is skipped without nginx, and fails under CI, where `make test` installs it."""
    url = f"http://127.0.0.1:{platform.base_port}"
    try:
        requests.get(f"{url}/identity/operator/sign-in/", timeout=5)
    except requests.ConnectionError:
        reason = "nginx is not installed (make gateway installs it where apt-get can)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def twice_platform(tmp_path_factory, mail) -> Platform:
    """A second platform whose relays publish every event twice (EVENTS_PUBLISH_TWICE)."""
    switch = fresh_broker("mercato-e2e-twice", redis_database=3)
    running = started_platform(
        tmp_path_factory.mktemp("mercato-twice"),
        databases="e2e_twice",
        # Clear of the first platform's worker metrics (web ports + 100) and the gateway test's.
        base_port=BASE_PORT + 400,
        broker_url=switch.url,
        mail=mail,
        EVENTS_PUBLISH_TWICE="true",
    )
    yield running
    if running.process.poll() is None:
        running.stop()
    switch.cut()


@pytest.fixture
def http() -> requests.Session:
    with requests.Session() as session:
        yield session


@pytest.fixture
def shop(platform, http) -> Shop:
    return Shop(platform, http)
