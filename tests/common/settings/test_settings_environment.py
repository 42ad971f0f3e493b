"""Environment parsing: a missing or malformed variable is refused with a message naming it."""

import pytest

from common.settings import environment
from common.settings.environment import ConfigurationError


@pytest.mark.parametrize(
    "value",
    [
        "not a url",
        "mysql://mercato@db.internal/mercato",
        "postgresql://",
        "postgresql://mercato@db.internal:notaport/mercato",
        "postgresql://mercato@db.internal:99999/mercato",
        "postgresql://mercato@[::1/mercato",
    ],
)
def test_a_malformed_database_url_is_refused_naming_database_url(monkeypatch, value):
    monkeypatch.setenv("DATABASE_URL", value)

    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        environment.database("DATABASE_URL", service="catalog")


def test_a_missing_database_url_is_refused_naming_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    with pytest.raises(ConfigurationError, match="DATABASE_URL is required"):
        environment.database("DATABASE_URL", service="catalog")


def test_a_refused_url_does_not_repeat_its_password(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://mercato:s3cret-pw@db.internal/mercato")

    with pytest.raises(ConfigurationError, match="DATABASE_URL") as refused:
        environment.database("DATABASE_URL", service="catalog")

    assert "s3cret-pw" not in str(refused.value)
    assert "mysql://mercato:***@db.internal/mercato" in str(refused.value)


def test_the_service_placeholder_names_one_database_per_service(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://mercato:pw@db.internal:5433/mercato_{service}")

    database = environment.database("DATABASE_URL", service="orders")

    assert database["NAME"] == "mercato_orders"
    assert database["HOST"] == "db.internal"
    assert database["PORT"] == 5433
    assert database["USER"] == "mercato"


@pytest.mark.parametrize(
    "value", ["postgresql://mercato:pw@db.internal:5432", "postgresql://mercato:pw@db.internal/"]
)
def test_a_url_without_a_database_name_gets_the_services_own_database(monkeypatch, value):
    monkeypatch.setenv("DATABASE_URL", value)

    database = environment.database("DATABASE_URL", service="payments")

    assert database["NAME"] == "mercato_payments"
    assert database["HOST"] == "db.internal"


def test_a_services_own_database_url_wins_for_that_service_only(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://mercato@db.internal/mercato_{service}")
    monkeypatch.setenv("ORDERS_DATABASE_URL", "postgresql://orders@orders-db.internal/orders")

    orders = environment.database("DATABASE_URL", service="orders")
    catalog = environment.database("DATABASE_URL", service="catalog")

    assert (orders["HOST"], orders["NAME"]) == ("orders-db.internal", "orders")
    assert (catalog["HOST"], catalog["NAME"]) == ("db.internal", "mercato_catalog")


def test_a_malformed_own_database_url_is_refused_naming_it(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://mercato@db.internal/mercato_{service}")
    monkeypatch.setenv("ORDERS_DATABASE_URL", "mysql://orders@orders-db.internal/orders")

    with pytest.raises(ConfigurationError, match="ORDERS_DATABASE_URL"):
        environment.database("DATABASE_URL", service="orders")


def test_a_url_without_a_port_leaves_the_port_to_the_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://mercato@db.internal/mercato_catalog")

    assert "PORT" not in environment.database("DATABASE_URL", service="catalog")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[("1", True), ("TRUE", True), ("yes", True), ("on", True)],
        *[("0", False), ("False", False), ("no", False), ("off", False), ("", False)],
    ],
)
def test_boolean_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("MERCATO_FLAG", value)

    assert environment.boolean("MERCATO_FLAG", default=False) is expected


def test_boolean_refuses_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv("MERCATO_FLAG", "maybe")

    with pytest.raises(ConfigurationError, match="MERCATO_FLAG must be true or false"):
        environment.boolean("MERCATO_FLAG", default=False)


def test_integer_reads_a_whole_number_and_defaults_when_unset(monkeypatch):
    monkeypatch.setenv("MERCATO_NUMBER", "42")
    assert environment.integer("MERCATO_NUMBER", default=7) == 42

    monkeypatch.delenv("MERCATO_NUMBER")
    assert environment.integer("MERCATO_NUMBER", default=7) == 7


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "MERCATO_NUMBER must be a whole number"),
        ("-1", "MERCATO_NUMBER must be at least 0"),
    ],
)
def test_integer_refuses_bad_values_naming_the_variable(monkeypatch, value, message):
    monkeypatch.setenv("MERCATO_NUMBER", value)

    with pytest.raises(ConfigurationError, match=message):
        environment.integer("MERCATO_NUMBER", default=7)


def test_choice_accepts_a_listed_value_and_refuses_others_naming_the_variable(monkeypatch):
    monkeypatch.setenv("MERCATO_MODE", "fast")
    assert environment.choice("MERCATO_MODE", default="slow", choices=("slow", "fast")) == "fast"

    monkeypatch.setenv("MERCATO_MODE", "warp")
    with pytest.raises(ConfigurationError, match="MERCATO_MODE must be one of slow, fast"):
        environment.choice("MERCATO_MODE", default="slow", choices=("slow", "fast"))


def test_text_refuses_an_empty_value_naming_the_variable(monkeypatch):
    monkeypatch.setenv("MERCATO_TEXT", "")

    with pytest.raises(ConfigurationError, match="MERCATO_TEXT is required"):
        environment.text("MERCATO_TEXT")


def test_hosts_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("MERCATO_HOSTS", " shop.example , ,10.0.0.7,")

    assert environment.hosts("MERCATO_HOSTS", default="localhost") == ["shop.example", "10.0.0.7"]
