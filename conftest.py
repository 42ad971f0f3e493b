"""Root conftest: shares common/testing's fixtures with every suite."""

pytest_plugins = [
    "common.testing.fixtures",
    "common.testing.tokens",
    "common.testing.events",
    "common.testing.servers",
    "common.testing.catalog",
]
