"""`migrate` creates the service's database on a server that does not have it yet."""

import uuid

import psycopg
import pytest
from django.db import connections
from psycopg import sql

from common.management.commands.migrate import database_create_if_missing


@pytest.fixture
def missing_database(django_db_blocker):
    """A connection alias naming a database the server does not have; dropped afterwards.

    Outside pytest-django's test databases on purpose: creating databases is the point.
    """
    name = f"mercato_scratch_{uuid.uuid4().hex[:12]}"
    connections.settings["scratch"] = {**connections["default"].settings_dict, "NAME": name}
    with django_db_blocker.unblock():
        yield name
        connections["scratch"].close()
    del connections["scratch"]
    del connections.settings["scratch"]
    parameters = {**connections["default"].get_connection_params(), "dbname": "postgres"}
    with psycopg.connect(**parameters, autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def test_a_missing_database_is_created_and_then_reachable(missing_database):
    assert database_create_if_missing(alias="scratch") is True

    with connections["scratch"].cursor() as cursor:
        cursor.execute("SELECT current_database()")
        assert cursor.fetchone() == (missing_database,)


def test_an_existing_database_is_left_as_it_is(missing_database):
    database_create_if_missing(alias="scratch")

    assert database_create_if_missing(alias="scratch") is False
