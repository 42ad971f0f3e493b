"""Pytest plugin: real PostgreSQL and Redis for every suite, the machine's or embedded ones.

Loaded with `-p` (see pyproject.toml) so it runs before pytest-django reads the settings.
"""

import os

import pytest

from devtools.embedded import use_embedded_servers


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> None:
    use_embedded_servers()
    # Suites build the local-development settings (no secret needed, static files from the
    # apps) whichever servers they use; pytest-django still runs each test with DEBUG off.
    os.environ.setdefault("DEBUG", "true")
    # Every suite talks from one address; the throttling tests set the rates they pin.
    os.environ.setdefault(
        "THROTTLE_RATES", "anon=100000/minute,user=100000/minute,sign_in=100000/minute"
    )
