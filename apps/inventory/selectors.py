"""Inventory reads."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce

from apps.catalog.models import Product
from apps.inventory.models import Reservation, Stock


def product_stock_list(*, include_archived: bool = False) -> QuerySet[Product]:
    """Products with their stock row joined (a product may have none yet: nothing on hand)."""
    products = Product.objects.select_related("stock")
    return products if include_archived else products.filter(is_active=True)


def stock_of(product: Product) -> Stock:
    """`product`'s stock as loaded with it, or an unsaved empty one when it has no row."""
    try:
        return product.stock
    except Stock.DoesNotExist:
        return Stock(product=product)


@dataclass(frozen=True)
class LowStock:
    """The products selling out first, and how many are at or below the threshold in all."""

    products: list[tuple[str, str, int]]
    count: int


def products_low_on_stock(*, threshold: int, limit: int) -> LowStock:
    """Products on sale with at most `threshold` units available (a product without a stock row
    has none), the `limit` lowest first; one query, the count taken over the same rows."""
    low = (
        Product.objects.filter(is_active=True)
        .annotate(available=Coalesce(F("stock__on_hand") - F("stock__reserved"), Value(0)))
        .filter(available__lte=threshold)
        .annotate(low_count=Window(Count("pk")))
        .order_by("available", "name", "id")
        .values_list("sku", "name", "available", "low_count")[:limit]
    )
    rows = list(low)
    return LowStock(
        products=[(sku, name, available) for sku, name, available, _ in rows],
        count=rows[0][3] if rows else 0,
    )


@dataclass(frozen=True)
class HeldReservations:
    """Reservations holding stock now, by when they expire; `units` is all stock held."""

    expired: int
    within_five_minutes: int
    within_fifteen_minutes: int
    later: int
    units: int


def held_reservations(*, now: datetime) -> HeldReservations:
    """Held reservations by how soon they expire (an expired one awaits the release sweep),
    in one query over the held ones' index, and the units held, in one over stock."""
    five_minutes, fifteen_minutes = now + timedelta(minutes=5), now + timedelta(minutes=15)
    counts = Reservation.objects.filter(status=Reservation.Status.HELD).aggregate(
        expired=Count("id", filter=Q(expires_at__lte=now)),
        within_five_minutes=Count("id", filter=Q(expires_at__gt=now, expires_at__lte=five_minutes)),
        within_fifteen_minutes=Count(
            "id", filter=Q(expires_at__gt=five_minutes, expires_at__lte=fifteen_minutes)
        ),
        later=Count("id", filter=Q(expires_at__gt=fifteen_minutes)),
    )
    units = Stock.objects.aggregate(units=Coalesce(Sum("reserved"), 0))["units"]
    return HeldReservations(**counts, units=units)
