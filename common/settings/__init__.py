"""Settings every service shares: `base` (star-imported), `environment`, `derived`."""

import sys
from typing import NoReturn

from common.settings.environment import ConfigurationError

__all__ = ["ConfigurationError", "settings_validated", "stop_on_configuration_error"]

CONFIGURATION_ERROR_EXIT_CODE = 2


def stop_on_configuration_error(error: ConfigurationError) -> NoReturn:
    """Every process stops on a bad environment the same way: one line naming the variable and
    exit code 2, which `docker/entrypoint migrate-wait` knows no waiting fixes."""
    print(f"configuration error: {error}", file=sys.stderr)
    sys.exit(CONFIGURATION_ERROR_EXIT_CODE)


def settings_validated() -> None:
    """Loads the settings, which validates the environment, before a process starts its work."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loading the settings validates the environment
    except ConfigurationError as error:
        stop_on_configuration_error(error)
