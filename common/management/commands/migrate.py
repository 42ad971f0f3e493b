"""`migrate` that first creates the service's own database when the server does not have it yet."""

from typing import Any

import psycopg
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connections
from django.db.utils import OperationalError
from psycopg import errors, sql


def database_create_if_missing(*, alias: str) -> bool:
    """Creates the database `alias` names; False when it already existed."""
    connection = connections[alias]
    try:
        connection.ensure_connection()
        return False
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise
    parameters = connection.get_connection_params()
    name = parameters["dbname"]
    parameters["dbname"] = "postgres"
    with psycopg.connect(**parameters, autocommit=True) as server:
        try:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except errors.DuplicateDatabase:
            return False  # another service's migrate created it a moment ago
    return True


class Command(DjangoMigrateCommand):
    def handle(self, *args: Any, **options: Any) -> str | None:
        if database_create_if_missing(alias=options["database"]):
            self.stdout.write(
                f"Created database {connections[options['database']].settings_dict['NAME']}"
            )
        return super().handle(*args, **options)
