"""E-mail configuration: EMAIL_URL in django-environ's syntax, required once DEBUG is off."""

import runpy
import sys
from unittest import mock

import pytest

from common.settings import ConfigurationError
from common.settings.environment import email_url
from services.notifications import settings as settings_module


def notifications_settings() -> dict:
    """The settings module evaluated afresh against the current environment, the shared base it
    star-imports (and its DEBUG) included."""
    with mock.patch.dict(sys.modules):
        sys.modules.pop("common.settings.base", None)
        return runpy.run_path(settings_module.__file__)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://mailer:p%40ss@smtp.example.com:587",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "smtp.example.com",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "mailer",
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": True,
            },
        ),
        (
            "smtp+ssl://smtp.example.com:465",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "smtp.example.com",
                "EMAIL_PORT": 465,
                "EMAIL_USE_SSL": True,
            },
        ),
        ("consolemail://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "filemail:///var/mail/mercato",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/var/mail/mercato",
            },
        ),
    ],
)
def test_email_url_gives_djangos_email_settings(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)

    assert email_url("EMAIL_URL") == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://smtp.example.com", "EMAIL_URL must be a URL starting with smtp://"),
        ("smtp://", "EMAIL_URL must name the SMTP host"),
        ("filemail://relative/dir", "EMAIL_URL must name an absolute directory"),
        (
            "imap://mailer:hunter2@mail.example.com",
            r"EMAIL_URL must be a URL starting with smtp://.* got 'imap://mailer:\*\*\*@mail",
        ),
        ("smtp://mailer:hunter2@", r"EMAIL_URL must name the SMTP host, got 'smtp://mailer:\*"),
        (
            "filemail://mailer:hunter2@mail.example.com/var/mail",
            r"EMAIL_URL must name an absolute directory, got 'filemail://mailer:\*",
        ),
    ],
)
def test_a_malformed_email_url_names_the_variable_and_masks_any_password(monkeypatch, url, message):
    monkeypatch.setenv("EMAIL_URL", url)

    with pytest.raises(ConfigurationError, match=message) as refused:
        email_url("EMAIL_URL")

    assert "hunter2" not in str(refused.value)


def test_without_debug_email_url_is_required(monkeypatch):
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "test-only")
    monkeypatch.delenv("EMAIL_URL", raising=False)

    with pytest.raises(ConfigurationError, match="EMAIL_URL is required"):
        notifications_settings()


def test_under_debug_mail_goes_to_files_under_mercato_home(monkeypatch, tmp_path):
    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.setenv("MERCATO_HOME", str(tmp_path))
    monkeypatch.delenv("EMAIL_URL", raising=False)

    settings = notifications_settings()

    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert settings["EMAIL_FILE_PATH"] == f"{tmp_path}/mail"


def test_under_debug_without_mercato_home_mail_goes_to_the_console(monkeypatch):
    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.delenv("MERCATO_HOME", raising=False)
    monkeypatch.delenv("EMAIL_URL", raising=False)

    settings = notifications_settings()

    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert settings["DEFAULT_FROM_EMAIL"] == "Mercato <shop@mercato.local>"
    assert settings["WEBHOOK_ALLOW_PRIVATE_TARGETS"] is False
    assert settings["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] is False
    assert settings["WEBHOOK_MAX_ATTEMPTS"] == 8
