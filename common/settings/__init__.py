"""Settings shared by every service: `base` (what each service's settings.py star-imports),
`environment` (reading and validating variables) and `derived` (values computed from others)."""

from common.settings.environment import ConfigurationError

__all__ = ["ConfigurationError"]
