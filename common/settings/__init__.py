"""Settings shared by every service, built from the environment."""

from common.settings.base import service_settings
from common.settings.environment import ConfigurationError

__all__ = ["ConfigurationError", "service_settings"]
