"""Stock levels; the database itself refuses negative or over-reserved stock."""

from django.db import models

from apps.catalog.models import Product


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
