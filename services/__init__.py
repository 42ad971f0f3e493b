"""The five Mercato services: their names and the port each serves on locally."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    name: str
    port_offset: int
    demo_data: bool = False
    # Runs a Celery beat beside its worker: the services that publish events (beat sweeps their
    # outbox) or whose work is periodic (key-rotation housekeeping, reservation
    # expiry, saga deadlines, webhook deliveries left behind). The chart and compose start beat
    # for the same services.
    beat: bool = False
    # Migrated at every `make run` even when no migration changed: identity's migrate also brings
    # the default roles, signing keys and mounted service accounts up to date (its apps.py).
    migrate_every_start: bool = False

    def port(self, base_port: int) -> int:
        return base_port + self.port_offset


# The apps each service owns are listed in its settings.py; what each owns is in the README.
SERVICES = (
    Service("identity", 1, demo_data=True, beat=True, migrate_every_start=True),
    Service("catalog", 2, demo_data=True, beat=True),
    Service("orders", 3, beat=True),
    Service("payments", 4, beat=True),
    Service("notifications", 5, beat=True),
)
SERVICE_NAMES = tuple(service.name for service in SERVICES)
DEFAULT_BASE_PORT = 8000
