"""factory-boy factories for catalog's models."""

from decimal import Decimal

import factory

from apps.catalog.models import Category, Product


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda number: f"Category {number}")
    slug = factory.Sequence(lambda number: f"category-{number}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda number: f"SKU-{number:05d}")
    name = factory.Sequence(lambda number: f"Product {number}")
    slug = factory.Sequence(lambda number: f"product-{number}")
    price = Decimal("10.00")
    currency = "EUR"
    category = factory.SubFactory(CategoryFactory)
