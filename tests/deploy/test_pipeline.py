"""The GitHub workflow and Dependabot's configuration: valid against their schemas (vendored by
check-jsonschema), and the test job provides every server `make test` uses."""

import json
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"


def loaded(path: Path) -> dict:
    """YAML 1.2, as GitHub reads it: `on` is a key, not the boolean PyYAML makes of it."""
    return YAML(typ="safe", pure=True).load(path.read_text())


def schema_errors(document: dict, schema_name: str) -> list[str]:
    vendored = files("check_jsonschema.builtin_schemas.vendor") / f"{schema_name}.json"
    schema = json.loads(vendored.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


def test_the_workflow_follows_github_workflows_schema():
    assert schema_errors(loaded(WORKFLOW), "github-workflows") == []


def test_the_test_job_provides_postgresql_redis_and_rabbitmq_with_its_management_api():
    job = loaded(WORKFLOW)["jobs"]["test"]
    images = {name: service["image"] for name, service in job["services"].items()}
    published = {port for service in job["services"].values() for port in service["ports"]}
    management = urlsplit(job["env"]["RABBITMQ_MANAGEMENT_URL"])
    commands = [step.get("run", "") for step in job["steps"]]

    assert images["postgres"].startswith("postgres:")
    assert images["redis"].startswith("redis:")
    # The management image serves the API the e2e suite makes its virtual hosts through.
    assert images["rabbitmq"].startswith("rabbitmq:")
    assert "management" in images["rabbitmq"]
    assert {"5432:5432", "6379:6379", "5672:5672", "15672:15672"} <= published
    assert (management.hostname, management.port) == ("127.0.0.1", 15672)
    assert any("chromium" in command and "nginx" in command for command in commands)
    assert commands[-1] == "bash .ci/run"


def test_dependabot_follows_its_schema_and_watches_python_actions_and_compose_images():
    config = loaded(DEPENDABOT)

    watched = {(update["package-ecosystem"], update["directory"]) for update in config["updates"]}

    assert schema_errors(config, "dependabot") == []
    assert watched == {("pip", "/"), ("github-actions", "/"), ("docker-compose", "/docker")}
    assert (ROOT / "pyproject.toml").exists()
    assert (ROOT / "docker" / "compose.yaml").exists()
