"""Settings every service shares: `base` (star-imported), `environment`, `derived`."""

from common.settings.environment import ConfigurationError

__all__ = ["ConfigurationError"]
