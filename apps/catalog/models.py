"""Catalog records: categories and the products sold in them."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from iso4217 import Currency

from common.jobs import Job

# ISO 4217's current currencies that have two decimal places: every amount in Mercato has two
# (docs/events.md), so a price in yen or dinars could not be written as the currency has it.
CURRENCIES = frozenset(currency.code for currency in Currency if currency.exponent == 2)
NOT_A_CURRENCY = "Give an ISO 4217 currency code with two decimal places, such as EUR."


def validate_currency(code: str) -> None:
    if code not in CURRENCIES:
        raise ValidationError(NOT_A_CURRENCY, code="invalid_currency")


class Category(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sku = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="EUR", validators=[validate_currency])
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="catalog_product_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"),
                name="catalog_product_currency_iso_4217",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "category"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"


class ProductImport(Job):
    """A CSV file of products being upserted by sku; progress is saved with every chunk, so a
    worker that dies resumes where the last chunk committed."""

    # Kept in the database rather than on disk: the worker that runs the job may be elsewhere.
    source = models.TextField()
    file_name = models.CharField(max_length=255, blank=True)
    # Counted when the file is accepted, before the job is queued.
    total_rows = models.PositiveIntegerField()
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        progress = f"{self.processed_rows}/{self.total_rows}"
        return f"{self.file_name or 'import'} ({self.status}, {progress})"


class ProductImportError(models.Model):
    """A row the import skipped, by its row number in the file (the header is row 1)."""

    product_import = models.ForeignKey(
        ProductImport, on_delete=models.CASCADE, related_name="errors"
    )
    row = models.PositiveIntegerField()
    field = models.CharField(max_length=64)
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ("row", "id")

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"
