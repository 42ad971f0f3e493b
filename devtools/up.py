"""`./manage.py up` (`make run`): the whole platform on one machine until Ctrl-C."""

import hashlib
import os
import shutil
import signal
import string
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import psycopg

from common.settings.environment import ConfigurationError, database, integer
from devtools import ROOT
from devtools.embedded import mercato_home, use_embedded_servers
from devtools.processes import Supervisor
from devtools.prometheus import (
    prometheus_binary,
    prometheus_port,
    start_prometheus,
    worker_metrics_port,
)
from services import DEFAULT_BASE_PORT, SERVICES, Service

if TYPE_CHECKING:
    from devtools.otlp import OtlpReceiver

ENTRYPOINT = str(ROOT / "docker" / "entrypoint")
GATEWAY_TEMPLATE = ROOT / "docker" / "gateway" / "mercato.conf.template"
READY_TIMEOUT_SECONDS = 120
# Start-up ends when the children's console has been quiet this long (at most QUIET_WAIT_SECONDS):
# the table is printed after their start-up lines, not among them.
QUIET_SECONDS = 1.0
QUIET_WAIT_SECONDS = 10.0
USAGE = "usage: ./manage.py up [--status]"
MIGRATIONS = [*ROOT.glob("apps/*/migrations/*.py"), *ROOT.glob("common/**/migrations/*.py")]


class StartupFailed(Exception):
    """A step of start-up failed; the message says which and where its log is."""


def _stop(signal_number, frame):
    raise KeyboardInterrupt


def up(arguments: Sequence[str] = ()) -> int:
    """The platform until Ctrl-C; `--status` prints the table of a running one and its state."""
    home = mercato_home()
    base_port = integer("MERCATO_BASE_PORT", default=DEFAULT_BASE_PORT, minimum=1)
    if list(arguments) == ["--status"]:
        print(status_table(base_port=base_port, gateway=gateway_answers(base_port)), flush=True)
        return 0
    if arguments:
        print(USAGE, file=sys.stderr)
        return 2
    # Installed explicitly: a launcher started in the background inherits SIGINT ignored.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    reprint = threading.Event()
    signal.signal(signal.SIGUSR1, lambda signal_number, frame: reprint.set())
    supervisor = Supervisor(log_dir=home / "logs")
    traces = None
    try:
        environment = platform_environment(home, base_port=base_port)
        traces = local_trace_receiver(environment)
        nginx = behind_gateway(environment)
        prepare_databases(supervisor, environment, home=home)
        for service in SERVICES:
            start_service(supervisor, service, environment, home=home, base_port=base_port)
        gateway = start_gateway(
            supervisor, environment, nginx=nginx, home=home, base_port=base_port
        )
        prometheus = start_monitoring(supervisor, environment, home=home, base_port=base_port)
        # While the services start: nothing they do at start-up needs the demo rows.
        demo_data = load_demo_data(supervisor, environment)
        wait_until_ready(supervisor, base_port=base_port)
        supervisor_quiet(supervisor)
        summary = Summary(
            base_port=base_port,
            gateway=gateway,
            prometheus=prometheus,
            home=home,
            loopback_webhooks=loopback_webhooks(environment),
        )
        supervisor.say(demo_data_block(demo_data) + summary.text())
        enter_reprints(reprint)
        watch(supervisor, reprint=reprint, summary=summary)
    except StartupFailed as failure:
        print(f"\nstart-up failed: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping Mercato…", flush=True)
        return 0
    finally:
        supervisor.stop_all()
        if traces is not None:
            print(traces.summary(), flush=True)
            traces.stop()


def platform_environment(
    home: Path, *, base_port: int, inherited: Mapping[str, str] | None = None
) -> dict[str, str]:
    """What every child inherits: the servers to use and local-development defaults, on top of
    `inherited` (this process's environment unless given)."""
    use_embedded_servers()
    environment = dict(os.environ if inherited is None else inherited)
    # `<SERVICE>_URL`: where a service calls another (identity for tokens, catalog for prices).
    for service in SERVICES:
        environment.setdefault(f"{service.name.upper()}_URL", service_url(service, base_port))
    environment.setdefault("DEBUG", "true")
    environment.setdefault("LOG_FORMAT", "console")
    # One machine's shape, chosen by measurement (docs/performance.md): per service a web worker
    # of four threads and a solo Celery worker running its beat, three processes with gunicorn's
    # master where sync workers, a prefork pool and a beat of its own took six.
    environment.setdefault("WEB_CONCURRENCY", "1")
    environment.setdefault("WEB_THREADS", "4")
    environment.setdefault("CELERY_POOL", "solo")
    environment.setdefault("CELERY_CONCURRENCY", "1")
    environment.setdefault("BEAT_IN_WORKER", "true")
    # A webhook receiver on this machine (./manage.py notifications webhook_listen) may be tried:
    # production refuses loopback targets (apps/notifications/targets.py).
    environment.setdefault("WEBHOOK_ALLOW_LOOPBACK_TARGETS", "true")
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    environment["MERCATO_HOME"] = str(home)
    return environment


def local_trace_receiver(environment: dict[str, str]) -> "OtlpReceiver | None":
    """`MERCATO_TRACING=local`: every process traces (common/observability/tracing.py), exporting
    to a receiver in this launcher that counts the spans, a stand-in for a collector; an
    OTEL_EXPORTER_OTLP_ENDPOINT already set wins."""
    if environment.get("MERCATO_TRACING") != "local" or environment.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    ):
        return None
    from devtools.otlp import OtlpReceiver

    receiver = OtlpReceiver()
    environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.url
    print(f"Tracing: every process exports its spans to {receiver.url}", flush=True)
    return receiver


def behind_gateway(environment: dict[str, str]) -> str | None:
    """nginx, when installed, to run as the gateway; the services then take the client from the
    last entry of X-Forwarded-For, which it appends as the one proxy in front of them. Without
    it the admins send operators to identity's own port to sign in."""
    nginx = shutil.which("nginx", path=environment["PATH"] + ":/usr/sbin")
    if nginx is not None:
        environment.setdefault("NUM_PROXIES", "1")
    else:
        # Each admin is reached on its own port, so it sends browsers to identity's to sign in.
        environment.setdefault("IDENTITY_PUBLIC_URL", environment["IDENTITY_URL"])
    return nginx


def service_url(service: Service, base_port: int) -> str:
    return f"http://127.0.0.1:{service.port(base_port)}"


def service_environment(environment: dict[str, str], service: Service) -> dict[str, str]:
    return {**environment, "MERCATO_SERVICE": service.name}


def prepare_databases(supervisor: Supervisor, environment: dict[str, str], *, home: Path) -> None:
    """Migrates every service's database at once; each creates its database if it is missing. A
    database this launcher migrated with the very same migrations is left alone: a second start
    skips five Django start-ups (MigrationStamp)."""

    def migrate(service: Service) -> int:
        stamp = MigrationStamp(home=home, service=service.name)
        if not service.migrate_every_start and stamp.current():
            return 0
        returncode = supervisor.run(
            f"{service.name}-migrate",
            [ENTRYPOINT, "migrate"],
            env=service_environment(environment, service),
        )
        if returncode == 0:
            stamp.record()
        return returncode

    with ThreadPoolExecutor(max_workers=len(SERVICES)) as pool:
        returncodes = dict(zip(SERVICES, pool.map(migrate, SERVICES), strict=True))
    if failed := [service.name for service, code in returncodes.items() if code != 0]:
        raise StartupFailed(f"migrations failed for {', '.join(failed)} (see their -migrate.log)")


@dataclass(frozen=True)
class MigrationStamp:
    """What a service's database was last migrated with: the migration files (the project's, and
    the installed packages' through requirements.lock), the database, and how many migrations it
    then had applied. It is current while all three still hold, which one query checks; a database
    dropped or migrated by hand since is migrated again."""

    home: Path
    service: str

    @property
    def path(self) -> Path:
        return self.home / "migrated" / self.service

    def fingerprint(self) -> str:
        digest = hashlib.sha256(repr(self.database()).encode())
        digest.update((ROOT / "requirements.lock").read_bytes())
        for migration in sorted(MIGRATIONS):
            digest.update(f"{migration.relative_to(ROOT)} {migration.stat().st_mtime_ns}".encode())
        return digest.hexdigest()

    def database(self) -> dict[str, Any]:
        return database("DATABASE_URL", service=self.service)

    def applied(self) -> int:
        settings = self.database()
        # As Django would connect: OPTIONS carries what the URL's query said (a socket's host).
        parameters = {
            "dbname": settings["NAME"],
            **{
                name: settings[key]
                for name, key in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
                if settings.get(key)
            },
            "password": settings.get("PASSWORD") or None,
            **settings.get("OPTIONS", {}),
        }
        with psycopg.connect(**parameters, connect_timeout=2) as connection:
            row = connection.execute("SELECT count(*) FROM django_migrations").fetchone()
        return row[0] if row else 0

    def current(self) -> bool:
        try:
            return self.path.read_text() == f"{self.fingerprint()} {self.applied()}"
        except (OSError, ConfigurationError, psycopg.Error):
            return False

    def record(self) -> None:
        try:
            stamp = f"{self.fingerprint()} {self.applied()}"
        except (OSError, ConfigurationError, psycopg.Error):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(stamp)


def load_demo_data(supervisor: Supervisor, environment: dict[str, str]) -> list[str]:
    """Runs each service's idempotent demo command, all at once; returns what they printed (the
    logins), in the order of SERVICES. Neither that nor their log lines reach the console now:
    the summary shows what they printed as one block."""

    def load(service: Service) -> list[str]:
        name = f"{service.name}-demo-data"
        command = [sys.executable, str(ROOT / "manage.py"), service.name, "load_demo_data"]
        returncode, printed = supervisor.run_quietly(name, command, env=environment)
        if returncode != 0:
            raise StartupFailed(f"demo data failed for {service.name} (see {name}.log)")
        return printed.splitlines()

    with_demo_data = [service for service in SERVICES if service.demo_data]
    with ThreadPoolExecutor(max_workers=len(with_demo_data)) as pool:
        return [line for printed in pool.map(load, with_demo_data) for line in printed]


def start_service(
    supervisor: Supervisor,
    service: Service,
    environment: dict[str, str],
    *,
    home: Path,
    base_port: int,
) -> None:
    start_web(supervisor, service, environment, home=home, base_port=base_port)
    # Under this platform's home: two platforms on one machine (make run beside the e2e suite)
    # must not share one schedule file.
    schedule = {"CELERY_BEAT_SCHEDULE": str(home / f"celerybeat-{service.name}")}
    embedded = beat_in_worker(environment)
    supervisor.start(
        f"{service.name}-worker",
        [ENTRYPOINT, "worker"],
        env={
            **service_environment(environment, service),
            **schedule,
            # Its own directory: the web's gunicorn empties its directory when it starts.
            "PROMETHEUS_MULTIPROC_DIR": str(home / "metrics" / f"{service.name}-worker"),
            "WORKER_METRICS_PORT": str(worker_metrics_port(service, base_port)),
            "BEAT_IN_WORKER": "true" if service.beat and embedded else "false",
        },
    )
    if service.beat and not embedded:
        beat_environment = {**service_environment(environment, service), **schedule}
        supervisor.start(f"{service.name}-beat", [ENTRYPOINT, "beat"], env=beat_environment)


def beat_in_worker(environment: Mapping[str, str]) -> bool:
    """Whether each worker runs its service's beat (BEAT_IN_WORKER, true unless set false)."""
    return environment.get("BEAT_IN_WORKER", "true").lower() not in {"0", "false", "no", "off"}


def start_web(
    supervisor: Supervisor,
    service: Service,
    environment: dict[str, str],
    *,
    home: Path,
    base_port: int,
) -> None:
    web_environment = {
        **service_environment(environment, service),
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{service.port(base_port)}",
        "PROMETHEUS_MULTIPROC_DIR": str(home / "metrics" / service.name),
        # Its own: gunicorn's default path is one per user, which five masters would share.
        "GUNICORN_CONTROL_SOCKET": str(home / "gunicorn" / f"{service.name}.ctl"),
    }
    supervisor.start(f"{service.name}-web", [ENTRYPOINT, "web"], env=web_environment)


def start_gateway(
    supervisor: Supervisor,
    environment: dict[str, str],
    *,
    nginx: str | None,
    home: Path,
    base_port: int,
) -> bool:
    """nginx on the base port, routing by prefix like the chart's Ingress; skipped without nginx."""
    if nginx is None:
        print(
            f"nginx is not installed (make gateway installs it): no gateway on :{base_port}; "
            "use the service ports."
        )
        return False
    directory = home / "gateway"
    directory.mkdir(parents=True, exist_ok=True)
    upstreams = {
        f"{service.name.upper()}_UPSTREAM": f"127.0.0.1:{service.port(base_port)}"
        for service in SERVICES
    }
    routes = string.Template(GATEWAY_TEMPLATE.read_text()).safe_substitute(
        GATEWAY_PORT=f"127.0.0.1:{base_port}", **upstreams
    )
    (directory / "mercato.conf").write_text(routes)
    (directory / "nginx.conf").write_text(
        "daemon off;\nworker_processes 1;\npid nginx.pid;\nerror_log stderr;\n"
        "events { worker_connections 512; }\n"
        "http {\n  access_log off;\n  client_body_temp_path tmp;\n  proxy_temp_path tmp;\n"
        "  fastcgi_temp_path tmp;\n  uwsgi_temp_path tmp;\n  scgi_temp_path tmp;\n"
        "  include mercato.conf;\n}\n"
    )
    (directory / "tmp").mkdir(exist_ok=True)
    supervisor.start("gateway", [nginx, "-p", str(directory), "-c", "nginx.conf"], env=environment)
    return True


def start_monitoring(
    supervisor: Supervisor, environment: dict[str, str], *, home: Path, base_port: int
) -> str | None:
    """Debian's Prometheus, when installed, scraping every process; its URL, or None without it."""
    prometheus = prometheus_binary(environment["PATH"])
    if prometheus is None:
        print(
            f"prometheus is not installed (make prometheus installs it): no Prometheus on "
            f":{prometheus_port(base_port)}."
        )
        return None
    return start_prometheus(
        supervisor,
        environment,
        prometheus=prometheus,
        directory=home / "prometheus",
        base_port=base_port,
    )


def wait_until_ready(
    supervisor: Supervisor, *, base_port: int, timeout: float = READY_TIMEOUT_SECONDS
) -> None:
    """Until every web answers ready and every worker serves its metrics (it has started)."""
    waiting = {
        f"{service.name}-web": f"{service_url(service, base_port)}/healthz/ready"
        for service in SERVICES
    }
    for service in SERVICES:
        metrics = f"http://127.0.0.1:{worker_metrics_port(service, base_port)}/metrics"
        waiting[f"{service.name}-worker"] = metrics
    deadline = time.monotonic() + timeout
    while waiting:
        if stopped := supervisor.exited():
            raise StartupFailed(f"{', '.join(stopped)} stopped during start-up (see their logs)")
        if time.monotonic() > deadline:
            raise StartupFailed(f"not ready after {timeout:g}s: {', '.join(waiting)}")
        for name, url in list(waiting.items()):
            if probe(url) == 200:
                del waiting[name]
        time.sleep(0.5)


def supervisor_quiet(
    supervisor: Supervisor, *, quiet: float = QUIET_SECONDS, timeout: float = QUIET_WAIT_SECONDS
) -> None:
    """Until the children's console has been quiet for `quiet` seconds, at most `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() - supervisor.last_echoed < quiet and time.monotonic() < deadline:
        time.sleep(0.1)


def probe(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def loopback_webhooks(environment: Mapping[str, str]) -> bool:
    return environment.get("WEBHOOK_ALLOW_LOOPBACK_TARGETS", "").lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def gateway_answers(base_port: int) -> bool:
    return probe(f"http://127.0.0.1:{base_port}/identity/.well-known/jwks.json") == 200


def status_table(*, base_port: int, gateway: bool) -> str:
    """One row per service: where its API docs, admin, probes and metrics are, and whether it is
    ready right now."""
    rows = [("service", "state", "API", "admin", "probes and metrics", "worker metrics")]
    for service in SERVICES:
        root = service_url(service, base_port)
        public = f"http://localhost:{base_port}" if gateway else root
        ready = probe(f"{root}/healthz/ready") == 200
        rows.append(
            (
                service.name,
                "ready" if ready else "NOT READY",
                f"{public}/{service.name}/api/docs/",
                f"{public}/{service.name}/admin/",
                f"{root}/healthz/ready {root}/metrics",
                f"http://127.0.0.1:{worker_metrics_port(service, base_port)}/metrics",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def demo_data_block(demo_data: list[str]) -> str:
    return "\n".join(["", "Demo data:", *[f"  {line}" for line in demo_data], ""])


@dataclass(frozen=True)
class Summary:
    """What `make run` prints once every service is ready, and again on demand."""

    base_port: int
    gateway: bool
    prometheus: str | None
    home: Path
    loopback_webhooks: bool

    def text(self) -> str:
        lines = [
            "",
            "Mercato is ready.",
            status_table(base_port=self.base_port, gateway=self.gateway),
        ]
        if self.gateway:
            lines += [
                "",
                f"Portal: http://localhost:{self.base_port}/ (every service's health, its admin "
                "and API docs; operators sign in once, at identity)",
            ]
        if self.prometheus is not None:
            lines += [
                "",
                f"Prometheus: {self.prometheus} (every web process and worker, Mercato's alerts)",
            ]
        if self.loopback_webhooks:
            lines += [
                "",
                "Webhooks may target this machine (local development, "
                "WEBHOOK_ALLOW_LOOPBACK_TARGETS): `./manage.py notifications webhook_listen` "
                "receives them.",
            ]
        lines += [
            "",
            f"Logs: {self.home / 'logs'}   Data: {self.home}",
            f"This table again: Enter, `kill -USR1 {os.getpid()}`, or `./manage.py up --status` "
            "from another shell. Ctrl-C stops everything.",
            "",
        ]
        return "\n".join(lines)


def enter_reprints(reprint: threading.Event) -> None:
    """At a terminal, each Enter asks for the table again."""
    if not sys.stdin.isatty():
        return

    def read() -> None:
        for _ in sys.stdin:
            reprint.set()

    threading.Thread(target=read, daemon=True, name="enter-reprints").start()


def watch(supervisor: Supervisor, *, reprint: threading.Event, summary: Summary) -> NoReturn:
    """Runs until Ctrl-C, restarting any child that dies: one crashed worker, even one that
    keeps crashing, is no reason to stop the rest of the platform. Prints the table again when
    asked (Enter, SIGUSR1), from here rather than the signal handler, which could interrupt this
    thread while it holds the console."""
    while True:
        supervisor.restart_exited()
        if reprint.is_set():
            reprint.clear()
            supervisor.say(summary.text())
        time.sleep(0.5)
