"""The shared base and each service's settings module, built and validated from the environment."""

import ast
import os
import runpy
import sys
from pathlib import Path
from unittest import mock

import pytest

from common.settings import ConfigurationError
from common.settings.derived import broker_url_from_redis
from common.testing.fixtures import HTTPS_ONLY_SETTINGS
from services import SERVICE_NAMES

SERVICES_DIR = Path(__file__).resolve().parents[3] / "services"


def settings_of(service: str, *, settings_module: str | None = None) -> dict:
    """services/<service>/settings.py evaluated afresh, the shared base with it, as Django loads
    it for the service: DJANGO_SETTINGS_MODULE naming that module."""
    chosen = {"DJANGO_SETTINGS_MODULE": settings_module or f"services.{service}.settings"}
    with mock.patch.dict(sys.modules), mock.patch.dict(os.environ, chosen):
        sys.modules.pop("common.settings.base", None)
        return runpy.run_path(str(SERVICES_DIR / service / "settings.py"))


@pytest.fixture
def environment(monkeypatch):
    """A complete, valid production-like environment that each test then breaks in one place."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://mercato:pw@db.internal:5432/mercato_{service}")
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://mailer:pw@smtp.internal:587")
    for name in (
        "LOG_LEVEL",
        "LOG_FORMAT",
        "DATABASE_CONN_MAX_AGE",
        "ALLOWED_HOSTS",
        "HTTPS_ONLY",
        "HSTS_SECONDS",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_valid_environment_gives_the_services_database_and_urls(environment):
    settings = settings_of("catalog")

    assert settings["DATABASES"]["default"]["NAME"] == "mercato_catalog"
    assert settings["ROOT_URLCONF"] == "services.catalog.urls"
    assert settings["STATIC_URL"] == "/catalog/static/"
    assert settings["SECRET_KEY"] == "a-real-secret"
    assert settings["DEBUG"] is False


def test_a_malformed_database_url_stops_start_up_naming_database_url(environment):
    environment.setenv("DATABASE_URL", "postgres//db.internal/mercato")

    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        settings_of("catalog")


def test_a_missing_secret_key_without_debug_stops_start_up_naming_secret_key(environment):
    environment.delenv("SECRET_KEY")

    with pytest.raises(ConfigurationError, match="SECRET_KEY is required"):
        settings_of("catalog")


def test_debug_without_a_secret_key_uses_a_development_key(environment):
    environment.delenv("SECRET_KEY")
    environment.setenv("DEBUG", "true")

    assert settings_of("catalog")["SECRET_KEY"] == "local-development-only"


def test_a_database_url_without_a_name_gets_the_services_own_database(environment):
    environment.setenv("DATABASE_URL", "postgresql://mercato:pw@db.internal:5432")

    database = settings_of("identity")["DATABASES"]["default"]

    assert database["NAME"] == "mercato_identity"


def test_the_broker_defaults_to_the_redis_url(environment):
    assert settings_of("catalog")["CELERY_BROKER_URL"] == ("redis://cache.internal:6379/0")


def test_a_unix_socket_redis_url_becomes_a_redis_socket_broker_url(environment):
    environment.setenv("REDIS_URL", "unix:///run/redis/redis.sock")

    settings = settings_of("catalog")

    assert settings["CELERY_BROKER_URL"] == "redis+socket:///run/redis/redis.sock"
    assert settings["CACHES"]["default"]["LOCATION"] == "unix:///run/redis/redis.sock"


def test_an_explicit_broker_url_wins_over_the_redis_url(environment):
    environment.setenv("CELERY_BROKER_URL", "amqp://mercato:pw@rabbit.internal:5672//")

    assert settings_of("catalog")["CELERY_BROKER_URL"] == (
        "amqp://mercato:pw@rabbit.internal:5672//"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REDIS_URL", "memcached://cache.internal"),
        ("CELERY_BROKER_URL", "kafka://broker.internal"),
        ("DEBUG", "sometimes"),
        ("DATABASE_CONN_MAX_AGE", "forever"),
        ("DATABASE_CONN_MAX_AGE", "-5"),
        ("LOG_LEVEL", "LOUD"),
        ("LOG_FORMAT", "xml"),
        ("BROKER_VISIBILITY_TIMEOUT_SECONDS", "5"),
        ("IDENTITY_PUBLIC_URL", "identity.internal:8001"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(environment, name, value):
    environment.setenv(name, value)

    with pytest.raises(ConfigurationError, match=f"^{name} "):
        settings_of("catalog")


def test_behind_the_gateway_admin_forms_lead_to_their_own_origin_only(environment):
    environment.delenv("IDENTITY_PUBLIC_URL", raising=False)
    settings = settings_of("orders")

    assert settings["IDENTITY_PUBLIC_URL"] == ""
    assert settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"] == ["'self'"]


def test_with_identity_on_its_own_port_admin_forms_may_lead_to_its_host_name(environment):
    """The sign-in goes back to the admin's port, and "Log out" on to identity's."""
    environment.setenv("IDENTITY_PUBLIC_URL", "http://127.0.0.1:8001")
    settings = settings_of("orders")

    assert settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"] == [
        "'self'",
        "http://127.0.0.1:*",
    ]


def https_settings(settings: dict) -> dict:
    return {name: settings[name] for name in HTTPS_ONLY_SETTINGS}


def test_production_is_https_only_with_a_years_hsts_on_every_subdomain(environment):
    settings = settings_of("catalog")

    assert https_settings(settings) == HTTPS_ONLY_SETTINGS
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_HSTS_PRELOAD"] is True
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "true"), ("HTTPS_ONLY", "false")],
    ids=["make run and the e2e suite", "compose"],
)
def test_plain_http_platforms_neither_redirect_nor_mark_cookies_secure(environment, name, value):
    environment.setenv(name, value)

    assert https_settings(settings_of("catalog")) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_hsts_seconds_may_be_shortened_while_https_is_tried_out(environment):
    environment.setenv("HSTS_SECONDS", "300")

    assert settings_of("catalog")["SECURE_HSTS_SECONDS"] == 300


def test_a_killed_workers_tasks_come_back_within_the_visibility_timeout_which_no_wait_nears(
    environment,
):
    environment.setenv("BROKER_VISIBILITY_TIMEOUT_SECONDS", "20")

    settings = settings_of("orders")

    assert settings["CELERY_TASK_ACKS_LATE"]
    assert settings["CELERY_TASK_REJECT_ON_WORKER_LOST"]
    assert settings["CELERY_WORKER_PREFETCH_MULTIPLIER"] == 1
    assert settings["CELERY_BROKER_TRANSPORT_OPTIONS"] == {
        "visibility_timeout": 20,
        "unacked_restore_interval": 5,
        "unacked_restore_throttle": 1,
        "confirm_publish": True,
    }
    assert settings["TASK_COUNTDOWN_MAXIMUM_SECONDS"] == 10


def test_each_recovery_path_gets_its_turn_before_the_next_gives_up(environment):
    """A killed worker's task comes back (visibility timeout) before payments' sweep resends a
    charge it thinks lost, which runs before the saga cancels the order, which happens before
    catalog lets the order's reservation expire."""
    visibility_timeout = settings_of("orders")["BROKER_VISIBILITY_TIMEOUT_SECONDS"]
    payments = settings_of("payments")
    orders = settings_of("orders")
    catalog = settings_of("catalog")

    assert (
        visibility_timeout
        < payments["PAYMENT_STALLED_SECONDS"]
        < orders["ORDER_SAGA_TIMEOUT_SECONDS"]
        < catalog["RESERVATION_TTL_SECONDS"]
    )


def test_the_services_apps_follow_the_shared_ones(environment):
    installed = settings_of("orders")["INSTALLED_APPS"]

    assert installed[-1] == "apps.orders"
    assert "common" in installed


def test_only_identity_sets_a_custom_user_model(environment):
    assert "AUTH_USER_MODEL" not in settings_of("catalog")
    assert settings_of("identity")["AUTH_USER_MODEL"] == "accounts.User"


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_gets_its_own_names_and_keeps_the_shared_beat_tasks(environment, service):
    settings = settings_of(service)

    assert settings["SERVICE_NAME"] == service
    assert settings["DATABASES"]["default"]["NAME"] == f"mercato_{service}"
    assert settings["SESSION_COOKIE_NAME"] == f"{service}_sessionid"
    assert settings["CELERY_TASK_DEFAULT_QUEUE"] == service
    assert {"sweep-outbox", "prune-events"} <= settings["CELERY_BEAT_SCHEDULE"].keys()


def test_settings_loaded_for_no_service_stop_start_up_naming_the_variable(environment):
    with pytest.raises(
        ConfigurationError, match=r"^DJANGO_SETTINGS_MODULE must be services\.<service>\.settings, "
    ):
        settings_of("catalog", settings_module="mercato.settings")


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_service_settings_module_star_imports_the_flat_base(service):
    """One spelling everywhere: no settings built as a dict and poured into globals()."""
    path = SERVICES_DIR / service / "settings.py"
    text = path.read_text()
    star_imports = [
        node.module
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ImportFrom) and [alias.name for alias in node.names] == ["*"]
    ]

    assert star_imports == ["common.settings.base"]
    assert "from common.settings.base import *  # noqa: F403\n" in text
    assert "F821" not in text
    assert "service_settings(" not in text
    assert "globals()" not in text


@pytest.mark.parametrize(
    ("redis_url", "database", "broker_url"),
    [
        ("redis://cache:6379/0", None, "redis://cache:6379/0"),
        ("redis://cache:6379/0", 13, "redis://cache:6379/13"),
        ("unix:///run/redis.sock", None, "redis+socket:///run/redis.sock"),
        ("unix:///run/redis.sock", 13, "redis+socket:///run/redis.sock?virtual_host=13"),
    ],
)
def test_the_broker_url_names_the_same_redis_the_way_celery_spells_it(
    redis_url, database, broker_url
):
    assert broker_url_from_redis(redis_url, database=database) == broker_url
