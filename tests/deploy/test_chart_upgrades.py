"""Generated secrets survive upgrades: helm's lookup, answered by a stand-in Kubernetes API."""

import base64
import subprocess

import pytest
import yaml

from common.testing.servers import HttpStub, StubRequest

# What the stand-in API's discovery announces: every kind the chart renders by default.
RESOURCES = {
    "v1": {
        "configmaps": "ConfigMap",
        "pods": "Pod",
        "secrets": "Secret",
        "serviceaccounts": "ServiceAccount",
        "services": "Service",
    },
    "apps/v1": {"deployments": "Deployment"},
    "batch/v1": {"jobs": "Job"},
    "policy/v1": {"poddisruptionbudgets": "PodDisruptionBudget"},
}
NOT_FOUND = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound"}


class FakeKubernetes:
    """Answers discovery and GETs of single objects from `objects` on an HttpStub; it scripts
    no writes, so every write is refused."""

    def __init__(self, stub: HttpStub) -> None:
        self.stub = stub
        self.objects: dict[str, dict] = {}
        stub.on("GET", None, self.answer)

    def store(self, manifest: dict, namespace: str) -> None:
        """Keeps `manifest` as `helm install` leaves it: owned by the release."""
        annotations = manifest["metadata"].setdefault("annotations", {})
        annotations["meta.helm.sh/release-name"] = "shop"
        annotations["meta.helm.sh/release-namespace"] = namespace
        group_version = manifest["apiVersion"]
        plural = next(p for p, k in RESOURCES[group_version].items() if k == manifest["kind"])
        prefix = "/api/v1" if group_version == "v1" else f"/apis/{group_version}"
        name = manifest["metadata"]["name"]
        self.objects[f"{prefix}/namespaces/{namespace}/{plural}/{name}"] = manifest

    def answer(self, request: StubRequest) -> tuple[int, dict]:
        path = request.path
        groups = [gv for gv in RESOURCES if gv != "v1"]
        if path == "/version":
            return 200, {"major": "1", "minor": "31", "gitVersion": "v1.31.0"}
        if path == "/api":
            return 200, {"kind": "APIVersions", "versions": ["v1"]}
        if path == "/apis":
            return 200, {"kind": "APIGroupList", "groups": [group(gv) for gv in groups]}
        if (gv := path.removeprefix("/api/").removeprefix("/apis/")) in RESOURCES:
            return 200, resource_list(gv)
        if path in self.objects:
            return 200, self.objects[path]
        if path.split("/")[-3:-2] == ["namespaces"]:
            # A collection, such as the release records helm lists: empty.
            return 200, {"kind": "List", "apiVersion": "v1", "items": []}
        return 404, NOT_FOUND


def group(group_version: str) -> dict:
    name, version = group_version.split("/")
    preferred = {"groupVersion": group_version, "version": version}
    return {"name": name, "versions": [preferred], "preferredVersion": preferred}


def resource_list(group_version: str) -> dict:
    resources = [
        {"name": plural, "singularName": "", "namespaced": True, "kind": kind, "verbs": ["get"]}
        for plural, kind in RESOURCES[group_version].items()
    ]
    return {"kind": "APIResourceList", "groupVersion": group_version, "resources": resources}


@pytest.fixture
def cluster(tmp_path, http_stub):
    server = FakeKubernetes(http_stub)
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "fake", "cluster": {"server": http_stub.url()}}],
                "users": [{"name": "fake", "user": {"token": "fake"}}],
                "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}],
                "current-context": "fake",
            }
        )
    )
    return server, kubeconfig


def render_against(chart, kubeconfig, *arguments: str) -> list[dict]:
    """`helm template` whose lookups ask the cluster, as `helm upgrade` does."""
    outcome = subprocess.run(
        [
            str(chart.helm),
            "template",
            "shop",
            str(chart.path),
            "--namespace=mercato",
            f"--kubeconfig={kubeconfig}",
            "--dry-run=server",
            "--disable-openapi-validation",
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert outcome.returncode == 0, outcome.stderr
    return [m for m in yaml.safe_load_all(outcome.stdout) if m]


def secrets(manifests: list[dict]) -> dict[str, dict]:
    return {m["metadata"]["name"]: m["data"] for m in manifests if m["kind"] == "Secret"}


def test_an_upgrade_keeps_every_generated_secret_and_the_signing_key(chart, cluster):
    server, kubeconfig = cluster
    installed = render_against(chart, kubeconfig)
    for manifest in installed:
        if manifest["kind"] == "Secret":
            server.store(manifest, "mercato")

    upgraded = render_against(chart, kubeconfig, "--set=config.logLevel=DEBUG")

    assert secrets(upgraded) == secrets(installed)
    identity = secrets(upgraded)["shop-mercato-identity"]
    assert len(base64.b64decode(identity["SECRET_KEY"])) == 50
    assert b"PRIVATE KEY" in base64.b64decode(
        secrets(upgraded)["shop-mercato-identity-signing-keys"]["signing-key.pem"]
    )


def test_a_new_install_generates_different_secrets(chart, cluster):
    _, kubeconfig = cluster

    first = secrets(render_against(chart, kubeconfig))
    second = secrets(render_against(chart, kubeconfig))

    assert first["shop-mercato-orders"]["SECRET_KEY"] != second["shop-mercato-orders"]["SECRET_KEY"]
    assert (
        first["shop-mercato-orders"]["DATABASE_URL"]
        == second["shop-mercato-orders"]["DATABASE_URL"]
    )


def test_a_given_secret_key_wins_over_the_kept_one(chart, cluster):
    server, kubeconfig = cluster
    for manifest in render_against(chart, kubeconfig):
        if manifest["kind"] == "Secret":
            server.store(manifest, "mercato")

    upgraded = secrets(render_against(chart, kubeconfig, "--set=secrets.secretKey=rotated-by-hand"))

    for name, data in upgraded.items():
        if "SECRET_KEY" in data:
            assert base64.b64decode(data["SECRET_KEY"]) == b"rotated-by-hand", name
