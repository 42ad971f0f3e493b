"""Order commands: placing an order, every step of the checkout saga, cancelling and refunding."""

import csv
import io
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypedDict

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import status

from apps.orders.metrics import order_placed_count, order_settled_count
from apps.orders.models import UNPAID_STATUSES, Order, OrderExport, OrderLine, OrderStatus
from apps.orders.selectors import ORDER_LIST_FIELDS
from common.celery import enqueue_after_commit
from common.clients.catalog import product_prices
from common.clients.http import ServiceUnavailable
from common.errors import ApplicationError
from common.events.outbox import publish
from common.jobs import (
    FINISHED_STATUSES,
    JobProgress,
    JobStatus,
    job_failure_recorded,
    jobs_requeue_stale,
)

CATALOG_UNAVAILABLE = "The catalog cannot price this order right now; try again in a moment."
UNKNOWN_PRODUCTS = "Some products are unknown or no longer sold."
MIXED_CURRENCIES = "All products of one order must be priced in the same currency."
TOTAL_TOO_LARGE = "The order's total is more than one order may hold."
NOT_A_CUSTOMER = "Only a customer's token may place an order."
ORDER_NOT_CANCELLABLE = "Only an order that is not paid yet can be cancelled."
ORDER_NOT_REFUNDABLE = "Only a confirmed order can be refunded."
CENT = Decimal("0.01")
TOTAL_COLUMN = Order._meta.get_field("total")
# What the total column holds: catalog caps each price, not what quantities make of them.
MAXIMUM_TOTAL = Decimal(10) ** (TOTAL_COLUMN.max_digits - TOTAL_COLUMN.decimal_places) - CENT
ORDER_EXPORT_TASK = "orders.export_run"

logger = structlog.get_logger(__name__)


class LineOrdered(TypedDict):
    product_id: uuid.UUID
    quantity: int


def money(amount: Decimal) -> str:
    return str(amount.quantize(CENT))


def order_lines_data(order: Order) -> list[dict[str, object]]:
    return [
        {
            "product_id": str(line.product_id),
            "sku": line.sku,
            "name": line.name,
            "quantity": line.quantity,
            "unit_price": money(line.unit_price),
        }
        for line in order.lines.all()
    ]


def order_summary_data(order: Order) -> dict[str, object]:
    """What order.confirmed, order.cancelled and order.refunded tell catalog and notifications."""
    return {
        "order_id": str(order.id),
        "customer_id": str(order.customer_id),
        "total": money(order.total),
        "currency": order.currency,
        "lines": order_lines_data(order),
    }


def charge_data(order: Order) -> dict[str, object]:
    """The money part of order.payment_requested and order.refund_requested."""
    return {
        "order_id": str(order.id),
        "customer_id": str(order.customer_id),
        "amount": money(order.total),
        "currency": order.currency,
    }


def order_place(*, customer_id: str, lines: list[LineOrdered], payment_method: str) -> Order:
    """A PENDING order of `lines` (`product_id`, `quantity`) at the catalog's current prices,
    announced by order.created in the same transaction."""
    try:
        customer = uuid.UUID(customer_id)
    except ValueError:
        raise ApplicationError(NOT_A_CUSTOMER, status=403, code="permission_denied") from None
    try:
        prices = product_prices(product_ids=[line["product_id"] for line in lines])
    except ServiceUnavailable as failure:
        logger.warning("catalog_unavailable", reason=failure.reason)
        raise ApplicationError(
            CATALOG_UNAVAILABLE,
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            code="catalog_unavailable",
        ) from None
    unknown = [
        str(line["product_id"])
        for line in lines
        if line["product_id"] not in prices or not prices[line["product_id"]].is_active
    ]
    if unknown:
        raise ApplicationError(
            UNKNOWN_PRODUCTS,
            code="unknown_products",
            errors={"lines": [f"Unknown or unavailable products: {', '.join(unknown)}."]},
        )
    currencies = {prices[line["product_id"]].currency for line in lines}
    if len(currencies) > 1:
        raise ApplicationError(
            MIXED_CURRENCIES,
            code="mixed_currencies",
            errors={"lines": [f"Priced in {', '.join(sorted(currencies))}."]},
        )
    total = sum((prices[line["product_id"]].price * line["quantity"] for line in lines), Decimal(0))
    if total > MAXIMUM_TOTAL:
        raise ApplicationError(
            TOTAL_TOO_LARGE,
            code="total_too_large",
            errors={"lines": [f"The total may be at most {MAXIMUM_TOTAL}; split the order."]},
        )
    with transaction.atomic():
        order = Order.objects.create(
            customer_id=customer,
            currency=currencies.pop(),
            total=total.quantize(CENT),
            payment_method=payment_method,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product_id=line["product_id"],
                sku=prices[line["product_id"]].sku,
                name=prices[line["product_id"]].name,
                unit_price=prices[line["product_id"]].price,
                quantity=line["quantity"],
            )
            for line in lines
        )
        order.history.create(to_status=OrderStatus.PENDING, reason="placed", actor=str(customer))
        publish(
            "order.created",
            {
                "order_id": str(order.id),
                "customer_id": str(customer),
                "lines": [
                    {"product_id": str(line["product_id"]), "quantity": line["quantity"]}
                    for line in lines
                ],
            },
        )
        order_placed_count()
    return order


def locked_order(order_id: str | uuid.UUID) -> Order | None:
    """The order, held until the transaction ends so concurrent events and requests queue up."""
    return Order.objects.select_for_update().filter(id=order_id).first()


def order_for_transition(
    order_id: str | uuid.UUID, next_status: str, *, message: str, code: str
) -> Order:
    """The order, locked, when it may move to `next_status`; a 409 with `message` and `code`
    (and the order's status) when it may not or does not exist."""
    order = locked_order(order_id)
    if order is None or not order.can_transition_to(next_status):
        raise ApplicationError(
            message,
            status=status.HTTP_409_CONFLICT,
            code=code,
            extra={"order_status": order.status if order else None},
        )
    return order


def order_at_step(*, order_id: str, event_type: str, statuses: tuple[str, ...]) -> Order | None:
    """The order, locked, when it is in one of `statuses`; None when it is missing or elsewhere:
    redelivered and late events land there and change nothing."""
    order = locked_order(order_id)
    if order is None:
        logger.warning("event_for_unknown_order", order_id=str(order_id), event_type=event_type)
    elif order.status not in statuses:
        logger.info(
            "event_not_applicable", order_id=order_id, event_type=event_type, status=order.status
        )
    else:
        return order
    return None


@transaction.atomic
def order_mark_reserved(*, order_id: str, actor: str) -> None:
    """stock.reserved: the order awaits payment, which order.payment_requested asks for."""
    order = order_at_step(
        order_id=order_id,
        event_type="stock.reserved",
        statuses=(OrderStatus.PENDING, OrderStatus.CANCELLED),
    )
    if order is None:
        return
    if order.status == OrderStatus.CANCELLED:
        # The cancel overtook the reservation at catalog, which found nothing to release then:
        # saying it again lets the stock go now instead of when the reservation expires.
        publish("order.cancelled", {**order_summary_data(order), "reason": order.cancel_reason})
        return
    order.transition(OrderStatus.AWAITING_PAYMENT, reason="stock reserved", actor=actor)
    publish(
        "order.payment_requested", {**charge_data(order), "payment_method": order.payment_method}
    )


@transaction.atomic
def order_cancel(*, order_id: str | uuid.UUID, reason: str, actor: str) -> Order:
    """Cancels an unpaid order and tells catalog to release its stock; 409 once it is paid."""
    order = order_for_transition(
        order_id, OrderStatus.CANCELLED, message=ORDER_NOT_CANCELLABLE, code="order_not_cancellable"
    )
    cancel(order, reason=reason, actor=actor)
    return order


def cancel(order: Order, *, reason: str, actor: str) -> None:
    order.transition(OrderStatus.CANCELLED, reason=reason, actor=actor)
    publish("order.cancelled", {**order_summary_data(order), "reason": reason})
    order_settled_count(order)


@transaction.atomic
def order_mark_rejected(*, order_id: str, reason: str, actor: str) -> None:
    """stock.rejected: nothing was reserved, so the order is cancelled with catalog's reason."""
    order = order_at_step(
        order_id=order_id, event_type="stock.rejected", statuses=(OrderStatus.PENDING,)
    )
    if order is not None:
        cancel(order, reason=reason, actor=actor)


@transaction.atomic
def order_mark_paid(*, order_id: str, actor: str) -> None:
    """payment.succeeded: the order is confirmed; a payment for a cancelled order goes back."""
    order = order_at_step(
        order_id=order_id,
        event_type="payment.succeeded",
        statuses=(OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED),
    )
    if order is None:
        return
    if order.status == OrderStatus.CANCELLED:
        logger.warning("late_payment_refunded", order_id=order_id)
        publish("order.refund_requested", charge_data(order))
        return
    order.transition(OrderStatus.CONFIRMED, reason="paid", actor=actor)
    publish("order.confirmed", order_summary_data(order))
    order_settled_count(order)


@transaction.atomic
def order_mark_payment_failed(*, order_id: str, actor: str) -> None:
    """payment.failed: the order is cancelled and catalog releases its stock."""
    order = order_at_step(
        order_id=order_id, event_type="payment.failed", statuses=(OrderStatus.AWAITING_PAYMENT,)
    )
    if order is not None:
        cancel(order, reason="payment_failed", actor=actor)


@transaction.atomic
def order_refund(*, order_id: str | uuid.UUID, actor: str) -> Order:
    """Asks payments to refund a confirmed order; 409 in any other status."""
    order = order_for_transition(
        order_id,
        OrderStatus.REFUND_PENDING,
        message=ORDER_NOT_REFUNDABLE,
        code="order_not_refundable",
    )
    order.transition(OrderStatus.REFUND_PENDING, reason="refund requested", actor=actor)
    publish("order.refund_requested", charge_data(order))
    return order


@transaction.atomic
def order_mark_refunded(*, order_id: str, actor: str) -> None:
    """payment.refunded: the money is back; catalog returns the stock."""
    order = order_at_step(
        order_id=order_id, event_type="payment.refunded", statuses=(OrderStatus.REFUND_PENDING,)
    )
    if order is None:
        return
    order.transition(OrderStatus.REFUNDED, reason="refunded", actor=actor)
    publish("order.refunded", order_summary_data(order))
    order_settled_count(order)


def orders_expire_unpaid(*, now: datetime | None = None, batch_size: int = 100) -> int:
    """Cancels (reason `timeout`) the orders still unpaid ORDER_SAGA_TIMEOUT_SECONDS after they
    were placed, one batch per transaction; rows another worker holds are left to it."""
    deadline = (now or timezone.now()) - timedelta(seconds=settings.ORDER_SAGA_TIMEOUT_SECONDS)
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                Order.objects.select_for_update(skip_locked=True)
                .prefetch_related("lines")
                .filter(status__in=UNPAID_STATUSES, created_at__lt=deadline)
                .order_by("created_at")[:batch_size]
            )
            for order in batch:
                cancel(order, reason="timeout", actor="system")
        expired += len(batch)
        if len(batch) < batch_size:
            return expired


# Rows an export writes between two saves of its progress: one fetch from the database.
EXPORT_PROGRESS_ROWS = 2000


@transaction.atomic
def order_export_request(*, requested_by: str, filters: dict[str, object]) -> OrderExport:
    """A QUEUED export job; a worker writes its CSV once this transaction has committed."""
    export = OrderExport.objects.create(requested_by=requested_by, filters=filters)
    enqueue_after_commit(ORDER_EXPORT_TASK, str(export.id))
    return export


def order_export_run(*, export_id: str | uuid.UUID) -> OrderExport:
    """Writes the CSV of the orders matching the job's filters into the job, once it succeeds.
    A job still RUNNING is run again: its worker was killed, and the task delivered anew."""
    with transaction.atomic():
        export = OrderExport.objects.select_for_update().get(id=export_id)
        if export.status in FINISHED_STATUSES:
            return export
        export.status = JobStatus.RUNNING
        export.save(update_fields=["status"])
    with job_failure_recorded(model=OrderExport, job_id=export.id):
        export.content, export.row_count = orders_csv(filters=export.filters, export_id=export.id)
    export.status = JobStatus.SUCCEEDED
    export.finished_at = timezone.now()
    # Orders placed or changed while it ran may leave the count taken at its start off.
    export.total_rows = export.processed_rows = export.row_count
    export.save(
        update_fields=[
            "content",
            "row_count",
            "total_rows",
            "processed_rows",
            "status",
            "finished_at",
        ]
    )
    return export


def order_exports_requeue() -> int:
    """Sends again the exports whose task was lost; see common.jobs.jobs_requeue_stale."""
    return jobs_requeue_stale(model=OrderExport, task_name=ORDER_EXPORT_TASK)


def orders_csv(*, filters: dict[str, object], export_id: uuid.UUID) -> tuple[str, int]:
    """The CSV of the orders matching `filters`, oldest first, and its number of data rows; the
    export's progress is saved as each batch of rows is written."""
    orders = Order.objects.order_by("created_at", "id").filter(**export_lookups(filters))
    progress = JobProgress(
        model=OrderExport,
        job_id=export_id,
        total_rows=orders.count(),
        every_rows=EXPORT_PROGRESS_ROWS,
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ORDER_LIST_FIELDS)
    for row in orders.values_list(*ORDER_LIST_FIELDS).iterator(chunk_size=EXPORT_PROGRESS_ROWS):
        writer.writerow(row)
        progress.advance()
    return buffer.getvalue(), progress.processed_rows


def export_lookups(filters: dict[str, object]) -> dict[str, object]:
    lookups = {}
    if filters.get("status"):
        lookups["status"] = filters["status"]
    if filters.get("created_after"):
        lookups["created_at__gte"] = filters["created_after"]
    if filters.get("created_before"):
        lookups["created_at__lt"] = filters["created_before"]
    return lookups
