"""The ownership matrix of orders: every default role and anonymous callers against another
customer's order and another person's export, on every route that names one or lists them."""

from apps.orders.models import OrderExport, OrderStatus
from common.jobs import JobStatus
from common.testing.ownership import Access, Listing
from tests.orders.conftest import order_in

SERVICE = "orders"
API = f"{SERVICE}/api/v1/"
# Whoever may export orders reads every export; anyone else only the ones they asked for.
EXPORT_OUTSIDERS = frozenset({"customer", "support", "catalog_manager", "service_orders"})


def pending_order(owner: str):
    return order_in(OrderStatus.PENDING, customer_id=owner)


def confirmed_order(owner: str):
    return order_in(OrderStatus.CONFIRMED, customer_id=owner)


def finished_export(owner: str) -> OrderExport:
    return OrderExport.objects.create(
        requested_by=owner, status=JobStatus.SUCCEEDED, row_count=0, content="id\r\n"
    )


ACCESSES = (
    Access(
        f"{API}orders/<uuid:order_id>/",
        "get",
        pending_order,
        allowed=frozenset({"support", "finance", "admin"}),
        hidden=frozenset({"customer"}),
    ),
    Access(
        f"{API}orders/<uuid:order_id>/cancel/",
        "post",
        pending_order,
        allowed=frozenset({"support", "admin"}),
        hidden=frozenset({"customer"}),
    ),
    Access(
        f"{API}orders/<uuid:order_id>/refund/",
        "post",
        confirmed_order,
        allowed=frozenset({"finance", "admin"}),
    ),
    Access(
        f"{API}orders/exports/<uuid:export_id>/",
        "get",
        finished_export,
        allowed=frozenset({"finance", "admin"}),
        hidden=EXPORT_OUTSIDERS,
    ),
    Access(
        f"{API}orders/exports/<uuid:export_id>/download/",
        "get",
        finished_export,
        allowed=frozenset({"finance", "admin"}),
        hidden=EXPORT_OUTSIDERS,
    ),
)
LISTINGS = (
    Listing(
        f"{API}orders/",
        pending_order,
        everyone=frozenset({"support", "finance", "admin"}),
        own=frozenset({"customer"}),
    ),
)
