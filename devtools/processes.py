"""Starts, watches and stops the platform's child processes, teeing their output to log files."""

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
class Supervisor:
    log_dir: Path
    running: dict[str, subprocess.Popen] = field(default_factory=dict)
    _tees: dict[str, threading.Thread] = field(default_factory=dict)
    _console_lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, name: str, command: list[str], *, env: dict[str, str]) -> subprocess.Popen:
        """Each child leads its own process group, so stopping it reaches its workers too."""
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.running[name] = process
        self._tees[name] = threading.Thread(target=self._tee, args=(name, process), daemon=True)
        self._tees[name].start()
        return process

    def run(self, name: str, command: list[str], *, env: dict[str, str]) -> int:
        """Runs a one-off step to its end, its output all logged; its exit stops nothing else."""
        returncode = self.start(name, command, env=env).wait()
        self._tees.pop(name).join()
        del self.running[name]
        return returncode

    def _tee(self, name: str, process: subprocess.Popen[bytes]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / f"{name}.log", "ab") as log:
            for line in process.stdout or ():
                log.write(line)
                log.flush()
                with self._console_lock:
                    sys.stdout.write(f"{name:>22} | {line.decode(errors='replace')}")
                    sys.stdout.flush()

    def exited(self) -> dict[str, int]:
        """Children that stopped by themselves, with their exit codes."""
        return {
            name: process.returncode
            for name, process in self.running.items()
            if process.poll() is not None
        }

    def stop_all(self, *, grace_seconds: float = 15.0) -> None:
        """SIGTERM to every process group, then SIGKILL to what is left after the grace period."""
        for process in self.running.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for process in self.running.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        # The group may outlive its leader (a worker finishing a request): make sure it is gone.
        for process in self.running.values():
            _signal_group(process, signal.SIGKILL)
        self.running.clear()


def _signal_group(process: subprocess.Popen, signal_number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal_number)
