"""Inventory's metrics: the reservations refused, by reason."""

from prometheus_client import Counter

from common.observability.metrics import count_on_commit

STOCK_RESERVATIONS_REJECTED = Counter(
    "mercato_stock_reservations_rejected",
    "Orders whose stock could not be reserved, by reason: out_of_stock or unknown_product.",
    ["reason"],
)


def reservation_rejected_count(*, reason: str) -> None:
    count_on_commit(STOCK_RESERVATIONS_REJECTED.labels(reason=reason).inc)
