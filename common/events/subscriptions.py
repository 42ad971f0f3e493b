"""Who listens to what: the one table the relay reads to put each event into the queue of every
service that subscribes to its type. A publisher declares the queue before it sends, so an event
published before a subscriber ever started waits in that subscriber's durable queue.
"""

from kombu import Queue

SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "identity": (),
    # user.* keep the people read model the admin names customers by (common/operator_admin/people).
    "catalog": (
        "user.registered",
        "user.updated",
        "order.created",
        "order.confirmed",
        "order.cancelled",
        "order.refunded",
    ),
    "orders": (
        "user.registered",
        "user.updated",
        "stock.reserved",
        "stock.rejected",
        "payment.succeeded",
        "payment.failed",
        "payment.refunded",
    ),
    "payments": (
        "user.registered",
        "user.updated",
        "order.payment_requested",
        "order.refund_requested",
    ),
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
    """`<service>.events`: durable; the relay puts into it the events `service` subscribes to."""
    return Queue(f"{service}.events", durable=True)


def subscribers_of(event_type: str) -> list[str]:
    return [service for service, types in SUBSCRIPTIONS.items() if event_type in types]
