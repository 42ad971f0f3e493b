"""Orders reads: what a viewer may see, with everything the API renders loaded up front."""

import uuid

from django.db.models import QuerySet
from rest_framework import status

from apps.orders.models import Order, OrderExport
from apps.orders.scopes import ORDER_EXPORT, ORDER_READ_ANY
from common.api.errors import ApplicationError
from common.auth.permissions import get_owned_or_404, owned_or_any
from common.auth.users import TokenUser
from common.jobs import JobStatus

EXPORT_NOT_READY = "The export has no CSV yet; it can be downloaded once the job has SUCCEEDED."


def order_list(*, viewer: TokenUser) -> QuerySet[Order]:
    """Every order for `orders.order.read_any`, otherwise the viewer's own."""
    orders = Order.objects.prefetch_related("lines")
    return owned_or_any(orders, viewer=viewer, any_scope=ORDER_READ_ANY)


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
