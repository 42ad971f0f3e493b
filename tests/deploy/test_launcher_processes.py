"""`make run`'s supervisor restarts a child that dies, with a backoff, and keeps the rest running;
real tiny Python children stand in for the platform's processes."""

import os
import re
import signal
import sys

import psutil
import pytest

from devtools.processes import Supervisor
from tests.e2e.shop import eventually

# Prints its pid and MARK, then waits to be killed.
LONG_RUNNING = "import os, time; print(os.getpid(), os.environ['MARK'], flush=True); time.sleep(60)"
# Starts a grandchild of its own (as Celery's and gunicorn's masters start their workers).
WITH_A_WORKER = (
    "import os, subprocess, sys, time;"
    "worker = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
    "print(os.getpid(), worker.pid, flush=True); time.sleep(60)"
)
CRASHING = "import sys; sys.exit(3)"
RESTART_LINE = re.compile(r"\[launcher\] (.+) after [\d.]+s; restarting in ([\d.e-]+)s(.*)")


@pytest.fixture
def supervisor(tmp_path):
    running = Supervisor(
        log_dir=tmp_path,
        backoff_seconds=0.01,
        backoff_maximum_seconds=0.04,
        stable_after_seconds=60,
    )
    yield running
    running.stop_all(grace_seconds=2)


def start(supervisor: Supervisor, name: str, script: str, **environment: str) -> None:
    supervisor.start(name, [sys.executable, "-c", script], env={**os.environ, **environment})


def logged(supervisor: Supervisor, name: str) -> list[str]:
    log = supervisor.log_dir / f"{name}.log"
    return log.read_text().splitlines() if log.exists() else []


def printed(supervisor: Supervisor, name: str) -> list[list[str]]:
    """The lines the child `name` printed, across its restarts, each split into words."""
    return [line.split() for line in logged(supervisor, name) if not line.startswith("[launcher]")]


def restarts(supervisor: Supervisor, name: str) -> list[tuple[str, float, str]]:
    """The launcher's lines about `name`: why it stopped, the delay, and any crash-loop note."""
    found = (RESTART_LINE.fullmatch(line) for line in logged(supervisor, name))
    return [(match[1], float(match[2]), match[3]) for match in found if match]


def tended_until(supervisor: Supervisor, condition, *, what: str):
    """Calls restart_exited(), as `make run` does every half second, until `condition()` holds."""

    def check():
        supervisor.restart_exited()
        return condition()

    return eventually(check, timeout=20, every=0.01, what=what)


def test_a_child_killed_outright_is_started_again_alone_with_its_command_and_environment(
    supervisor,
):
    start(supervisor, "orders-worker", LONG_RUNNING, MARK="orders")
    start(supervisor, "catalog-worker", LONG_RUNNING, MARK="catalog")
    for name in ("orders-worker", "catalog-worker"):
        tended_until(supervisor, lambda n=name: printed(supervisor, n), what=f"{name} printed")
    [(killed_pid, _)] = printed(supervisor, "orders-worker")
    [catalog_before] = printed(supervisor, "catalog-worker")

    os.kill(int(killed_pid), signal.SIGKILL)
    tended_until(
        supervisor,
        lambda: len(printed(supervisor, "orders-worker")) == 2,
        what="orders-worker started again",
    )

    [(_, first_mark), (restarted_pid, second_mark)] = printed(supervisor, "orders-worker")
    assert restarted_pid != killed_pid
    assert first_mark == second_mark == "orders"
    assert psutil.Process(int(restarted_pid)).is_running()
    assert restarts(supervisor, "orders-worker") == [("killed by SIGKILL", 0.01, "")]
    assert printed(supervisor, "catalog-worker") == [catalog_before]
    assert restarts(supervisor, "catalog-worker") == []


def test_a_crash_loop_is_restarted_with_a_doubling_backoff_up_to_its_maximum_and_reported(
    supervisor,
):
    start(supervisor, "payments-beat", CRASHING)
    start(supervisor, "payments-web", LONG_RUNNING, MARK="web")
    tended_until(supervisor, lambda: printed(supervisor, "payments-web"), what="web printed")
    [web_before] = printed(supervisor, "payments-web")

    tended_until(
        supervisor,
        lambda: len(restarts(supervisor, "payments-beat")) >= 5,
        what="five restarts of the crashing child",
    )

    first_five = restarts(supervisor, "payments-beat")[:5]
    assert [reason for reason, _, _ in first_five] == ["exited with code 3"] * 5
    assert [delay for _, delay, _ in first_five] == [0.01, 0.02, 0.04, 0.04, 0.04]
    assert first_five[0][2] == ""
    assert first_five[4][2] == " (crash loop: 5 deaths in a row, each within 60s of its start)"
    assert printed(supervisor, "payments-web") == [web_before]
    assert supervisor.children["payments-web"].process.poll() is None


def test_a_child_that_had_run_long_enough_is_restarted_after_the_first_backoff_again(tmp_path):
    supervisor = Supervisor(
        log_dir=tmp_path, backoff_seconds=0.01, backoff_maximum_seconds=0.04, stable_after_seconds=0
    )
    start(supervisor, "identity-worker", CRASHING)
    try:
        tended_until(
            supervisor,
            lambda: len(restarts(supervisor, "identity-worker")) >= 3,
            what="three restarts",
        )
    finally:
        supervisor.stop_all(grace_seconds=2)

    assert [delay for _, delay, _ in restarts(supervisor, "identity-worker")[:3]] == [0.01] * 3


def test_the_processes_a_dead_child_started_are_ended_before_it_starts_again(supervisor):
    start(supervisor, "notifications-worker", WITH_A_WORKER)
    tended_until(
        supervisor, lambda: printed(supervisor, "notifications-worker"), what="the child printed"
    )
    [(main_pid, worker_pid)] = printed(supervisor, "notifications-worker")
    worker = psutil.Process(int(worker_pid))

    os.kill(int(main_pid), signal.SIGKILL)
    tended_until(
        supervisor,
        lambda: len(printed(supervisor, "notifications-worker")) == 2,
        what="the child started again",
    )

    assert not worker.is_running() or worker.status() == psutil.STATUS_ZOMBIE
    [_, (_, new_worker_pid)] = printed(supervisor, "notifications-worker")
    assert psutil.Process(int(new_worker_pid)).is_running()


def test_stop_all_ends_running_children_and_those_awaiting_a_restart_for_good(tmp_path):
    supervisor = Supervisor(log_dir=tmp_path, backoff_seconds=30)
    start(supervisor, "catalog-web", LONG_RUNNING, MARK="web")
    start(supervisor, "catalog-beat", CRASHING)
    tended_until(
        supervisor, lambda: restarts(supervisor, "catalog-beat"), what="the restart scheduled"
    )
    web = psutil.Process(supervisor.children["catalog-web"].process.pid)

    supervisor.stop_all(grace_seconds=2)
    supervisor.restart_exited()

    assert supervisor.children == {}
    assert not web.is_running()


def test_without_echo_a_child_writes_its_log_itself_and_prints_nothing_here(tmp_path, capfd):
    quiet = Supervisor(log_dir=tmp_path, echo=False)

    returncode = quiet.run("orders-migrate", [sys.executable, "-c", "print('migrated')"], env={})

    assert returncode == 0
    assert logged(quiet, "orders-migrate") == ["migrated"]
    assert "migrated" not in capfd.readouterr().out


def test_a_quiet_step_returns_what_it_printed_logs_everything_and_echoes_nothing(tmp_path, capfd):
    """The demo data: what it prints comes back for the summary's block, never interleaved."""
    supervisor = Supervisor(log_dir=tmp_path)
    script = "import sys; print('ada@mercato.local'); print('a log line', file=sys.stderr)"

    returncode, printed = supervisor.run_quietly(
        "identity-demo-data", [sys.executable, "-c", script], env={}
    )

    assert (returncode, printed) == (0, "ada@mercato.local\n")
    assert sorted(logged(supervisor, "identity-demo-data")) == ["a log line", "ada@mercato.local"]
    assert capfd.readouterr().out == ""
    assert supervisor.children == {}
