"""The dashboards and alert rules the chart ships, and the three Prometheus set-ups that read
them (the chart's monitors, compose, `make run`): promtool checks and unit-tests the rules and
parses every panel's query, and every target is labelled `service` and `role` alike."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from devtools.prometheus import ALERT_RULES, scrape_config
from services import SERVICE_NAMES, SERVICES
from tests.deploy.conftest import ROOT
from tests.deploy.monitoring import (
    ALERT_TESTS,
    DASHBOARDS,
    alert_rules,
    dashboards,
    panel_queries,
    panels,
    prometheus_tool,
)
from tests.deploy.test_chart_rules import FULLNAME, by_kind

OPERATIONS = ROOT / "docs" / "operations.md"
RUNBOOK_URL = "https://github.com/mercato/mercato/blob/main/docs/operations.md#"
RUNBOOK_PARTS = ("**What it means.**", "**How to look.**", "**What to do.**")
COMPOSE = ROOT / "docker" / "compose.yaml"
COMPOSE_PROMETHEUS = ROOT / "docker" / "prometheus" / "prometheus.yml"
GRAFANA_PROVIDERS = ROOT / "docker" / "grafana" / "provisioning" / "dashboards" / "mercato.yaml"
SERVICE_FILTER = re.compile(r'service(=~"\$service"|="[a-z]+")')


@pytest.fixture(scope="module")
def promtool() -> str:
    return prometheus_tool("promtool")


def promtool_run(promtool: str, *arguments: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [promtool, *map(str, arguments)], capture_output=True, text=True, check=False, timeout=60
    )


def test_promtool_accepts_the_alert_rules(promtool):
    checked = promtool_run(promtool, "check", "rules", ALERT_RULES)

    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_alerts_unit_tests_pass_and_cover_outbox_age_and_dead_letters(promtool):
    tested = promtool_run(promtool, "test", "rules", ALERT_TESTS)

    assert tested.returncode == 0, tested.stdout + tested.stderr
    cases = yaml.safe_load(ALERT_TESTS.read_text())["tests"]
    tested_alerts = {check["alertname"] for case in cases for check in case["alert_rule_test"]}
    assert {"MercatoOutboxStuck", "MercatoDeadLettersGrowing"} <= tested_alerts


def test_promtool_parses_every_panel_query(promtool, tmp_path):
    """promtool has no query checker, but it parses each rule's expression: every query, with
    Grafana's variables filled in, becomes a recording rule of a group named after its panel."""
    queries = panel_queries()
    groups = [
        {"name": query.where, "rules": [{"record": f"panel:query_{number}", "expr": query.expr}]}
        for number, query in enumerate(queries)
    ]
    rules = tmp_path / "panels.yaml"
    rules.write_text(yaml.safe_dump({"groups": groups}))

    checked = promtool_run(promtool, "check", "rules", rules)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(queries)} rules found" in checked.stdout


def test_the_dashboards_cover_the_platform_saga_celery_events_and_notifications():
    shipped = dashboards()

    assert set(shipped) == {
        "mercato-overview.json",
        "mercato-checkout.json",
        "mercato-celery.json",
        "mercato-events.json",
        "mercato-notifications.json",
    }
    uids = [dashboard["uid"] for dashboard in shipped.values()]
    assert len(set(uids)) == len(uids)


@pytest.mark.parametrize("name", sorted(path.name for path in DASHBOARDS.glob("*.json")))
def test_every_panel_reads_the_chosen_data_source_filtered_by_service(name):
    dashboard = dashboards()[name]
    variables = {variable["name"]: variable for variable in dashboard["templating"]["list"]}

    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert variables["service"]["query"]["query"] == "label_values(up, service)"
    assert variables["service"]["includeAll"] is True
    for panel in panels(dashboard):
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}", panel["title"]
            assert SERVICE_FILTER.search(target["expr"]), (panel["title"], target["expr"])


def runbook_sections() -> dict[str, str]:
    """docs/operations.md's third-level sections by the anchor GitHub gives each heading."""
    sections: dict[str, str] = {}
    anchor = None
    for line in OPERATIONS.read_text().splitlines():
        if line.startswith("### "):
            anchor = re.sub(r"[^a-z0-9 -]", "", line[4:].strip().lower()).replace(" ", "-")
            sections[anchor] = ""
        elif line.startswith("#"):
            anchor = None
        elif anchor is not None:
            sections[anchor] += line + "\n"
    return sections


def test_every_alert_has_a_severity_a_summary_and_a_runbook_section():
    sections = runbook_sections()

    for rule in alert_rules():
        name = rule["alert"]
        assert rule["labels"]["severity"] in {"critical", "warning"}, name
        assert rule["annotations"]["summary"], name
        url = rule["annotations"]["runbook_url"]
        assert url == RUNBOOK_URL + name.lower(), name
        section = sections.get(name.lower(), "")
        assert all(part in section for part in RUNBOOK_PARTS), f"{name}: {section!r}"


def scrape_targets(config: dict) -> dict[tuple[str, str], list[str]]:
    """(service, role) -> the targets of one static scrape config."""
    [job] = config["scrape_configs"]
    return {
        (group["labels"]["service"], group["labels"]["role"]): group["targets"]
        for group in job["static_configs"]
    }


def test_make_run_scrapes_every_web_and_worker_port_and_loads_the_alerts(promtool, tmp_path):
    config = scrape_config(base_port=18000, interval_seconds=1)
    path = tmp_path / "prometheus.yml"
    path.write_text(json.dumps(config))

    checked = promtool_run(promtool, "check", "config", path)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    expected = {}
    for service in SERVICES:
        web = service.port(18000)
        expected[(service.name, "web")] = [f"127.0.0.1:{web}"]
        expected[(service.name, "worker")] = [f"127.0.0.1:{web + 100}"]
    assert scrape_targets(config) == expected
    assert config["rule_files"] == [str(ALERT_RULES)]


def test_compose_scrapes_every_web_and_worker_with_the_charts_alerts(promtool, tmp_path):
    compose = yaml.safe_load(COMPOSE.read_text())["services"]
    config = yaml.safe_load(COMPOSE_PROMETHEUS.read_text())
    [rules_in_container] = config["rule_files"]
    # Checked here with the rules file where it is in the repository.
    path = tmp_path / "prometheus.yml"
    path.write_text(yaml.safe_dump({**config, "rule_files": [str(ALERT_RULES)]}))

    checked = promtool_run(promtool, "check", "config", path)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (
        f"../deploy/helm/mercato/files/alerts.yaml:{rules_in_container}:ro"
        in (compose["prometheus"]["volumes"])
    )
    expected = {}
    for service in SERVICE_NAMES:
        expected[(service, "web")] = [f"{service}:8000"]
        expected[(service, "worker")] = [f"{service}-worker:9100"]
        worker = compose[f"{service}-worker"]["environment"]
        assert worker["WORKER_METRICS_PORT"] == "9100", service
        assert worker["PROMETHEUS_MULTIPROC_DIR"], service
    assert scrape_targets(config) == expected


def test_compose_grafana_provisions_the_charts_dashboards():
    grafana = yaml.safe_load(COMPOSE.read_text())["services"]["grafana"]
    [provider] = yaml.safe_load(GRAFANA_PROVIDERS.read_text())["providers"]

    mount = f"../deploy/helm/mercato/files/dashboards:{provider['options']['path']}:ro"
    assert mount in grafana["volumes"]
    assert (COMPOSE.parent / mount.split(":")[0]).resolve() == DASHBOARDS.resolve()
    assert "./grafana/provisioning:/etc/grafana/provisioning:ro" in grafana["volumes"]


@pytest.fixture(scope="module")
def monitored(chart) -> list[dict]:
    return chart.render(
        "--set=metrics.serviceMonitor.enabled=true",
        "--set=metrics.prometheusRule.enabled=true",
        "--set=metrics.grafanaDashboards.enabled=true",
    )


def relabelled(endpoint: dict, *, meta_label: str) -> dict[str, str]:
    """What the endpoint's relabelings set `service` and `role` from."""
    rules = {rule["targetLabel"]: rule for rule in endpoint["relabelings"]}
    assert rules["service"]["sourceLabels"] == [meta_label]
    return {"service": meta_label, "role": rules["role"]["replacement"]}


def test_the_monitors_label_web_and_worker_targets_service_and_role(monitored):
    [service_monitor] = by_kind(monitored, "ServiceMonitor").values()
    [pod_monitor] = by_kind(monitored, "PodMonitor").values()

    [web] = service_monitor["spec"]["endpoints"]
    [worker] = pod_monitor["spec"]["podMetricsEndpoints"]
    assert (web["port"], web["path"]) == ("http", "/metrics")
    assert (worker["port"], worker["path"]) == ("metrics", "/metrics")
    assert relabelled(web, meta_label="__meta_kubernetes_service_label_mercato_io_service") == {
        "service": "__meta_kubernetes_service_label_mercato_io_service",
        "role": "web",
    }
    assert relabelled(worker, meta_label="__meta_kubernetes_pod_label_mercato_io_service") == {
        "service": "__meta_kubernetes_pod_label_mercato_io_service",
        "role": "worker",
    }
    selector = pod_monitor["spec"]["selector"]["matchLabels"]
    assert selector["app.kubernetes.io/component"] == "worker"
    for name in SERVICE_NAMES:
        [container] = by_kind(monitored, "Deployment")[f"{FULLNAME}-{name}-worker"]["spec"][
            "template"
        ]["spec"]["containers"]
        assert {"name": "metrics", "containerPort": 9100, "protocol": "TCP"} in container["ports"]
        assert {"name": "WORKER_METRICS_PORT", "value": "9100"} in container["env"]
        labels = by_kind(monitored, "Deployment")[f"{FULLNAME}-{name}-worker"]["spec"]["template"][
            "metadata"
        ]["labels"]
        assert labels["mercato.io/service"] == name


def test_the_prometheus_rule_is_the_rules_file_and_promtool_accepts_it(
    monitored, promtool, tmp_path
):
    [rule] = by_kind(monitored, "PrometheusRule").values()
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(yaml.safe_dump({"groups": rule["spec"]["groups"]}))

    checked = promtool_run(promtool, "check", "rules", rendered)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert rule["spec"]["groups"] == yaml.safe_load(ALERT_RULES.read_text())["groups"]


def test_the_dashboards_config_map_holds_every_dashboard_as_shipped(monitored):
    config_map = by_kind(monitored, "ConfigMap")[f"{FULLNAME}-dashboards"]

    assert {name: json.loads(text) for name, text in config_map["data"].items()} == dashboards()
