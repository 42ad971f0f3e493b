"""Tasks import services, never the other way round: no `apps/*/services.py` reaches a `tasks`
module through the imports of `apps`, so no services↔tasks cycle can exist."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE_MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for path in ROOT.glob("apps/*/services.py")
)


def module_files() -> dict[str, Path]:
    """Every module of `apps` by dotted name; a package is named by its `__init__.py`."""
    modules = {}
    for path in ROOT.glob("apps/**/*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imported_modules(path: Path, known: dict[str, Path]) -> set[str]:
    """The `apps` modules `path` imports anywhere in it, function-level imports included; `from
    package import name` counts `package.name` when that is a module."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {module for module in imported if module in known}


def reachable_from(start: str, known: dict[str, Path]) -> dict[str, str]:
    """Each module `start` imports directly or through others, with the module importing it."""
    importer = {start: ""}
    pending = [start]
    while pending:
        module = pending.pop()
        for imported in imported_modules(known[module], known):
            if imported not in importer:
                importer[imported] = module
                pending.append(imported)
    return importer


def test_the_check_sees_the_services_module_of_every_app():
    assert "apps.catalog.services" in SERVICE_MODULES
    assert len(SERVICE_MODULES) >= 5


@pytest.mark.parametrize("services", SERVICE_MODULES)
def test_services_never_import_a_tasks_module(services):
    known = module_files()
    importer = reachable_from(services, known)

    reached = {module: importer[module] for module in importer if module.endswith(".tasks")}

    assert reached == {}, f"{services} reaches tasks modules (module: imported by): {reached}"
