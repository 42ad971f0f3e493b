"""Catalog's and orders' tables, read as they are: this baseline migrates nothing."""

from django.db import models


class Category(models.Model):
    id = models.UUIDField(primary_key=True)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    description = models.TextField()

    class Meta:
        managed = False
        db_table = "catalog_category"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    id = models.UUIDField(primary_key=True)
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    description = models.TextField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    category = models.ForeignKey(Category, on_delete=models.PROTECT)
    is_active = models.BooleanField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "catalog_product"
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    id = models.UUIDField(primary_key=True)
    customer_id = models.UUIDField()
    status = models.CharField(max_length=20)
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    payment_method = models.CharField(max_length=64)
    cancel_reason = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "orders_order"
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return str(self.id)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product_id = models.UUIDField()
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField()

    class Meta:
        managed = False
        db_table = "orders_orderline"

    def __str__(self) -> str:
        return self.sku
