"""Stock, the reservations holding it for orders, and adjustments; never below zero or over-held."""

import uuid

from django.db import models

from apps.catalog.models import Product

# The most units a product may be given on hand at once (a new product, an import row): far
# beyond any warehouse, and far enough below the column's limit that deliveries still fit.
MAXIMUM_STOCK = 1_000_000_000


class Stock(models.Model):
    product = models.OneToOneField(
        Product, primary_key=True, on_delete=models.CASCADE, related_name="stock"
    )
    on_hand = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("on_hand")),
                name="inventory_stock_reserved_within_on_hand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.available} available"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Reservation(models.Model):
    """The stock held for one order: all of its lines, from order.created until the order is
    confirmed (committed), cancelled or left unpaid past `expires_at` (released), or refunded
    (returned)."""

    class Status(models.TextChoices):
        HELD = "HELD", "Held"
        COMMITTED = "COMMITTED", "Committed"
        RELEASED = "RELEASED", "Released"
        RETURNED = "RETURNED", "Returned"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order_id = models.UUIDField(unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.HELD)
    expires_at = models.DateTimeField()
    release_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            # The expiry sweep reads only held reservations whose time is up.
            models.Index(
                fields=["expires_at"],
                condition=models.Q(status="HELD"),
                name="inventory_reservation_held",
            )
        ]

    def __str__(self) -> str:
        return f"order {self.order_id}: {self.status}"


class ReservationLine(models.Model):
    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ("product_id",)
        constraints = [
            models.UniqueConstraint(
                fields=("reservation", "product"), name="inventory_reservation_line_once"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="inventory_reservation_line_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.product_id}"


class StockAdjustment(models.Model):
    """Why on_hand changed by hand, and who changed it: the trail an operator audits."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    delta = models.IntegerField()
    on_hand_after = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    actor = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.product_id}: {self.delta:+d} ({self.reason})"
