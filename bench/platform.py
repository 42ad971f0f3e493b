"""What the benchmark runs against: Mercato with production settings started as the image starts
it (docker/entrypoint, gunicorn's and Celery's settings untouched), the baselines under the same
gunicorn configuration, and the processes each role runs as."""

import os
import sys
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import psutil

from common.settings.derived import local_development_secret
from devtools import ROOT, up
from devtools.embedded import use_embedded_servers
from devtools.processes import Supervisor
from services import SERVICES
from tests.e2e.conftest import Platform

BASE_PORT = 17000
FLOOR_PORT = BASE_PORT + 10
NAIVE_PORT = BASE_PORT + 11
MAKE_RUN_BASE_PORT = BASE_PORT + 100
REDIS_DATABASE = 11
DATABASE_PREFIX = "bench"
GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "--config",
    str(ROOT / "docker" / "gunicorn.conf.py"),
    "bench.baselines.wsgi",
]
# Raised so that the load is served rather than refused: the throttles still run on every
# request, they just never say no.
THROTTLE_RATES = "anon=100000000/minute,user=100000000/minute,sign_in=1000/minute"
# A loaded machine (the one the issue was measured on) boots 30 Python processes slowly.
READY_TIMEOUT_SECONDS = 300


def servers() -> dict[str, str]:
    """DATABASE_URL and REDIS_URL for the benchmark's own databases: on the machine's servers
    when the environment names them, on embedded ones otherwise."""
    use_embedded_servers()
    database = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    redis = urllib.parse.urlsplit(os.environ["REDIS_URL"])
    if redis.scheme == "unix":
        redis = redis._replace(query=f"db={REDIS_DATABASE}")
    else:
        redis = redis._replace(path=f"/{REDIS_DATABASE}")
    return {
        "DATABASE_URL": database._replace(path=f"/{DATABASE_PREFIX}_{{service}}").geturl(),
        "REDIS_URL": redis.geturl(),
    }


def production_environment(home: Path, *, mail_port: int) -> dict[str, str]:
    """What compose gives every container (DEBUG off, JSON logs, secrets from the environment),
    with plain HTTP on loopback; worker and web counts are left to the image's defaults."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("WEB_CONCURRENCY", "CELERY_CONCURRENCY", "GUNICORN_CMD_ARGS", "DEBUG")
    }
    environment.update(servers())
    environment.update(
        {f"{service.name.upper()}_URL": up.service_url(service, BASE_PORT) for service in SERVICES}
    )
    environment.update(
        DEBUG="false",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        SECRET_KEY="bench-only-never-use-this-key",
        HTTPS_ONLY="false",
        # The image's shape: beat in a process of its own (make run's embeds it in the worker).
        BEAT_IN_WORKER="false",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        EMAIL_URL=f"smtp://127.0.0.1:{mail_port}",
        THROTTLE_RATES=THROTTLE_RATES,
        PYTHONUNBUFFERED="1",
        MERCATO_HOME=str(home),
        MERCATO_BASE_PORT=str(BASE_PORT),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return environment


def start_mercato(supervisor: Supervisor, environment: dict[str, str]) -> Platform:
    """Migrates, loads the demo data and starts every service's web, worker and beat; returns
    once all are ready. Each service signs in to identity with the secret the demo data gives
    its account."""
    home = Path(environment["MERCATO_HOME"])
    up.prepare_databases(supervisor, environment, home=home)
    up.load_demo_data(supervisor, environment)
    for service in SERVICES:
        secret = {"SERVICE_CLIENT_SECRET": local_development_secret(service.name)}
        up.start_service(
            supervisor, service, {**environment, **secret}, home=home, base_port=BASE_PORT
        )
    up.wait_until_ready(supervisor, base_port=BASE_PORT, timeout=READY_TIMEOUT_SECONDS)
    return Platform(home=home, environment=environment, base_port=BASE_PORT)


def start_baselines(
    supervisor: Supervisor, environment: dict[str, str], *, floor_pages: Path, verifying_key: str
) -> None:
    """`floor` and `naive` under Mercato's gunicorn configuration, and raw Celery's worker
    started as docker/entrypoint starts Mercato's. They are never traced: tracing, when the
    environment turns it on, is Mercato's overhead to measure, not theirs."""
    environment = {
        name: value for name, value in environment.items() if not name.startswith("OTEL_")
    }
    supervisor.start(
        "floor-web",
        GUNICORN,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "bench.baselines.floor",
            "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{FLOOR_PORT}",
            "BENCH_FLOOR_PAGES": str(floor_pages),
        },
    )
    supervisor.start(
        "naive-web",
        GUNICORN,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "bench.baselines.naive.settings",
            "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{NAIVE_PORT}",
            "BENCH_NAIVE_VERIFYING_KEY": verifying_key,
        },
    )
    supervisor.start(
        "raw-celery-worker",
        [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "bench.baselines.raw_celery",
            "worker",
            "--queues",
            "bench.raw-celery",
            "--hostname",
            "raw-celery@%h",
            # docker/entrypoint's default, as Mercato's workers get it.
            "--concurrency",
            environment.get("CELERY_CONCURRENCY", "2"),
            "--loglevel",
            "WARNING",
        ],
        env=environment,
    )
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    for port in (FLOOR_PORT, NAIVE_PORT):
        while up.probe(f"http://127.0.0.1:{port}/products/") != 200:
            if stopped := supervisor.exited():
                raise RuntimeError(f"{', '.join(stopped)} stopped (see {supervisor.log_dir})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"no baseline answering on :{port} (see {supervisor.log_dir})")
            time.sleep(0.5)


def role_of(process: psutil.Process) -> str | None:
    """`<service>-web|worker|beat` for a process of the platform (a gunicorn or Celery child
    is forked with its master's command line); None for anything else."""
    try:
        service = process.environ().get("MERCATO_SERVICE")
        command = process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None
    if not service:
        return None
    for word, role in (("gunicorn", "web"), ("worker", "worker"), ("beat", "beat")):
        if any(word in part for part in command):
            return f"{service}-{role}"
    return None


def processes_by_role(platform: Platform) -> dict[str, list[psutil.Process]]:
    found: dict[str, list[psutil.Process]] = defaultdict(list)
    for process in platform.leftover_processes():
        if role := role_of(process):
            found[role].append(process)
    return dict(sorted(found.items()))


def cpu_seconds(processes: dict[str, list[psutil.Process]]) -> dict[str, float]:
    """CPU time each role has used so far, user and system, its reaped children included (a
    gunicorn worker recycled after max_requests counts in its master's)."""
    used = {}
    for role, members in processes.items():
        total = 0.0
        for process in members:
            try:
                times = process.cpu_times()
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            total += times.user + times.system + times.children_user + times.children_system
        used[role] = total
    return used


def resident_mebibytes(processes: dict[str, list[psutil.Process]]) -> dict[str, list[float]]:
    """Each role's processes' resident memory, largest first."""
    resident = {}
    for role, members in processes.items():
        sizes = []
        for process in members:
            try:
                sizes.append(process.memory_info().rss / 2**20)
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
        resident[role] = sorted(sizes, reverse=True)
    return resident
