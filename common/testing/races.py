"""Staged races: one transaction holds its write uncommitted until another waits on its lock."""

import threading
import time
from collections.abc import Callable

from django.db import connection

LOCK_WAIT_DEADLINE_SECONDS = 10


def sessions_waiting_on_a_lock() -> int:
    """Read from pg_locks: pg_stat_activity would show this transaction a snapshot taken once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        count: int = cursor.fetchone()[0]
        return count


def start_late(work: Callable[[], None]) -> threading.Thread:
    """Runs `work` on its own connection, in a thread, and returns once it waits on a lock the
    caller's open transaction holds; the caller commits or rolls back, then joins the thread."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    late = threading.Thread(target=run)
    late.start()
    deadline = time.monotonic() + LOCK_WAIT_DEADLINE_SECONDS
    while sessions_waiting_on_a_lock() == 0:
        assert late.is_alive(), "the late work finished without waiting on a lock"
        assert time.monotonic() < deadline, "the late work never waited on a lock"
        time.sleep(0.05)
    return late
