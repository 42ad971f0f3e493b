"""Reads and validates environment variables so that a bad one stops start-up with one line."""

import os
from typing import Any
from urllib.parse import SplitResult, urlsplit

import environ


class ConfigurationError(Exception):
    """A required environment variable is missing or malformed; the message names it."""


def text(name: str, *, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ConfigurationError(f"{name} is required but not set")
    return value


def optional_text(name: str, *, default: str) -> str:
    return os.environ.get(name) or default


def boolean(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, got {value!r}")


def integer(name: str, *, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {number}")
    return number


def choice(name: str, *, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name) or default
    if value not in choices:
        raise ConfigurationError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def url(name: str, *, schemes: tuple[str, ...], default: str | None = None) -> str:
    value = text(name, default=default)
    try:
        parts = urlsplit(value)
    except ValueError as error:
        raise ConfigurationError(f"{name} is not a valid URL: {error}") from None
    if parts.scheme not in schemes or not (parts.netloc or parts.path or parts.query):
        raise ConfigurationError(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}, "
            f"got {without_password(parts)!r}"
        )
    return value


def optional_url(name: str, *, schemes: tuple[str, ...]) -> str:
    """The URL in `name`, checked as `url` checks it, or "" when unset."""
    return url(name, schemes=schemes) if os.environ.get(name) else ""


def without_password(parts: SplitResult) -> str:
    """The URL with its password masked: start-up errors end up in logs."""
    if parts.password is None:
        return parts.geturl()
    userinfo, _, hostport = parts.netloc.rpartition("@")
    username = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{username}:***@{hostport}").geturl()


def database(name: str, *, service: str) -> dict[str, Any]:
    """A DATABASES entry; `{service}` in the URL, or no database name, means one per service.

    `<SERVICE>_<name>` (`ORDERS_DATABASE_URL`), when set, is that service's own server and wins:
    one service can move to a server of its own while the rest share one URL."""
    if os.environ.get(own := f"{service.upper()}_{name}"):
        name = own
    value = url(name, schemes=("postgres", "postgresql", "pgsql"))
    value = value.replace("{service}", service)
    parts = urlsplit(value)
    if parts.path in ("", "/"):
        value = parts._replace(path=f"/mercato_{service}").geturl()
    try:
        config: dict[str, Any] = environ.Env.db_url_config(value)
    except (ValueError, KeyError) as error:
        raise ConfigurationError(f"{name} is not a valid database URL: {error}") from None
    if config.get("PORT") == "":
        config.pop("PORT")
    return config


def rates(name: str, *, default: str) -> dict[str, str]:
    """Throttle rates such as `anon=300/minute,user=1200/minute`, keyed by DRF throttle scope."""
    value = os.environ.get(name) or default
    parsed = {}
    for item in value.split(","):
        scope, _, rate = item.strip().partition("=")
        count, _, period = rate.partition("/")
        if not (scope and count.isdigit() and period[:1] in {"s", "m", "h", "d"}):
            raise ConfigurationError(
                f"{name} must look like 'anon=300/minute,user=1200/minute', got {item.strip()!r}"
            )
        parsed[scope] = rate
    return parsed


def hosts(name: str, *, default: str) -> list[str]:
    return [host.strip() for host in (os.environ.get(name) or default).split(",") if host.strip()]


SMTP_SCHEMES = ("smtp", "smtps", "smtp+tls", "smtp+ssl")


def email_url(name: str, *, default: str | None = None) -> dict[str, Any]:
    """Django's EMAIL_* settings from a django-environ e-mail URL: `smtp://user:pass@host:25`,
    `smtp+tls://...` (STARTTLS), `smtp+ssl://...`, `consolemail://`, `filemail:///absolute/dir`,
    `memorymail://` or `dummymail://`."""
    value = text(name, default=default)
    try:
        parts = urlsplit(value)
    except ValueError as error:
        raise ConfigurationError(f"{name} is not a valid URL: {error}") from None
    schemes = tuple(environ.Env.EMAIL_SCHEMES)
    if parts.scheme not in schemes:
        raise ConfigurationError(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}, "
            f"got {without_password(parts)!r}"
        )
    if parts.scheme in SMTP_SCHEMES and not parts.hostname:
        raise ConfigurationError(f"{name} must name the SMTP host, got {without_password(parts)!r}")
    if parts.scheme == "filemail" and (parts.netloc or not parts.path.startswith("/")):
        raise ConfigurationError(
            f"{name} must name an absolute directory, got {without_password(parts)!r}"
        )
    config = environ.Env.email_url_config(value)
    # django-environ drops the leading slash of the path, which makes it relative.
    config["EMAIL_FILE_PATH"] = parts.path if parts.scheme == "filemail" else None
    # What the URL leaves out keeps Django's default (port 25, no login).
    return {
        key: setting
        for key, setting in config.items()
        if key.startswith("EMAIL_") and setting not in (None, "")
    }
