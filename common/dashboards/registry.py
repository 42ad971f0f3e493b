"""Which panels a service's admin index shows: each app's `dashboard.py` registers its panels
here with the scope that may read their figures, found like `admin.py`, by autodiscovery."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.utils.module_loading import autodiscover_modules

from common.dashboards.charts import Panel

PanelBuilder = Callable[[], Panel]


@dataclass(frozen=True)
class RegisteredPanel:
    read_scope: str
    build: PanelBuilder
    position: int


@dataclass
class Registry:
    registered: list[RegisteredPanel] = field(default_factory=list)

    def panel(
        self, *, read_scope: str, position: int = 0
    ) -> Callable[[PanelBuilder], PanelBuilder]:
        """Registers the decorated function, which reads its figures and returns its panel.
        Panels are shown by `position`, then in the order they were registered."""

        def register(build: PanelBuilder) -> PanelBuilder:
            self.registered.append(RegisteredPanel(read_scope, build, position))
            return build

        return register

    def panels_for(self, scopes: frozenset[str]) -> list[Panel]:
        """The panels an operator holding `scopes` may read; only those read the database."""
        shown = sorted(
            (entry for entry in self.registered if entry.read_scope in scopes),
            key=lambda entry: entry.position,
        )
        return [entry.build() for entry in shown]


dashboards = Registry()


@cache
def discover() -> Registry:
    """Imports every installed app's `dashboard` module, once per process."""
    autodiscover_modules("dashboard")
    return dashboards
