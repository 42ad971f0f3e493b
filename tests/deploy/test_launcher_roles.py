"""`make run` starts each process through docker/entrypoint, as the image and the chart do."""

from pathlib import Path

from devtools import up
from services import SERVICES


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

    up.prepare_databases(supervisor, {})
    for service in SERVICES:
        up.start_service(supervisor, service, {}, home=tmp_path, base_port=18000)

    expected = {}
    for service in SERVICES:
        roles = ["migrate", "web", "worker"] + (["beat"] if service.beat else [])
        expected |= {f"{service.name}-{role}": [up.ENTRYPOINT, role] for role in roles}
    assert supervisor.started == expected
    assert Path(up.ENTRYPOINT) == Path(__file__).resolve().parents[2] / "docker" / "entrypoint"
    for name, environment in supervisor.environments.items():
        assert environment["MERCATO_SERVICE"] == name.rsplit("-", 1)[0]


def test_each_beat_keeps_its_schedule_under_its_platforms_home(tmp_path):
    supervisor = RecordingSupervisor()

    for service in SERVICES:
        up.start_service(supervisor, service, {}, home=tmp_path, base_port=18000)

    schedules = {
        name: environment["CELERY_BEAT_SCHEDULE"]
        for name, environment in supervisor.environments.items()
        if name.endswith("-beat")
    }
    assert schedules
    assert all(Path(schedule).parent == tmp_path for schedule in schedules.values())
    assert len(set(schedules.values())) == len(schedules)


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
