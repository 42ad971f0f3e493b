"""helm lint --strict and kubernetes-validate pass on the default values and every scenario."""

import subprocess

import pytest
from kubernetes_validate import utils as kubernetes_validate

# Custom resources kubernetes-validate has no schema for; test_chart_rules pins their fields.
CUSTOM_KINDS = {"HTTPRoute", "ServiceMonitor", "PodMonitor", "PrometheusRule"}
# The oldest Kubernetes Chart.yaml admits and the newest kubernetes-validate knows.
KUBERNETES_VERSIONS = ("1.27.0", kubernetes_validate.latest_version())


def test_every_scenario_file_is_checked(chart):
    assert {path.stem for path in chart.scenarios} >= {
        "minimal",
        "production",
        "gateway-api",
        "blue-green",
        "external-secrets",
    }


def test_helm_lint_strict_reports_nothing(chart, scenario):
    lint = subprocess.run(
        [str(chart.helm), "lint", "--strict", str(chart.path), *scenario],
        capture_output=True,
        text=True,
        check=False,
    )

    assert lint.returncode == 0, lint.stdout + lint.stderr
    findings = [line for line in lint.stdout.splitlines() if line.startswith("[")]
    assert findings == []


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_kubernetes_validate_accepts_every_manifest_strictly(chart, scenario, version):
    problems = []
    for manifest in chart.render(*scenario):
        name = f"{manifest['kind']}/{manifest['metadata']['name']}"
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            if manifest["kind"] not in CUSTOM_KINDS:
                problems.append(f"{name}: no schema for {manifest['apiVersion']}")
        except kubernetes_validate.ValidationError as error:
            path = ".".join(str(part) for part in error.path)
            problems.append(f"{name}: {path}: {error.message}")

    assert problems == []


def test_hook_mode_renders_valid_manifests_on_upgrade(chart):
    manifests = chart.render("--set=migrations.mode=hook", "--is-upgrade")

    for manifest in manifests:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSIONS[-1], strict=True)
