"""Orders' metrics: placements, the statuses orders end in, and how long the saga took."""

from prometheus_client import Counter, Histogram

from apps.orders.models import Order, OrderStatus
from common.observability.metrics import count_on_commit

# Statuses an order settles in: the checkout saga ends in CONFIRMED or CANCELLED, a refund in
# REFUNDED. Only the saga's own two end its duration.
SAGA_END_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.CANCELLED)
# The reasons the platform itself cancels for; a person's cancel carries their own words, which
# would make a label without bound, so it is counted as `requested`.
SYSTEM_CANCEL_REASONS = frozenset({"out_of_stock", "unknown_product", "payment_failed", "timeout"})
REQUESTED = "requested"
SAGA_DURATION_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600)

ORDERS_PLACED = Counter("mercato_orders_placed", "Orders placed (committed PENDING).")
ORDERS_TERMINAL = Counter(
    "mercato_orders_terminal",
    "Orders that reached CONFIRMED, CANCELLED or REFUNDED, by status and cancel reason.",
    ["status", "reason"],
)
SAGA_DURATION = Histogram(
    "mercato_saga_duration_seconds",
    "Seconds from an order's placement to the end of its checkout saga, by the status it ended in.",
    ["status"],
    buckets=SAGA_DURATION_BUCKETS,
)


def order_placed_count() -> None:
    count_on_commit(ORDERS_PLACED.inc)


def order_settled_count(order: Order) -> None:
    """Counts `order`, just moved to a status it settles in, once the move commits."""
    status = str(order.status)
    reason = ""
    if status == OrderStatus.CANCELLED:
        reason = order.cancel_reason if order.cancel_reason in SYSTEM_CANCEL_REASONS else REQUESTED
    created_at, settled_at = order.created_at, order.updated_at

    def count() -> None:
        ORDERS_TERMINAL.labels(status=status, reason=reason).inc()
        if status in SAGA_END_STATUSES:
            SAGA_DURATION.labels(status=status).observe((settled_at - created_at).total_seconds())

    count_on_commit(count)
