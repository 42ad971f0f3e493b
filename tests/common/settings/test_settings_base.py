"""service_settings: a service's whole settings dict, built and validated from the environment."""

import pytest

from common.settings import ConfigurationError, service_settings
from common.settings.base import broker_url_from_redis


@pytest.fixture
def environment(monkeypatch):
    """A complete, valid production-like environment that each test then breaks in one place."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://mercato:pw@db.internal:5432/mercato_{service}")
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    for name in ("LOG_LEVEL", "LOG_FORMAT", "DATABASE_CONN_MAX_AGE", "ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_valid_environment_gives_the_services_database_and_urls(environment):
    settings = service_settings(service="catalog", apps=[])

    assert settings["DATABASES"]["default"]["NAME"] == "mercato_catalog"
    assert settings["ROOT_URLCONF"] == "services.catalog.urls"
    assert settings["STATIC_URL"] == "/catalog/static/"
    assert settings["SECRET_KEY"] == "a-real-secret"
    assert settings["DEBUG"] is False


def test_a_malformed_database_url_stops_start_up_naming_database_url(environment):
    environment.setenv("DATABASE_URL", "postgres//db.internal/mercato")

    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        service_settings(service="catalog", apps=[])


def test_a_missing_secret_key_without_debug_stops_start_up_naming_secret_key(environment):
    environment.delenv("SECRET_KEY")

    with pytest.raises(ConfigurationError, match="SECRET_KEY is required"):
        service_settings(service="catalog", apps=[])


def test_debug_without_a_secret_key_uses_a_development_key(environment):
    environment.delenv("SECRET_KEY")
    environment.setenv("DEBUG", "true")

    assert service_settings(service="catalog", apps=[])["SECRET_KEY"] == "local-development-only"


def test_a_database_url_without_a_name_gets_the_services_own_database(environment):
    environment.setenv("DATABASE_URL", "postgresql://mercato:pw@db.internal:5432")

    database = service_settings(service="identity", apps=[])["DATABASES"]["default"]

    assert database["NAME"] == "mercato_identity"


def test_the_broker_defaults_to_the_redis_url(environment):
    assert service_settings(service="catalog", apps=[])["CELERY_BROKER_URL"] == (
        "redis://cache.internal:6379/0"
    )


def test_a_unix_socket_redis_url_becomes_a_redis_socket_broker_url(environment):
    environment.setenv("REDIS_URL", "unix:///run/redis/redis.sock")

    settings = service_settings(service="catalog", apps=[])

    assert settings["CELERY_BROKER_URL"] == "redis+socket:///run/redis/redis.sock"
    assert settings["CACHES"]["default"]["LOCATION"] == "unix:///run/redis/redis.sock"


def test_an_explicit_broker_url_wins_over_the_redis_url(environment):
    environment.setenv("CELERY_BROKER_URL", "amqp://mercato:pw@rabbit.internal:5672//")

    assert service_settings(service="catalog", apps=[])["CELERY_BROKER_URL"] == (
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
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(environment, name, value):
    environment.setenv(name, value)

    with pytest.raises(ConfigurationError, match=f"^{name} "):
        service_settings(service="catalog", apps=[])


def test_the_services_apps_follow_the_shared_ones(environment):
    installed = service_settings(service="orders", apps=["apps.orders"])["INSTALLED_APPS"]

    assert installed[-1] == "apps.orders"
    assert "common" in installed


def test_a_custom_user_model_is_set_only_when_given(environment):
    assert "AUTH_USER_MODEL" not in service_settings(service="catalog", apps=[])
    identity = service_settings(service="identity", apps=[], user_model="accounts.User")
    assert identity["AUTH_USER_MODEL"] == "accounts.User"


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
