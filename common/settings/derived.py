"""Values the settings derive from others; importing this module reads no environment."""

import re
from urllib.parse import urlsplit

from common.settings.environment import ConfigurationError

SETTINGS_MODULE = re.compile(r"services\.(?P<service>[a-z]+)\.settings")


def service_named_by(settings_module: str) -> str:
    """The service whose settings `settings_module` (DJANGO_SETTINGS_MODULE) is: Django imports
    exactly that module, so while a service's settings load it names the service they are for."""
    match = SETTINGS_MODULE.fullmatch(settings_module)
    if match is None:
        raise ConfigurationError(
            f"DJANGO_SETTINGS_MODULE must be services.<service>.settings, got {settings_module!r}"
        )
    return match["service"]


def broker_url_from_redis(redis_url: str, *, database: int | None = None) -> str:
    """Celery names a Redis unix socket `redis+socket://`, where redis-py says `unix://`;
    `database` picks another numbered database of the same server."""
    parts = urlsplit(redis_url)
    if parts.scheme == "unix":
        chosen = "" if database is None else f"?virtual_host={database}"
        return f"redis+socket://{parts.path}{chosen}"
    return redis_url if database is None else parts._replace(path=f"/{database}").geturl()


def local_development_secret(service: str) -> str:
    """`service`'s client secret when DEBUG is on; identity's demo data registers the same."""
    return f"{service}-local-development-only"


def operator_form_targets(identity_public_url: str) -> list[str]:
    """Where an admin's forms may lead besides itself (CSP form-action, which also checks the
    redirects after a post): with identity on a port of its own, every port of its host name,
    since the sign-in goes back to the admin's port and the admins' "Log out" on to identity's."""
    if not identity_public_url:
        return []
    parts = urlsplit(identity_public_url)
    return [f"{parts.scheme}://{parts.hostname}:*"]
