"""Client suites: a stand-in catalog on a real local port."""

from common.testing.orders import catalog_stub  # noqa: F401 - a fixture for these suites
