"""Orders reads: what a viewer may see, with everything the API renders loaded up front."""

import uuid
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from rest_framework import status

from apps.orders.models import Order, OrderExport, OrderLine, OrderStatus, OrderStatusChange
from apps.orders.scopes import ORDER_EXPORT, ORDER_READ_ANY
from common.auth.permissions import get_owned_or_404, owned_or_any
from common.auth.users import TokenUser
from common.dashboards.periods import counted_by_hour
from common.errors import ApplicationError
from common.jobs import JobStatus

# The columns the order list shows, in its order, and an export's CSV has;
# `order_rows_with_lines` reads the list's lines.
ORDER_LIST_FIELDS = (
    "id",
    "customer_id",
    "status",
    "currency",
    "total",
    "payment_method",
    "cancel_reason",
    "created_at",
    "updated_at",
)
ORDER_LINE_FIELDS = ("product_id", "sku", "name", "unit_price", "quantity")
EXPORT_NOT_READY = "The export has no CSV yet; it can be downloaded once the job has SUCCEEDED."


def order_list(*, viewer: TokenUser) -> QuerySet[Order, dict[str, Any]]:
    """Every order for `orders.order.read_any`, otherwise the viewer's own, as rows of the columns
    the list shows: the list reads rows, not model instances, as it renders tens per request."""
    orders = Order.objects.values(*ORDER_LIST_FIELDS)
    return owned_or_any(orders, viewer=viewer, any_scope=ORDER_READ_ANY)


def order_rows_with_lines(*, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`orders` (rows of `order_list`), each given its `lines` (rows of ORDER_LINE_FIELDS in the
    order they were placed), all read in one query."""
    lines: dict[uuid.UUID, list[dict[str, Any]]] = {order["id"]: [] for order in orders}
    for order_id, *values in (
        OrderLine.objects.filter(order_id__in=lines)
        .order_by("id")
        .values_list("order_id", *ORDER_LINE_FIELDS)
    ):
        lines[order_id].append(dict(zip(ORDER_LINE_FIELDS, values, strict=True)))
    return [{**order, "lines": lines[order["id"]]} for order in orders]


def order_get(*, viewer: TokenUser, order_id: uuid.UUID, any_scope: str = ORDER_READ_ANY) -> Order:
    """One order with its lines and history; another customer's order is a 404."""
    orders = Order.objects.prefetch_related("lines", "history")
    return get_owned_or_404(orders, viewer=viewer, any_scope=any_scope, id=order_id)


def order_export_get(*, viewer: TokenUser, export_id: uuid.UUID) -> OrderExport:
    """An export job, seen by whoever requested it and by holders of `orders.order.export`."""
    return get_owned_or_404(
        OrderExport.objects.all(),
        viewer=viewer,
        any_scope=ORDER_EXPORT,
        owner_field="requested_by",
        id=export_id,
    )


def order_export_file(*, viewer: TokenUser, export_id: uuid.UUID) -> OrderExport:
    """A finished export job, for its CSV; 409 while it is still being written or has failed."""
    export = order_export_get(viewer=viewer, export_id=export_id)
    if export.status != JobStatus.SUCCEEDED:
        raise ApplicationError(
            EXPORT_NOT_READY,
            status=status.HTTP_409_CONFLICT,
            code="export_not_ready",
            extra={"export_status": export.status},
        )
    return export


def order_counts_by_hour_and_status(*, since: datetime) -> dict[tuple[datetime, str], int]:
    """Orders placed since `since`, counted by the hour they were placed in (the current
    timezone's) and the status they are in now; one query, grouped in SQL."""
    counted = counted_by_hour(
        Order.objects.filter(created_at__gte=since), at="created_at", by=("status",)
    )
    return {(hour, order_status): count for hour, order_status, count in counted}


def cancellation_counts_by_reason(*, since: datetime, limit: int) -> list[tuple[str, int]]:
    """The `limit` most frequent reasons orders were cancelled for since `since`, most first."""
    return list(
        OrderStatusChange.objects.filter(to_status=OrderStatus.CANCELLED, at__gte=since)
        .values_list("reason")
        .annotate(count=Count("id"))
        .order_by("-count", "reason")[:limit]
    )
