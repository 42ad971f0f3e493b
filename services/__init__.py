"""The five Mercato services: their names and the port each serves on locally."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    name: str
    port_offset: int
    summary: str
    demo_data: bool = False

    def port(self, base_port: int) -> int:
        return base_port + self.port_offset


SERVICES = (
    Service("identity", 1, "users, roles, service accounts, signing keys", demo_data=True),
    Service("catalog", 2, "categories, products, prices, stock", demo_data=True),
    Service("orders", 3, "orders, lines, status history, the checkout saga"),
    Service("payments", 4, "payments, refunds, provider calls"),
    Service("notifications", 5, "user directory, e-mails, webhooks"),
)
SERVICE_NAMES = tuple(service.name for service in SERVICES)
DEFAULT_BASE_PORT = 8000
