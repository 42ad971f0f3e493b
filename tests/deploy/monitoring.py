"""The shipped dashboards and alert rules read as the PromQL they send, and Debian's Prometheus
tools, installed where the machine allows it (tests/deploy and tests/e2e share them)."""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
import yaml

from devtools.prometheus import ALERT_RULES
from tests.deploy.conftest import CHART

DASHBOARDS = CHART / "files" / "dashboards"
ALERT_TESTS = Path(__file__).with_name("alerts.test.yaml")
# Where Debian's package puts them; a shell run by a non-login sudo may not have it on PATH.
DEBIAN_BIN = "/usr/bin"


@dataclass(frozen=True)
class Query:
    """One PromQL expression and where it is used, as a failing test names it."""

    where: str
    expr: str


def dashboards() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text()) for path in sorted(DASHBOARDS.glob("*.json"))}


def panels(dashboard: dict) -> list[dict]:
    """Every panel that draws something, those inside collapsed rows included."""
    found = []
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            found += panel.get("panels", [])
        else:
            found.append(panel)
    return found


def as_grafana_sends(expr: str, *, rate_interval: str) -> str:
    """`expr` with Grafana's variables replaced as Grafana replaces them: `$service` by the
    regular expression of "All" and `$__rate_interval` by a range."""
    return expr.replace("$__rate_interval", rate_interval).replace("$service", ".*")


def panel_queries(*, rate_interval: str = "1m") -> list[Query]:
    return [
        Query(
            f"{name} / {panel['title']} / {target['refId']}",
            as_grafana_sends(target["expr"], rate_interval=rate_interval),
        )
        for name, dashboard in dashboards().items()
        for panel in panels(dashboard)
        for target in panel["targets"]
    ]


def alert_rules() -> list[dict]:
    groups = yaml.safe_load(ALERT_RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def alert_queries() -> list[Query]:
    return [Query(f"alert {rule['alert']}", rule["expr"]) for rule in alert_rules()]


def prometheus_tool(name: str) -> str:
    """`prometheus` or `promtool`: found, else installed with Debian's package where this runs as
    root with apt-get (as `make prometheus` does), else the test is skipped saying why, except
    under CI, where it fails."""
    path = f"{os.environ.get('PATH', '')}:{DEBIAN_BIN}"
    if (found := shutil.which(name, path=path)) is not None:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "prometheus"]
        if subprocess.run(install, env=environment, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=environment, capture_output=True)
            subprocess.run(install, env=environment, capture_output=True)
        if (found := shutil.which(name, path=path)) is not None:
            return found
    missing(f"{name} is not installed and cannot be installed here (make prometheus installs it)")


def missing(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)
