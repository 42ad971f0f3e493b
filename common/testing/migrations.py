"""Test helpers for data migrations: the test database taken to one migration and back again."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(app_label: str, migration: str) -> Apps:
    """Migrates the test database to `app_label`'s `migration` (back or forth) and returns the
    models as they were then."""
    executor = MigrationExecutor(connection)
    target = [(app_label, migration)]
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@contextmanager
def migrated_back(app_label: str, migration: str) -> Iterator[Apps]:
    """The models at `migration`, the database taken back there; every migration is applied
    again when the block ends, whatever happened in it. Needs `django_db(transaction=True)`."""
    try:
        yield migrate(app_label, migration)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
