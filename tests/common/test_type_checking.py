"""`make lint` type-checks the tree: strictly in common/, by mypy's defaults (and with every
function's types checked) in apps/ and services/."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
# Two faults: a function without annotations (refused by --strict) and a wrong argument type
# (refused by every mypy run that checks the function's body).
FAULTY_MODULE = '''"""A module with two type faults."""


def untyped(value):
    return len(value)


def checked(count: int) -> int:
    return count


def calls_wrongly():
    return checked("three")
'''
STRICT_FAULT = "Function is missing a type annotation"
DEFAULT_FAULT = 'Argument 1 to "checked" has incompatible type "str"'


def test_make_lint_runs_mypy() -> None:
    recipe = subprocess.run(
        ["make", "--dry-run", "--always-make", "lint"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert any(line.split()[:1] == [".venv/bin/mypy"] for line in recipe.splitlines()), recipe


def test_mypy_is_strict_in_common_and_checks_apps_and_services(tmp_path: Path) -> None:
    """The faulty module stands in for a module of each tree (mypy's --shadow-file), so the
    run uses pyproject.toml's configuration as `make lint` does."""
    faulty = tmp_path / "faulty.py"
    faulty.write_text(FAULTY_MODULE)
    stand_ins = ["common/health/views.py", "apps/orders/api/urls.py", "services/orders/urls.py"]
    arguments = [option for path in stand_ins for option in ("--shadow-file", path, str(faulty))]
    # Run from the project as `make lint` runs it, in a process of its own: the django-stubs
    # plugin sets Django up with the type-check settings, not this suite's.
    outcome = subprocess.run(
        [sys.executable, "-m", "mypy", *arguments, *stand_ins],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = outcome.stdout
    assert outcome.returncode == 1, outcome.stderr or report
    faults = {
        path: [line for line in report.splitlines() if line.startswith(path)] for path in stand_ins
    }
    assert any(STRICT_FAULT in line for line in faults["common/health/views.py"]), report
    assert any(DEFAULT_FAULT in line for line in faults["common/health/views.py"]), report
    for path in ("apps/orders/api/urls.py", "services/orders/urls.py"):
        assert any(DEFAULT_FAULT in line for line in faults[path]), report
        assert not any(STRICT_FAULT in line for line in faults[path]), report
