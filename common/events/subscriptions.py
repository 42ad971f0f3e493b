"""Who listens to what: the one table every publisher declares queues and bindings from.

kombu on Redis keeps a topic binding only once the queue has been declared, so a publisher
declares every subscriber's queue before its first message; an event published before a
subscriber ever started then waits in that subscriber's durable queue.
"""

from kombu import Exchange, Queue, binding

EXCHANGE = Exchange("mercato.events", type="topic", durable=True)

SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "identity": (),
    "catalog": ("order.created", "order.confirmed", "order.cancelled", "order.refunded"),
    "orders": (
        "stock.reserved",
        "stock.rejected",
        "payment.succeeded",
        "payment.failed",
        "payment.refunded",
    ),
    "payments": ("order.payment_requested", "order.refund_requested"),
    "notifications": (
        "user.registered",
        "user.updated",
        "order.created",
        "order.confirmed",
        "order.cancelled",
        "order.refunded",
    ),
}


def events_queue(service: str) -> Queue:
    """`<service>.events`: durable, bound to each type `service` subscribes to."""
    return Queue(
        f"{service}.events",
        bindings=[
            binding(EXCHANGE, routing_key=event_type) for event_type in SUBSCRIPTIONS[service]
        ],
        durable=True,
    )


def subscriber_queues() -> list[Queue]:
    return [events_queue(service) for service, types in SUBSCRIPTIONS.items() if types]


def subscribers_of(event_type: str) -> list[str]:
    return [service for service, types in SUBSCRIPTIONS.items() if event_type in types]
