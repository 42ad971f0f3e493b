"""docs/architecture.md is the contract a clone of Mercato carries: it maps every package, and
nothing in the repository points to documents outside it."""

import re
import subprocess

import pytest

from common.settings.base import BASE_DIR
from services import SERVICE_NAMES

ARCHITECTURE = BASE_DIR / "docs" / "architecture.md"
# Documents the repository was written from, which a clone does not have.
OUTSIDE_REFERENCES = re.compile(r"\.\./shared|DESIGN\.md|DESIGN\s§|STYLE\.md")


def layout_block() -> str:
    """The fenced block under the `## Layout` heading."""
    section = ARCHITECTURE.read_text().split("## Layout", 1)[1]
    return section.split("```", 2)[1]


def packages() -> list[str]:
    """Every package a reader must find on the map: common's and the apps, as `name/`."""
    found = [
        f"{path.parent.name}/"
        for parent in ("common", "apps")
        for path in sorted((BASE_DIR / parent).glob("*/__init__.py"))
    ]
    return [*found, *(f"{name}/" for name in ("devtools", "services", "docker", "tests", "bench"))]


@pytest.mark.parametrize("package", packages())
def test_the_layout_names_every_package(package):
    assert re.search(rf"(^|\s){re.escape(package)}", layout_block(), re.MULTILINE), package


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_the_ownership_table_names_every_service(service):
    assert f"| {service} | 80" in ARCHITECTURE.read_text()


def test_no_tracked_file_refers_to_documents_outside_the_repository():
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=BASE_DIR, capture_output=True, check=True
    ).stdout.split(b"\0")
    offenders = []
    for name in filter(None, tracked):
        path = BASE_DIR / name.decode()
        if path.suffix == ".lock" or not path.is_file():
            continue
        text = path.read_text(errors="ignore")
        offenders += [f"{name.decode()}: {line}" for line in OUTSIDE_REFERENCES.findall(text)]
    assert not offenders, offenders
