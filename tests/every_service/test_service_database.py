"""Runs once per service's settings: a service reaches one database, its own, and only identity
holds the people."""

from django.conf import settings


def test_the_only_database_is_the_services_own():
    service = settings.SERVICE_NAME

    assert list(settings.DATABASES) == ["default"]
    # Named after the service, whatever DATABASE_URL calls the rest (`mercato_{service}`).
    assert settings.DATABASES["default"]["NAME"].endswith(service)
    assert not getattr(settings, "DATABASE_ROUTERS", [])


def test_only_identity_installs_the_accounts_app_and_its_user_model():
    holds_accounts = "apps.accounts" in settings.INSTALLED_APPS

    assert holds_accounts == (settings.SERVICE_NAME == "identity")
    assert (settings.AUTH_USER_MODEL == "accounts.User") == holds_accounts
