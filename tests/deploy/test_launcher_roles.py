"""`make run` starts each process through docker/entrypoint, as the image and the chart do, in
one machine's shape (a threaded web worker and a solo Celery worker with its beat inside), and
Prometheus beside them when it is installed."""

import json
import runpy
from pathlib import Path

from devtools import up
from devtools.prometheus import scrape_config
from services import SERVICES

# Every service migrates (identity at every start, the others while a migration changed) and
# runs a web process and a worker, whose beat runs inside it (BEAT_IN_WORKER).
ROLES = ("migrate", "web", "worker")
PROCESS_SHAPE = {
    "WEB_CONCURRENCY": "1",
    "WEB_THREADS": "4",
    "CELERY_POOL": "solo",
    "CELERY_CONCURRENCY": "1",
    "BEAT_IN_WORKER": "true",
}


class RecordingSupervisor:
    """Stands in for the launcher's Supervisor: records what would start, starts nothing."""

    def __init__(self) -> None:
        self.started: dict[str, list[str]] = {}
        self.environments: dict[str, dict[str, str]] = {}

    def start(self, name: str, command: list[str], *, env: dict[str, str]) -> None:
        self.started[name] = command
        self.environments[name] = env

    def run(self, name: str, command: list[str], *, env: dict[str, str]) -> int:
        self.start(name, command, env=env)
        return 0


def test_every_service_gets_migrate_web_worker_and_beat_where_it_has_periodic_tasks(tmp_path):
    supervisor = RecordingSupervisor()

    up.prepare_databases(supervisor, {}, home=tmp_path)
    for service in SERVICES:
        up.start_service(supervisor, service, {}, home=tmp_path, base_port=18000)

    expected = {}
    for service in SERVICES:
        expected |= {f"{service.name}-{role}": [up.ENTRYPOINT, role] for role in ROLES}
    assert supervisor.started == expected
    assert Path(up.ENTRYPOINT) == Path(__file__).resolve().parents[2] / "docker" / "entrypoint"
    for name, environment in supervisor.environments.items():
        assert environment["MERCATO_SERVICE"] == name.rsplit("-", 1)[0]
    workers = [supervisor.environments[f"{service.name}-worker"] for service in SERVICES]
    assert [worker["BEAT_IN_WORKER"] == "true" for worker in workers] == [
        service.beat for service in SERVICES
    ]


def test_with_beat_in_worker_false_each_beat_runs_as_a_process_of_its_own(tmp_path):
    supervisor = RecordingSupervisor()

    for service in SERVICES:
        up.start_service(
            supervisor, service, {"BEAT_IN_WORKER": "false"}, home=tmp_path, base_port=18000
        )

    assert {name for name in supervisor.started if name.endswith("-beat")} == {
        f"{service.name}-beat" for service in SERVICES if service.beat
    }
    assert all(
        supervisor.environments[f"{service.name}-worker"]["BEAT_IN_WORKER"] == "false"
        for service in SERVICES
    )


def test_make_run_defaults_to_one_threaded_web_worker_and_a_solo_worker_with_its_beat(tmp_path):
    environment = up.platform_environment(tmp_path, base_port=18000, inherited={"PATH": "/bin"})

    assert {name: environment[name] for name in PROCESS_SHAPE} == PROCESS_SHAPE


def test_each_beat_keeps_its_schedule_under_its_platforms_home(tmp_path):
    supervisor = RecordingSupervisor()

    for service in SERVICES:
        up.start_service(supervisor, service, {}, home=tmp_path, base_port=18000)

    schedules = {
        name: environment["CELERY_BEAT_SCHEDULE"]
        for name, environment in supervisor.environments.items()
        if name.endswith("-worker")
    }
    assert schedules
    assert all(Path(schedule).parent == tmp_path for schedule in schedules.values())
    assert len(set(schedules.values())) == len(schedules)


def test_prometheus_starts_on_its_own_port_with_its_data_and_config_under_the_home(tmp_path):
    supervisor = RecordingSupervisor()
    fake = tmp_path / "bin" / "prometheus"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)

    url = up.start_monitoring(
        supervisor, {"PATH": str(fake.parent)}, home=tmp_path, base_port=18000
    )

    assert url == "http://127.0.0.1:18090"
    [command] = supervisor.started.values()
    config = tmp_path / "prometheus" / "prometheus.yml"
    assert command[0] == str(fake)
    assert f"--config.file={config}" in command
    assert f"--storage.tsdb.path={tmp_path / 'prometheus' / 'data'}" in command
    assert "--web.listen-address=127.0.0.1:18090" in command
    assert json.loads(config.read_text()) == scrape_config(base_port=18000)


def test_each_worker_serves_its_metrics_100_above_its_web_from_a_directory_of_its_own(tmp_path):
    supervisor = RecordingSupervisor()

    for service in SERVICES:
        up.start_service(supervisor, service, {}, home=tmp_path, base_port=18000)

    for service in SERVICES:
        web = supervisor.environments[f"{service.name}-web"]
        worker = supervisor.environments[f"{service.name}-worker"]
        assert worker["WORKER_METRICS_PORT"] == str(service.port(18000) + 100)
        assert Path(worker["PROMETHEUS_MULTIPROC_DIR"]).parent == tmp_path / "metrics"
        assert worker["PROMETHEUS_MULTIPROC_DIR"] != web["PROMETHEUS_MULTIPROC_DIR"]


def test_each_gunicorn_master_has_a_control_socket_of_its_own_under_the_home(tmp_path):
    supervisor = RecordingSupervisor()

    for service in SERVICES:
        up.start_service(supervisor, service, {}, home=tmp_path, base_port=18000)

    sockets = [
        supervisor.environments[f"{service.name}-web"]["GUNICORN_CONTROL_SOCKET"]
        for service in SERVICES
    ]
    assert len(set(sockets)) == len(SERVICES)
    assert all(Path(socket).parent == tmp_path / "gunicorn" for socket in sockets)


def test_without_a_socket_named_gunicorn_runs_no_control_socket_and_with_one_uses_it(
    monkeypatch, tmp_path
):
    """The image sets none: one master per container, and nothing there uses `gunicornc`."""
    configuration = up.ROOT / "docker" / "gunicorn.conf.py"
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    image = runpy.run_path(str(configuration))
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", str(tmp_path / "orders.ctl"))
    launcher = runpy.run_path(str(configuration))

    assert image["control_socket_disable"] is True
    assert (launcher["control_socket_disable"], launcher["control_socket"]) == (
        False,
        str(tmp_path / "orders.ctl"),
    )


def test_make_run_allows_loopback_webhook_targets_unless_told_otherwise_and_says_so(tmp_path):
    environment = up.platform_environment(tmp_path, base_port=18000, inherited={})
    refused = up.platform_environment(
        tmp_path, base_port=18000, inherited={"WEBHOOK_ALLOW_LOOPBACK_TARGETS": "false"}
    )

    assert environment["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] == "true"
    assert "WEBHOOK_ALLOW_PRIVATE_TARGETS" not in environment
    assert up.loopback_webhooks(environment)
    assert not up.loopback_webhooks(refused)
    summary = up.Summary(
        base_port=1, gateway=False, prometheus=None, home=tmp_path, loopback_webhooks=True
    )
    assert "webhook_listen" in summary.text()
    quiet = up.Summary(
        base_port=1, gateway=False, prometheus=None, home=tmp_path, loopback_webhooks=False
    )
    assert "webhook" not in quiet.text().lower()


def test_the_summary_names_the_portal_only_when_the_gateway_runs(tmp_path):
    behind_gateway = up.Summary(
        base_port=18000, gateway=True, prometheus=None, home=tmp_path, loopback_webhooks=False
    )
    without_gateway = up.Summary(
        base_port=18000, gateway=False, prometheus=None, home=tmp_path, loopback_webhooks=False
    )

    assert "Portal: http://localhost:18000/" in behind_gateway.text()
    assert "Portal" not in without_gateway.text()
