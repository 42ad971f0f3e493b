"""Inventory commands: every change to stock and reservations goes through here."""

import uuid
from collections import Counter
from datetime import timedelta
from typing import TypedDict

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.catalog.models import Product
from apps.inventory.metrics import reservation_rejected_count
from apps.inventory.models import Reservation, Stock, StockAdjustment
from common.errors import ApplicationError
from common.events.outbox import publish

OUT_OF_STOCK = "out_of_stock"
UNKNOWN_PRODUCT = "unknown_product"
EXPIRED = "expired"
ADJUSTMENT_REFUSED = "The adjustment would take the units on hand out of range."
# PostgreSQL's integer, the column type of a PositiveIntegerField.
STOCK_MAXIMUM = 2_147_483_647
EXPIRY_BATCH_SIZE = 100

logger = structlog.get_logger(__name__)


class LineToReserve(TypedDict):
    """One line of an order.created event."""

    product_id: str
    quantity: int


class _Shortfall(Exception):
    """Raised inside the reservation savepoint so that every line held so far is rolled back."""

    def __init__(self, product_ids: list[str]) -> None:
        super().__init__(product_ids)
        self.product_ids = product_ids


@transaction.atomic
def stock_reserve(*, order_id: uuid.UUID | str, lines: list[LineToReserve]) -> Reservation | None:
    """Holds every line of the order or none of them, and publishes stock.reserved or
    stock.rejected. An order that already has a reservation is left as it is."""
    existing = Reservation.objects.filter(order_id=order_id).first()
    if existing is not None:
        return existing
    quantities: Counter[str] = Counter()
    for line in lines:
        quantities[str(line["product_id"])] += line["quantity"]
    known = {
        str(product_id)
        for product_id in Product.objects.filter(
            id__in=list(quantities), is_active=True
        ).values_list("id", flat=True)
    }
    if unknown := sorted(set(quantities) - known):
        _reject(order_id=order_id, reason=UNKNOWN_PRODUCT, product_ids=unknown)
        return None
    try:
        with transaction.atomic():
            # Created first: a second reservation of the same order waits on its unique order_id.
            reservation = Reservation.objects.create(
                order_id=order_id,
                expires_at=timezone.now() + timedelta(seconds=settings.RESERVATION_TTL_SECONDS),
            )
            _hold(reservation=reservation, quantities=quantities)
    except _Shortfall as shortfall:
        _reject(order_id=order_id, reason=OUT_OF_STOCK, product_ids=shortfall.product_ids)
        return None
    publish("stock.reserved", {"order_id": str(order_id)})
    return reservation


def _hold(*, reservation: Reservation, quantities: Counter[str]) -> None:
    """One conditional UPDATE per product, in product-id order so that concurrent orders lock
    rows in the same order and cannot deadlock; PostgreSQL rechecks the condition on the
    latest row version, so stock is never over-reserved."""
    short = []
    for product_id in sorted(quantities):
        quantity = quantities[product_id]
        held = Stock.objects.filter(
            product_id=product_id, on_hand__gte=F("reserved") + quantity
        ).update(reserved=F("reserved") + quantity)
        if not held:
            short.append(product_id)
    if short:
        raise _Shortfall(short)
    reservation.lines.bulk_create(
        reservation.lines.model(reservation=reservation, product_id=product_id, quantity=quantity)
        for product_id, quantity in sorted(quantities.items())
    )


def _reject(*, order_id: uuid.UUID | str, reason: str, product_ids: list[str]) -> None:
    publish(
        "stock.rejected",
        {"order_id": str(order_id), "reason": reason, "product_ids": product_ids},
    )
    reservation_rejected_count(reason=reason)


def _locked_reservation(*, order_id: uuid.UUID | str) -> Reservation | None:
    return Reservation.objects.select_for_update().filter(order_id=order_id).first()


def _ignored(
    reservation: Reservation | None, *, order_id: uuid.UUID | str, wanted: str, action: str
) -> bool:
    """True when the reservation is not in the state `action` starts from: a late or repeated
    event then changes nothing."""
    if reservation is not None and reservation.status == wanted:
        return False
    logger.info(
        "reservation_transition_skipped",
        order_id=str(order_id),
        action=action,
        status=reservation.status if reservation else None,
    )
    return True


def _lines(reservation: Reservation) -> list[tuple[uuid.UUID, int]]:
    return list(reservation.lines.order_by("product_id").values_list("product_id", "quantity"))


def _set_status(reservation: Reservation, status: str, *, release_reason: str = "") -> None:
    reservation.status = status
    reservation.release_reason = release_reason
    reservation.save(update_fields=["status", "release_reason", "updated_at"])


@transaction.atomic
def reservation_commit(*, order_id: uuid.UUID | str) -> Reservation | None:
    """The order is paid: the held units leave the shelf (on hand and reserved both drop)."""
    reservation = _locked_reservation(order_id=order_id)
    if _ignored(reservation, order_id=order_id, wanted=Reservation.Status.HELD, action="commit"):
        return reservation
    assert reservation is not None  # _ignored is True for a missing one
    for product_id, quantity in _lines(reservation):
        Stock.objects.filter(product_id=product_id).update(
            on_hand=F("on_hand") - quantity, reserved=F("reserved") - quantity
        )
    _set_status(reservation, Reservation.Status.COMMITTED)
    return reservation


@transaction.atomic
def reservation_release(*, order_id: uuid.UUID | str, reason: str) -> Reservation | None:
    """The order will not be paid: the held units become available again."""
    reservation = _locked_reservation(order_id=order_id)
    if _ignored(reservation, order_id=order_id, wanted=Reservation.Status.HELD, action="release"):
        return reservation
    assert reservation is not None  # _ignored is True for a missing one
    _release(reservation, reason=reason)
    return reservation


def _release(reservation: Reservation, *, reason: str) -> None:
    for product_id, quantity in _lines(reservation):
        Stock.objects.filter(product_id=product_id).update(reserved=F("reserved") - quantity)
    _set_status(reservation, Reservation.Status.RELEASED, release_reason=reason)
    publish("stock.released", {"order_id": str(reservation.order_id), "reason": reason})


@transaction.atomic
def reservation_return(*, order_id: uuid.UUID | str) -> Reservation | None:
    """The order was refunded: the units it took go back on the shelf."""
    reservation = _locked_reservation(order_id=order_id)
    if _ignored(
        reservation, order_id=order_id, wanted=Reservation.Status.COMMITTED, action="return"
    ):
        return reservation
    assert reservation is not None  # _ignored is True for a missing one
    for product_id, quantity in _lines(reservation):
        Stock.objects.filter(product_id=product_id).update(on_hand=F("on_hand") + quantity)
    _set_status(reservation, Reservation.Status.RETURNED)
    return reservation


def reservations_expire(*, batch_size: int = EXPIRY_BATCH_SIZE) -> int:
    """Releases held reservations past their expiry, a batch per transaction; rows another
    worker (or an order event) holds are skipped and left to the next sweep. Returns how many."""
    released = 0
    while True:
        with transaction.atomic():
            batch = list(
                Reservation.objects.select_for_update(skip_locked=True)
                .filter(status=Reservation.Status.HELD, expires_at__lte=timezone.now())
                .order_by("expires_at")[:batch_size]
            )
            for reservation in batch:
                _release(reservation, reason=EXPIRED)
        released += len(batch)
        if len(batch) < batch_size:
            return released


@transaction.atomic
def stock_adjust(*, product: Product, delta: int, reason: str, actor: str) -> Stock:
    """Adds `delta` (negative to remove) to the units on hand, never below what is reserved;
    the change is recorded with its reason and who made it."""
    Stock.objects.get_or_create(product=product)
    fits: dict[str, object]
    if delta < 0:
        fits = {"on_hand__gte": F("reserved") - delta}
    else:
        fits = {"on_hand__lte": STOCK_MAXIMUM - delta}
    changed = Stock.objects.filter(product=product, **fits).update(on_hand=F("on_hand") + delta)
    stock = Stock.objects.get(product=product)
    if not changed:
        if delta < 0:
            why = f"{stock.on_hand} on hand with {stock.reserved} reserved: at most "
            why += f"{stock.available} can be taken away."
        else:
            why = f"On hand cannot exceed {STOCK_MAXIMUM}."
        raise ApplicationError(
            ADJUSTMENT_REFUSED, status=409, code="stock_conflict", errors={"delta": [why]}
        )
    StockAdjustment.objects.create(
        product=product, delta=delta, on_hand_after=stock.on_hand, reason=reason, actor=actor
    )
    return stock
