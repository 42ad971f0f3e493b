"""The chart's rules, read off the rendered objects: hardening, probes, migrations, checksums."""

import base64
import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services import SERVICE_NAMES, SERVICES
from tests.deploy.conftest import ROOT

BEAT_SERVICES = {service.name for service in SERVICES if service.beat}
FULLNAME = "shop-mercato"


def workloads(manifests: list[dict]) -> list[dict]:
    return [m for m in manifests if m["kind"] in ("Deployment", "Job")]


def by_kind(manifests: list[dict], kind: str) -> dict[str, dict]:
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == kind}


def containers(workload: dict) -> list[dict]:
    spec = workload["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def role(workload: dict) -> str:
    return workload["metadata"]["labels"]["app.kubernetes.io/component"]


def service_of(workload: dict) -> str:
    return workload["metadata"]["labels"]["mercato.io/service"]


def checksums(manifests: list[dict]) -> dict[str, dict]:
    return {
        f"{w['kind']}/{w['metadata']['name']}": {
            key: value
            for key, value in w["spec"]["template"]["metadata"]["annotations"].items()
            if key.startswith("checksum/")
        }
        for w in workloads(manifests)
    }


def changed_workloads(before: list[dict], after: list[dict]) -> set[str]:
    old, new = checksums(before), checksums(after)
    assert old.keys() == new.keys()
    return {name for name in old if old[name] != new[name]}


@pytest.fixture(scope="module")
def default(chart) -> list[dict]:
    return chart.render()


def test_every_container_of_every_workload_is_bounded_and_hardened(default):
    checked = 0
    for workload in workloads(default):
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        for container in containers(workload):
            where = f"{workload['metadata']['name']}/{container['name']}"
            resources = container["resources"]
            assert {"cpu", "memory"} <= resources["requests"].keys(), where
            assert {"cpu", "memory"} <= resources["limits"].keys(), where
            security = container["securityContext"]
            assert security["runAsNonRoot"] is True, where
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["capabilities"]["drop"] == ["ALL"], where
            # The only writable path is the emptyDir: gunicorn's metrics, beat's schedule.
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], where
            checked += 1
    assert checked >= 3 * len(SERVICE_NAMES)


def test_every_web_container_has_startup_liveness_and_readiness_probes_django_accepts(default):
    webs = [w for w in workloads(default) if role(w) == "web"]

    assert sorted(service_of(w) for w in webs) == sorted(SERVICE_NAMES)
    for web in webs:
        (container,) = web["spec"]["template"]["spec"]["containers"]
        probes = {kind: container[f"{kind}Probe"]["httpGet"] for kind in ("startup", "liveness")}
        probes["readiness"] = container["readinessProbe"]["httpGet"]
        assert probes["readiness"]["path"] == "/healthz/ready"
        assert probes["liveness"]["path"] == "/healthz/live"
        for probe in probes.values():
            assert probe["port"] == "http"
            # Kubernetes would send the pod IP, which is not in ALLOWED_HOSTS: Django says 400.
            assert probe["httpHeaders"] == [{"name": "Host", "value": "localhost"}]


def test_localhost_is_an_allowed_host_for_the_probes(default):
    for config in by_kind(default, "ConfigMap").values():
        assert "localhost" in config["data"]["ALLOWED_HOSTS"].split(",")


def test_web_pods_accept_their_own_ip_as_host_for_prometheus(default):
    for web in (w for w in workloads(default) if role(w) == "web"):
        env = {e["name"]: e for e in web["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert env["POD_IP"]["valueFrom"] == {"fieldRef": {"fieldPath": "status.podIP"}}
        # $(ALLOWED_HOSTS) is the ConfigMap's value: envFrom comes before env.
        assert env["ALLOWED_HOSTS"]["value"] == "$(ALLOWED_HOSTS),$(POD_IP)"
        names = list(env)
        assert names.index("POD_IP") < names.index("ALLOWED_HOSTS")


def test_every_worker_and_beat_has_a_liveness_probe(default):
    for workload in workloads(default):
        if role(workload) in ("worker", "beat"):
            (container,) = workload["spec"]["template"]["spec"]["containers"]
            assert container["livenessProbe"]["exec"]["command"][0] == "sh"


def test_workers_are_pinged_by_their_own_node_name(default):
    worker = by_kind(default, "Deployment")[f"{FULLNAME}-orders-worker"]
    (container,) = worker["spec"]["template"]["spec"]["containers"]

    ping = container["livenessProbe"]["exec"]["command"][-1]
    # docker/entrypoint names each worker `$MERCATO_SERVICE@%h`, and %h is the pod's hostname.
    assert '--destination "$MERCATO_SERVICE@$HOSTNAME"' in ping


def test_every_worker_serves_its_childrens_metrics_on_a_port_named_metrics(default):
    for worker in (w for w in workloads(default) if role(w) == "worker"):
        (container,) = worker["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert container["ports"] == [{"name": "metrics", "containerPort": 9100, "protocol": "TCP"}]
        assert env["WORKER_METRICS_PORT"] == "9100"
        # On the tmp volume: the root filesystem is read-only.
        assert env["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/")
        mounts = {mount["name"]: mount["mountPath"] for mount in container["volumeMounts"]}
        assert mounts["tmp"] == "/tmp"


def test_beat_runs_once_recreated_for_exactly_the_services_with_periodic_tasks(default):
    beats = [w for w in workloads(default) if role(w) == "beat"]

    assert {service_of(beat) for beat in beats} == BEAT_SERVICES
    for beat in beats:
        assert beat["spec"]["replicas"] == 1
        assert beat["spec"]["strategy"] == {"type": "Recreate"}


def test_rolling_updates_never_take_a_pod_away_before_its_replacement_is_ready(default):
    for workload in workloads(default):
        if workload["kind"] == "Deployment" and role(workload) != "beat":
            assert workload["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_web_pods_spread_over_zones_and_nodes(default):
    for workload in workloads(default):
        if role(workload) == "web":
            spread = workload["spec"]["template"]["spec"]["topologySpreadConstraints"]
            keys = {constraint["topologyKey"] for constraint in spread}
            assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}


def test_each_service_has_exactly_one_migration_job_named_by_the_revision(default):
    jobs = [w for w in workloads(default) if w["kind"] == "Job"]

    assert sorted(service_of(job) for job in jobs) == sorted(SERVICE_NAMES)
    for job in jobs:
        # `helm template` renders revision 1; an upgrade to revision N makes `-migrate-N`.
        assert job["metadata"]["name"] == f"{FULLNAME}-{service_of(job)}-migrate-1"
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert container["args"] == ["migrate"]
        assert "helm.sh/hook" not in job["metadata"].get("annotations", {})


def test_every_long_running_pod_waits_for_its_services_migrations(default):
    for workload in workloads(default):
        if workload["kind"] == "Deployment":
            (init,) = workload["spec"]["template"]["spec"]["initContainers"]
            assert init["args"] == ["migrate-wait"]
            assert (
                init["envFrom"] == workload["spec"]["template"]["spec"]["containers"][0]["envFrom"]
            )


def test_hook_mode_migrates_before_upgrades_but_not_before_the_first_install(chart):
    install = by_kind(chart.render("--set=migrations.mode=hook"), "Job")
    upgrade = by_kind(chart.render("--set=migrations.mode=hook", "--is-upgrade"), "Job")

    assert all("annotations" not in job["metadata"] for job in install.values())
    for job in upgrade.values():
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-upgrade"


def test_every_service_gets_the_environment_contract(default):
    configs = by_kind(default, "ConfigMap")
    secrets = by_kind(default, "Secret")
    for service in SERVICE_NAMES:
        data = configs[f"{FULLNAME}-{service}"]["data"]
        assert data["MERCATO_SERVICE"] == service
        assert data["LOG_FORMAT"] == "json"
        assert data["DEBUG"] == "false"
        # The Ingress controller is the one proxy that appends to X-Forwarded-For.
        assert data["NUM_PROXIES"] == "1"
        assert data["IDENTITY_URL"] == f"http://{FULLNAME}-identity:8000"
        assert data["JWKS_URL"] == (
            f"http://{FULLNAME}-identity:8000/identity/.well-known/jwks.json"
        )
        # Identity signs with the issuer and audience that every other service checks.
        assert (data["JWT_ISSUER"], data["JWT_AUDIENCE"]) == (
            "urn:mercato:identity",
            "urn:mercato:api",
        )
        assert {"ALLOWED_HOSTS", "LOG_LEVEL"} <= data.keys()
        secret = secrets[f"{FULLNAME}-{service}"]["data"]
        # Only notifications sends e-mail, so only it holds the mail server's credentials.
        mail = {"EMAIL_URL"} if service == "notifications" else set()
        assert secret.keys() == {
            "SECRET_KEY",
            "DATABASE_URL",
            "REDIS_URL",
            "SERVICE_CLIENT_SECRET",
            *mail,
        }
    assert f"{FULLNAME}-identity" in configs[f"{FULLNAME}-orders"]["data"]["ALLOWED_HOSTS"]


def test_database_url_names_each_services_own_database(default):
    secrets = by_kind(default, "Secret")
    urls = {
        service: base64.b64decode(secrets[f"{FULLNAME}-{service}"]["data"]["DATABASE_URL"])
        for service in SERVICE_NAMES
    }

    assert urls["orders"] == b"postgres://mercato@postgresql:5432/mercato_orders"
    assert len(set(urls.values())) == len(SERVICE_NAMES)


def test_identity_pods_mount_the_signing_keys_and_no_other_pods_do(default):
    signing = by_kind(default, "Secret")[f"{FULLNAME}-identity-signing-keys"]
    assert signing["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    assert list(signing["data"]) == ["signing-key.pem"]

    for workload in workloads(default):
        pod = workload["spec"]["template"]["spec"]
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        if service_of(workload) == "identity":
            secret_name = volumes["signing-keys"]["secret"]["secretName"]
            assert secret_name == f"{FULLNAME}-identity-signing-keys"
            for container in pod["containers"]:
                assert {
                    "name": "signing-keys",
                    "mountPath": "/etc/mercato/signing-keys",
                    "readOnly": True,
                } in container["volumeMounts"]
        else:
            assert "signing-keys" not in volumes
    identity = by_kind(default, "ConfigMap")[f"{FULLNAME}-identity"]["data"]
    assert identity["JWT_SIGNING_KEYS_DIR"] == "/etc/mercato/signing-keys"


def test_identity_pods_mount_every_other_services_client_secret(default):
    for workload in workloads(default):
        if service_of(workload) != "identity":
            continue
        volumes = {v["name"]: v for v in workload["spec"]["template"]["spec"]["volumes"]}
        sources = volumes["service-accounts"]["projected"]["sources"]
        assert {source["secret"]["name"]: source["secret"]["items"] for source in sources} == {
            f"{FULLNAME}-{service}": [{"key": "SERVICE_CLIENT_SECRET", "path": service}]
            for service in SERVICE_NAMES
            if service != "identity"
        }
    identity = by_kind(default, "ConfigMap")[f"{FULLNAME}-identity"]["data"]
    assert identity["SERVICE_ACCOUNT_SECRETS_DIR"] == "/etc/mercato/service-accounts"


def test_the_generated_signing_key_is_an_rsa_private_key(default):
    signing = by_kind(default, "Secret")[f"{FULLNAME}-identity-signing-keys"]
    pem = base64.b64decode(signing["data"]["signing-key.pem"])

    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size >= 2048


def test_existing_secrets_are_used_and_nothing_is_generated(chart):
    manifests = chart.render(f"--values={chart.path}/ci/external-secrets.yaml")

    assert by_kind(manifests, "Secret") == {}
    for workload in workloads(manifests):
        pod = workload["spec"]["template"]["spec"]
        service = service_of(workload)
        for container in pod["containers"]:
            assert {"secretRef": {"name": f"shop-{service}-env"}} in container["envFrom"]
        if service == "identity":
            volumes = {volume["name"]: volume for volume in pod["volumes"]}
            assert volumes["signing-keys"]["secret"]["secretName"] == "shop-identity-signing-keys"


@pytest.mark.parametrize(
    ("setting", "pods_that_change"),
    [
        ("services.orders.env.ORDERS_EXPORT_LIMIT=500", {"orders"}),
        ("services.identity.env.ACCESS_TOKEN_MINUTES=10", {"identity"}),
        ("config.logLevel=DEBUG", set(SERVICE_NAMES)),
        ("secrets.redisUrl=redis://cache:6379/1", set(SERVICE_NAMES)),
        ("signingKeys.existingSecret=rotated-keys", {"identity"}),
    ],
)
def test_a_configuration_change_rolls_exactly_the_pods_that_use_it(
    chart, default, setting, pods_that_change
):
    changed = changed_workloads(default, chart.render(f"--set={setting}"))

    expected = {
        f"{w['kind']}/{w['metadata']['name']}"
        for w in workloads(default)
        if service_of(w) in pods_that_change
    }
    assert changed == expected


def test_rendering_twice_changes_no_checksum(chart, default):
    """Generated secrets are kept by lookup, so they must not make every upgrade roll pods."""
    assert changed_workloads(default, chart.render("--set=image.pullPolicy=IfNotPresent")) == set()


@pytest.mark.parametrize("active", ["blue", "green"])
def test_blue_green_renders_both_colours_and_services_select_the_active_one(chart, active):
    manifests = chart.render(
        f"--values={chart.path}/ci/blue-green.yaml", f"--set=blueGreen.activeColor={active}"
    )

    deployments = by_kind(manifests, "Deployment")
    for service in SERVICE_NAMES:
        for colour, tag in (("blue", "1.4.2"), ("green", "1.5.0")):
            pod = deployments[f"{FULLNAME}-{service}-web-{colour}"]["spec"]["template"]["spec"]
            images = {c["image"] for c in [*pod["initContainers"], *pod["containers"]]}
            assert images == {f"ghcr.io/mercato/mercato:{tag}"}
        worker = deployments[f"{FULLNAME}-{service}-worker"]["spec"]["template"]["spec"]
        assert worker["containers"][0]["image"] == "ghcr.io/mercato/mercato:1.5.0"
        selector = by_kind(manifests, "Service")[f"{FULLNAME}-{service}"]["spec"]["selector"]
        assert selector["mercato.io/color"] == active
        assert selector["app.kubernetes.io/component"] == "web"
        colour_of_pods = {
            name: d["spec"]["template"]["metadata"]["labels"].get("mercato.io/color")
            for name, d in deployments.items()
            if d["metadata"]["labels"]["mercato.io/service"] == service
        }
        selected = [
            name
            for name, colour in colour_of_pods.items()
            if colour == selector["mercato.io/color"]
        ]
        assert selected == [f"{FULLNAME}-{service}-web-{active}"]
    autoscalers = by_kind(manifests, "HorizontalPodAutoscaler")
    assert f"{FULLNAME}-orders-web-green" in autoscalers
    assert f"{FULLNAME}-orders-web-blue" in autoscalers


@pytest.mark.parametrize(
    ("setting", "named_in_error"),
    [
        ("services.orders.replicas=two", "/services/orders/replicas"),
        ("services.orders.beat.replicas=2", "/services/orders/beat/replicas"),
        ("services.shipping.enabled=true", "shipping"),
        ("config.logFormat=xml", "/config/logFormat"),
        ("config.numProxies=-1", "/config/numProxies"),
        ("blueGreen.activeColor=red", "/blueGreen/activeColor"),
    ],
)
def test_the_schema_rejects_impossible_values_naming_them(chart, setting, named_in_error):
    outcome = chart.template(f"--set={setting}")

    assert outcome.returncode != 0
    assert named_in_error in outcome.stderr


def test_ingress_and_httproute_route_every_service_prefix_and_the_root_to_the_portal(chart):
    ingress = by_kind(chart.render(f"--values={chart.path}/ci/production.yaml"), "Ingress")
    route = by_kind(chart.render(f"--values={chart.path}/ci/gateway-api.yaml"), "HTTPRoute")

    (rule,) = ingress[FULLNAME]["spec"]["rules"]
    assert {p["path"]: p["backend"]["service"]["name"] for p in rule["http"]["paths"]} == {
        "/": f"{FULLNAME}-identity",
        **{f"/{service}/": f"{FULLNAME}-{service}" for service in SERVICE_NAMES},
    }
    assert rule["http"]["paths"][0]["pathType"] == "Exact"
    routes = route[FULLNAME]["spec"]
    assert routes["parentRefs"][0]["name"] == "public"
    assert {
        r["matches"][0]["path"]["value"]: (r["backendRefs"][0]["name"], r["backendRefs"][0]["port"])
        for r in routes["rules"]
    } == {
        "/": (f"{FULLNAME}-identity", 8000),
        **{f"/{service}/": (f"{FULLNAME}-{service}", 8000) for service in SERVICE_NAMES},
    }
    assert routes["rules"][0]["matches"][0]["path"]["type"] == "Exact"


def test_ingress_and_httproute_together_are_refused(chart):
    outcome = chart.template("--set=ingress.enabled=true", "--set=httpRoute.enabled=true")

    assert outcome.returncode != 0
    assert "not both" in outcome.stderr


def test_network_policies_deny_by_default_then_allow_only_the_platforms_flows(chart, default):
    assert by_kind(default, "NetworkPolicy") == {}
    policies = by_kind(chart.render(f"--values={chart.path}/ci/production.yaml"), "NetworkPolicy")

    deny = policies[f"{FULLNAME}-default-deny"]["spec"]
    assert deny["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in deny
    assert "egress" not in deny
    assert deny["podSelector"]["matchLabels"]["app.kubernetes.io/instance"] == "shop"
    egress = policies[f"{FULLNAME}-egress"]["spec"]["egress"]
    ports = [{port["port"] for port in rule["ports"]} for rule in egress]
    assert ports == [{53}, {5432, 6380, 5671}, {8000}]
    web = policies[f"{FULLNAME}-web-ingress"]["spec"]
    assert web["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "web"
    sources = [rule["from"][0] for rule in web["ingress"]]
    assert sources[1]["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"
    }
    assert sources[2]["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "monitoring"
    }
    worker_metrics = policies[f"{FULLNAME}-worker-metrics"]["spec"]
    assert worker_metrics["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "worker"
    [scrapes] = worker_metrics["ingress"]
    assert scrapes["from"] == [sources[2]]
    assert scrapes["ports"] == [{"port": 9100, "protocol": "TCP"}]
    notifications = policies[f"{FULLNAME}-notifications-egress"]["spec"]
    assert notifications["podSelector"]["matchLabels"]["mercato.io/service"] == "notifications"
    mail, webhooks = notifications["egress"]
    assert {port["port"] for port in mail["ports"]} == {25, 465, 587}
    assert "10.0.0.0/8" in webhooks["to"][0]["ipBlock"]["except"]


def test_autoscaling_replaces_fixed_replicas_with_an_hpa(chart):
    manifests = chart.render(f"--values={chart.path}/ci/production.yaml")

    autoscalers = by_kind(manifests, "HorizontalPodAutoscaler")
    assert set(autoscalers) == {f"{FULLNAME}-{service}-web" for service in SERVICE_NAMES}
    for name in autoscalers:
        assert "replicas" not in by_kind(manifests, "Deployment")[name]["spec"]


def test_monitoring_objects_follow_their_toggles(chart, default):
    monitoring = {"ServiceMonitor", "PodMonitor", "PrometheusRule"}
    assert not [m for m in default if m["kind"] in monitoring]
    assert f"{FULLNAME}-dashboards" not in by_kind(default, "ConfigMap")
    manifests = chart.render(f"--values={chart.path}/ci/production.yaml")

    (monitor,) = by_kind(manifests, "ServiceMonitor").values()
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    [endpoint] = monitor["spec"]["endpoints"]
    assert (endpoint["port"], endpoint["path"], endpoint["interval"]) == ("http", "/metrics", "30s")
    assert monitor["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] == "web"
    (workers,) = by_kind(manifests, "PodMonitor").values()
    assert workers["apiVersion"] == "monitoring.coreos.com/v1"
    assert workers["metadata"]["labels"]["release"] == "prometheus"
    (rule,) = by_kind(manifests, "PrometheusRule").values()
    assert rule["metadata"]["labels"]["release"] == "prometheus"
    alerts = {r["alert"] for group in rule["spec"]["groups"] for r in group["rules"]}
    assert {"MercatoServiceDown", "MercatoOutboxStuck", "MercatoDeadLettersGrowing"} <= alerts
    dashboards = by_kind(manifests, "ConfigMap")[f"{FULLNAME}-dashboards"]
    assert dashboards["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert "mercato-overview.json" in dashboards["data"]


def test_helm_test_checks_every_services_readiness_through_its_service(default):
    tests = [m for m in default if m["kind"] == "Pod"]

    assert len(tests) == len(SERVICE_NAMES)
    for pod in tests:
        assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
        service = pod["metadata"]["labels"]["mercato.io/service"]
        script = pod["spec"]["containers"][0]["command"][-1]
        assert f"http://{FULLNAME}-{service}:8000/healthz/ready" in script


def chart_environment(manifests: list[dict], service: str) -> dict[str, str]:
    """What a pod of `service` runs with: its ConfigMap and its Secret, and nothing else."""
    config = by_kind(manifests, "ConfigMap")[f"{FULLNAME}-{service}"]["data"]
    secret = by_kind(manifests, "Secret")[f"{FULLNAME}-{service}"]["data"]
    decoded = {key: base64.b64decode(value).decode() for key, value in secret.items()}
    return {"PATH": os.environ["PATH"], **config, **decoded}


def test_every_service_passes_the_deployment_checks_under_the_charts_settings(default):
    """`check --deploy` with warnings failing it, one process per service, all at once."""
    checks = {
        service: subprocess.Popen(
            [sys.executable, "manage.py", service, "check", "--deploy", "--fail-level=WARNING"],
            cwd=ROOT,
            env=chart_environment(default, service),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for service in SERVICE_NAMES
    }
    reports = {service: check.communicate(timeout=120)[0] for service, check in checks.items()}

    failed = {
        service: reports[service]
        for service, check in checks.items()
        if check.returncode != 0 or "System check identified no issues" not in reports[service]
    }
    assert not failed, failed
