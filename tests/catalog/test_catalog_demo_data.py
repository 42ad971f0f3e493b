"""catalog's load_demo_data: a browsable catalog with stock; running it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.catalog.management.commands.load_demo_data import DEMO_STOCK
from apps.catalog.models import Category, Product
from apps.inventory.models import Stock

pytestmark = pytest.mark.django_db


def load_demo_data() -> str:
    output = StringIO()
    call_command("load_demo_data", stdout=output)
    return output.getvalue()


def test_demo_data_fills_at_least_four_categories_with_24_products():
    load_demo_data()

    assert Product.objects.count() >= 24
    assert Category.objects.count() >= 4
    assert all(category.products.exists() for category in Category.objects.all())


def test_every_demo_product_is_active_with_a_positive_price_and_stock():
    load_demo_data()

    products = Product.objects.select_related("stock")
    assert all(product.is_active and product.price > 0 for product in products)
    assert Stock.objects.count() == Product.objects.count()
    assert all(product.stock.on_hand > 0 and product.stock.reserved == 0 for product in products)


def test_running_demo_data_twice_changes_no_counts():
    load_demo_data()
    counts = (Category.objects.count(), Product.objects.count(), Stock.objects.count())

    load_demo_data()

    assert (Category.objects.count(), Product.objects.count(), Stock.objects.count()) == counts


def test_running_demo_data_again_keeps_stock_an_operator_changed():
    load_demo_data()
    stock = Stock.objects.order_by("product__sku").first()
    stock.on_hand = 3
    stock.save()

    load_demo_data()

    stock.refresh_from_db()
    assert stock.on_hand == 3


def test_demo_data_reports_what_is_present():
    output = load_demo_data()

    assert f"{Product.objects.count()} demo products in {Category.objects.count()}" in output


def test_every_demo_product_starts_with_a_hundred_on_hand():
    load_demo_data()

    assert set(Stock.objects.values_list("on_hand", flat=True)) == {DEMO_STOCK}
