"""Every app belongs to exactly one service, and no app imports an app of another service.

An app's `scopes` module is the exception: identity's roles grant the strings its service checks.
"""

import ast
from pathlib import Path

import pytest

from common.settings.base import BASE_DIR
from services import SERVICE_NAMES

APPS_DIR = BASE_DIR / "apps"


def installed_apps(service: str) -> list[str]:
    """The apps services/<service>/settings.py adds to the base's INSTALLED_APPS, read without
    importing it."""
    tree = ast.parse((BASE_DIR / "services" / service / "settings.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "INSTALLED_APPS":
            return [app.value for app in node.value.elts if isinstance(app, ast.Constant)]
    raise AssertionError(f"services/{service}/settings.py does not add to INSTALLED_APPS")


def owners() -> dict[str, list[str]]:
    """app label (`catalog`) -> the services that install `apps.catalog`."""
    owned: dict[str, list[str]] = {}
    for service in SERVICE_NAMES:
        for app in installed_apps(service):
            if app.startswith("apps."):
                owned.setdefault(app.removeprefix("apps."), []).append(service)
    return owned


def app_directories() -> list[str]:
    return sorted(path.parent.name for path in APPS_DIR.glob("*/__init__.py"))


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every module `path` imports, relative imports resolved."""
    package = ".".join(path.parent.relative_to(BASE_DIR).parts)
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_every_service_settings_module_names_its_apps():
    assert all(installed_apps(service) for service in SERVICE_NAMES)


def test_no_app_is_installed_in_two_services():
    shared = {app: services for app, services in owners().items() if len(services) > 1}

    assert shared == {}


def test_every_app_directory_is_installed_in_exactly_one_service():
    owned = owners()

    assert app_directories() == sorted(owned)
    assert all(len(owned[app]) == 1 for app in app_directories())


def test_catalog_and_inventory_belong_to_the_same_service():
    owned = owners()

    assert owned["catalog"] == owned["inventory"] == ["catalog"]


@pytest.mark.parametrize("app", app_directories())
def test_an_app_imports_no_app_of_another_service(app):
    owned = owners()
    crossings = set()
    for path in sorted((APPS_DIR / app).rglob("*.py")):
        for module in imported_modules(path):
            parts = module.split(".")
            other = parts[1] if len(parts) > 1 and parts[0] == "apps" else None
            permission_strings = parts[2:3] == ["scopes"]
            if other in owned and owned[other] != owned[app] and not permission_strings:
                crossings.add(f"{path.relative_to(BASE_DIR)} imports {module}")

    assert crossings == set()


@pytest.mark.parametrize(
    "scopes", sorted(APPS_DIR.glob("*/scopes.py")), ids=lambda path: path.parent.name
)
def test_an_apps_scopes_module_imports_no_app(scopes):
    """Other services import it, so it must bring nothing of its app along."""
    assert {module for module in imported_modules(scopes) if module.startswith("apps")} == set()


def test_the_import_scan_sees_cross_app_imports():
    # The catalog's services write inventory's Stock: the scan must notice such an import.
    assert "apps.inventory.models" in imported_modules(APPS_DIR / "catalog" / "services.py")


def test_common_imports_no_app():
    """`common/` (its test helpers included) is what every service shares: an `apps.*` import
    there would tie every service to one service's app."""
    crossings = {
        f"{path.relative_to(BASE_DIR)} imports {module}"
        for path in sorted((BASE_DIR / "common").rglob("*.py"))
        for module in imported_modules(path)
        if module == "apps" or module.startswith("apps.")
    }

    assert crossings == set()
