"""Starts, watches, restarts and stops the platform's child processes, teeing their output to
log files."""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_PDEATHSIG = 1
# Resolved before any fork: looking a symbol up in a forked child of a threaded parent can hang.
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def _die_with_parent() -> None:
    """Runs in the child: the kernel sends it SIGTERM if the launcher itself is killed."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    """A long-running child, what it was started with, and its restarts."""

    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen
    started_at: float
    # Deaths in a row, each soon after its start: the backoff doubles with each.
    quick_deaths: int = 0
    restart_at: float | None = None


@dataclass
class Supervisor:
    """Restarts a child that dies, as Kubernetes restarts a container: after a backoff that starts
    at `backoff_seconds` and doubles with every death within `stable_after_seconds` of a start
    (a crash loop), up to `backoff_maximum_seconds`. With `echo` off a child writes straight to
    its log file and nothing passes through this process (the benchmark's platform logs every
    request, and this process is not what it measures)."""

    log_dir: Path
    echo: bool = True
    backoff_seconds: float = 1.0
    backoff_maximum_seconds: float = 30.0
    stable_after_seconds: float = 60.0
    children: dict[str, Child] = field(default_factory=dict)
    # When a child last wrote to the console (monotonic): start-up waits for it to fall quiet.
    last_echoed: float = 0.0
    _tees: dict[str, threading.Thread] = field(default_factory=dict)
    _console_lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, name: str, command: list[str], *, env: dict[str, str]) -> subprocess.Popen:
        """Each child leads its own process group, so stopping it reaches its workers too."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.PIPE if self.echo else log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        previous = self.children.get(name)
        self.children[name] = Child(
            command=command,
            env=env,
            process=process,
            started_at=time.monotonic(),
            quick_deaths=previous.quick_deaths if previous else 0,
        )
        if self.echo:
            self._tees[name] = threading.Thread(target=self._tee, args=(name, process), daemon=True)
            self._tees[name].start()
        return process

    def run(self, name: str, command: list[str], *, env: dict[str, str]) -> int:
        """Runs a one-off step to its end, its output all logged; its exit stops nothing else."""
        returncode = self.start(name, command, env=env).wait()
        if tee := self._tees.pop(name, None):
            tee.join()
        del self.children[name]
        return returncode

    def run_quietly(self, name: str, command: list[str], *, env: dict[str, str]) -> tuple[int, str]:
        """Runs a one-off step to its end without echoing it: its log lines (stderr) and what it
        printed (stdout) go to its log file, and what it printed is returned, for the caller to
        show as one block rather than interleaved with the other children's lines."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.PIPE,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            self.children[name] = Child(
                command=command, env=env, process=process, started_at=time.monotonic()
            )
            printed, _ = process.communicate()
            log.write(printed)
        # Ctrl-C meanwhile: stop_all has already let go of it.
        self.children.pop(name, None)
        return process.returncode, printed.decode(errors="replace")

    def say(self, text: str) -> None:
        """Writes a block of the launcher's own to the console, never cut by a child's line."""
        with self._console_lock:
            sys.stdout.write(text)
            sys.stdout.flush()

    def _tee(self, name: str, process: subprocess.Popen[bytes]) -> None:
        with open(self.log_dir / f"{name}.log", "ab") as log:
            for line in process.stdout or ():
                log.write(line)
                log.flush()
                self._say(name, line.decode(errors="replace"))

    def _say(self, name: str, line: str) -> None:
        with self._console_lock:
            sys.stdout.write(f"{name:>22} | {line}")
            sys.stdout.flush()
            self.last_echoed = time.monotonic()

    def exited(self) -> dict[str, int]:
        """Children that stopped by themselves, with their exit codes."""
        return {
            name: child.process.returncode
            for name, child in self.children.items()
            if child.process.poll() is not None
        }

    def restart_exited(self) -> None:
        """Schedules a restart of each child that died since the last call, saying so, and starts
        those whose backoff has passed; call it every half second or so."""
        now = time.monotonic()
        for name, child in list(self.children.items()):
            if child.restart_at is None:
                if child.process.poll() is not None:
                    self._schedule_restart(name, child, now=now)
            elif now >= child.restart_at:
                self.start(name, child.command, env=child.env)

    def _schedule_restart(self, name: str, child: Child, *, now: float) -> None:
        # A killed Celery or gunicorn master leaves its workers behind; like a container's, the
        # whole group goes before the child starts again, so no orphan holds a task or a port.
        _signal_group(child.process, signal.SIGKILL)
        lived = now - child.started_at
        child.quick_deaths = 0 if lived >= self.stable_after_seconds else child.quick_deaths + 1
        delay = min(
            self.backoff_seconds * 2 ** max(child.quick_deaths - 1, 0),
            self.backoff_maximum_seconds,
        )
        child.restart_at = now + delay
        crash_loop = (
            f" (crash loop: {child.quick_deaths} deaths in a row, each within "
            f"{self.stable_after_seconds:g}s of its start)"
            if child.quick_deaths > 1
            else ""
        )
        line = (
            f"{exit_reason(child.process.returncode)} after {lived:.1f}s; "
            f"restarting in {delay:g}s{crash_loop}\n"
        )
        # In the child's own log too, where whoever reads why it restarted will look.
        with open(self.log_dir / f"{name}.log", "a") as log:
            log.write(f"[launcher] {line}")
        self._say(name, line)

    def stop_all(self, *, grace_seconds: float = 15.0) -> None:
        """SIGTERM to every process group, then SIGKILL to what is left after the grace period."""
        processes = [child.process for child in self.children.values()]
        for process in processes:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for process in processes:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        # The group may outlive its leader (a worker finishing a request): make sure it is gone.
        for process in processes:
            _signal_group(process, signal.SIGKILL)
        self.children.clear()


def exit_reason(returncode: int) -> str:
    if returncode >= 0:
        return f"exited with code {returncode}"
    try:
        return f"killed by {signal.Signals(-returncode).name}"
    except ValueError:
        return f"killed by signal {-returncode}"


def _signal_group(process: subprocess.Popen, signal_number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal_number)
