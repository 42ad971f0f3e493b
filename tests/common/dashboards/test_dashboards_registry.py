"""The dashboards' registry: an app's panels are found by autodiscovery, and only those whose
scope the operator holds are built, in their position's order."""

from common.dashboards.charts import Panel
from common.dashboards.registry import Registry, discover


def test_panels_are_built_only_for_the_scopes_held_in_position_order():
    registry = Registry()
    built = []

    def panel(title: str):
        def build() -> Panel:
            built.append(title)
            return Panel(title=title)

        return build

    registry.panel(read_scope="catalog.event.read", position=100)(panel("Dead letters"))
    registry.panel(read_scope="catalog.stock.read")(panel("Stock"))
    registry.panel(read_scope="catalog.product.write")(panel("Secret"))

    shown = registry.panels_for(frozenset({"catalog.stock.read", "catalog.event.read"}))

    assert [shown_panel.title for shown_panel in shown] == ["Stock", "Dead letters"]
    assert built == ["Stock", "Dead letters"]


def test_discovery_finds_the_dashboard_modules_of_the_installed_apps():
    names = {entry.build.__module__ for entry in discover().registered}

    assert {"apps.inventory.dashboard", "common.events.dashboard"} <= names
    assert "apps.orders.dashboard" not in names
