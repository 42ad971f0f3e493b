"""Prometheus beside `make run`'s platform: Debian's package, scraping every web and worker
process with the labels the chart and compose set, and loading the chart's alert rules."""

import json
import shutil
from pathlib import Path

from devtools import ROOT
from devtools.processes import Supervisor
from services import SERVICES, Service

ALERT_RULES = ROOT / "deploy" / "helm" / "mercato" / "files" / "alerts.yaml"
# Its own port beside the platform's, never Debian's :9090, where the package may start its own.
PORT_OFFSET = 90
# docs/observability.md: a service's worker serves its metrics on the service's port + 100.
WORKER_METRICS_PORT_OFFSET = 100
SCRAPE_INTERVAL_SECONDS = 5


def prometheus_binary(path: str) -> str | None:
    return shutil.which("prometheus", path=f"{path}:/usr/bin")


def prometheus_port(base_port: int) -> int:
    return base_port + PORT_OFFSET


def worker_metrics_port(service: Service, base_port: int) -> int:
    return service.port(base_port) + WORKER_METRICS_PORT_OFFSET


def scrape_config(*, base_port: int, interval_seconds: int = SCRAPE_INTERVAL_SECONDS) -> dict:
    """Every web process and worker of the platform on `base_port`, labelled `service` and `role`
    as the chart's monitors and compose label them, with the alert rules loaded."""
    targets = []
    for service in SERVICES:
        targets += [
            {
                "targets": [f"127.0.0.1:{service.port(base_port)}"],
                "labels": {"service": service.name, "role": "web"},
            },
            {
                "targets": [f"127.0.0.1:{worker_metrics_port(service, base_port)}"],
                "labels": {"service": service.name, "role": "worker"},
            },
        ]
    return {
        "global": {
            "scrape_interval": f"{interval_seconds}s",
            # A scrape may not outlast its interval.
            "scrape_timeout": f"{min(interval_seconds, 10)}s",
            "evaluation_interval": f"{interval_seconds}s",
        },
        "rule_files": [str(ALERT_RULES)],
        "scrape_configs": [{"job_name": "mercato", "static_configs": targets}],
    }


def start_prometheus(
    supervisor: Supervisor,
    environment: dict[str, str],
    *,
    prometheus: str,
    directory: Path,
    base_port: int,
    port: int | None = None,
    interval_seconds: int = SCRAPE_INTERVAL_SECONDS,
) -> str:
    """Prometheus for the platform on `base_port`, its configuration and data in `directory`,
    listening on `port` (the platform's Prometheus port unless given); returns its URL."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "prometheus.yml"
    # JSON is YAML, and needs nothing the local extra may lack.
    config.write_text(
        json.dumps(scrape_config(base_port=base_port, interval_seconds=interval_seconds), indent=2)
    )
    address = f"127.0.0.1:{port or prometheus_port(base_port)}"
    supervisor.start(
        "prometheus",
        [
            prometheus,
            f"--config.file={config}",
            f"--storage.tsdb.path={directory / 'data'}",
            "--storage.tsdb.retention.time=7d",
            f"--web.listen-address={address}",
            # Its start-up chatter would fill `make run`'s console; problems still show.
            "--log.level=warn",
        ],
        env=environment,
    )
    return f"http://{address}"
