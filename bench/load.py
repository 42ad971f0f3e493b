"""HTTP load from wrk on 127.0.0.1: closed loop, bounded in time, each run read from the one line
bench/wrk_report.lua prints."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
CONNECTIONS = 8
REPORT_PREFIX = "BENCH "


def wrk_missing() -> str | None:
    if shutil.which("wrk") is None:
        return "wrk is not installed (make bench installs Debian's wrk)"
    return None


def wrk(url: str, *, seconds: float, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One wrk run of `seconds` against `url`: throughput, latency percentiles and errors."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s"]
    command += ["--timeout", "5s", "-s", str(WRK_SCRIPT)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    finished = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    return wrk_report(finished.stdout)


def wrk_report(output: str) -> dict[str, Any]:
    """The figures of wrk's output: requests/s, p50/p95/p99 in ms, and errors (connection
    errors, timeouts and answers other than 2xx or 3xx)."""
    line = next(line for line in output.splitlines() if line.startswith(REPORT_PREFIX))
    raw = json.loads(line.removeprefix(REPORT_PREFIX))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "seconds": seconds,
        "throughput": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": sum(raw[kind] for kind in ("connect", "read", "write", "status", "timeout")),
    }


def rounds_combined(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One contestant's rounds as one figure: throughput over all requests and seconds, each
    percentile the mean of the rounds' (wrk gives percentiles, not the latencies themselves)."""
    seconds = sum(run["seconds"] for run in rounds)
    combined: dict[str, Any] = {
        "requests": sum(run["requests"] for run in rounds),
        "seconds": seconds,
        "throughput": sum(run["requests"] for run in rounds) / seconds if seconds else 0.0,
        "errors": sum(run["errors"] for run in rounds),
        "rounds": rounds,
    }
    for key in ("p50_ms", "p95_ms", "p99_ms"):
        combined[key] = sum(run[key] for run in rounds) / len(rounds)
    return combined
