"""Moves one app's schema to a named migration, for the tests that pin a data migration."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(app_label: str, migration: str) -> Apps:
    """Applies or unapplies `app_label`'s migrations up to `migration`; returns its models then."""
    target = [(app_label, migration)]
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@contextmanager
def at_migration(app_label: str, migration: str) -> Iterator[Apps]:
    """The app's schema at `migration` for the block, then at its latest migration again."""
    try:
        yield migrate(app_label, migration)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes(app_label))
