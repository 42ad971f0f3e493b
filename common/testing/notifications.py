"""Test helpers for notifications: directory entries, webhook endpoints, order event data and a
local HTTP receiver standing in for a customer's webhook endpoint."""

import http.server
import threading
import uuid
from dataclasses import dataclass, field

import factory
from django.utils import timezone

from apps.notifications.models import WEBHOOK_EVENT_TYPES, Recipient, WebhookEndpoint
from apps.notifications.signing import webhook_secret_generate


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    user_id = factory.LazyFunction(uuid.uuid4)
    email = factory.Sequence(lambda number: f"customer{number}@mercato.test")
    full_name = factory.Sequence(lambda number: f"Customer {number}")
    as_of = factory.LazyFunction(timezone.now)


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    owner_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    url = "https://hooks.example.com/mercato"
    event_types = factory.LazyFunction(lambda: list(WEBHOOK_EVENT_TYPES))
    secret = factory.LazyFunction(webhook_secret_generate)


def order_event_data(event_type: str, *, customer_id, order_id=None) -> dict:
    """Schema-valid data of an order event about `customer_id`'s order (one line of two teas)."""
    order_id = str(order_id or uuid.uuid4())
    product_id = str(uuid.uuid4())
    if event_type == "order.created":
        lines = [{"product_id": product_id, "quantity": 2}]
        return {"order_id": order_id, "customer_id": str(customer_id), "lines": lines}
    data = {
        "order_id": order_id,
        "customer_id": str(customer_id),
        "total": "14.40",
        "currency": "EUR",
        "lines": [
            {
                "product_id": product_id,
                "sku": "TEA-EARL",
                "name": "Earl Grey",
                "quantity": 2,
                "unit_price": "7.20",
            }
        ],
    }
    if event_type == "order.cancelled":
        data["reason"] = "payment_declined"
    return data


@dataclass
class Received:
    """One request the receiver got; header names in lower case."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    """An HTTP server on 127.0.0.1 answering each POST with the next of `statuses` (the last one
    repeats) and keeping what it received."""

    server: http.server.ThreadingHTTPServer
    statuses: list[int] = field(default_factory=lambda: [204])
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/mercato?shop=1"

    def answer(self) -> int:
        return self.statuses[min(len(self.received) - 1, len(self.statuses) - 1)]


def webhook_receiver_start() -> WebhookReceiver:
    receiver: WebhookReceiver

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            receiver.received.append(
                Received(
                    path=self.path,
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=body,
                )
            )
            self.send_response(receiver.answer())
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format, *args) -> None:
            """Quiet: pytest shows what matters."""

    receiver = WebhookReceiver(server=http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    threading.Thread(
        target=receiver.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return receiver
