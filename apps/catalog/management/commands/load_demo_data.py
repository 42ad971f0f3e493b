"""`./manage.py catalog load_demo_data`: demo categories, products and stock, safe to run again."""

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.utils.text import slugify

from apps.catalog.services import category_upsert, product_upsert

# Enough for a demo session's checkouts; a second run leaves stock as orders and operators left it.
DEMO_STOCK = 100
DEMO_CATALOG = {
    ("coffee", "Coffee"): [
        ("Ethiopian Yirgacheffe", "14.50"),
        ("Colombian Supremo", "12.90"),
        ("Sumatra Mandheling", "13.75"),
        ("Espresso Blend", "11.20"),
        ("Decaf House Roast", "10.80"),
        ("Kenya AA", "15.40"),
        ("Guatemala Antigua", "13.10"),
    ],
    ("tea", "Tea"): [
        ("Darjeeling First Flush", "9.90"),
        ("Sencha Green", "8.40"),
        ("Earl Grey", "7.20"),
        ("Rooibos Vanilla", "6.90"),
        ("Jasmine Pearls", "12.30"),
        ("Assam Breakfast", "6.50"),
    ],
    ("brewing", "Brewing gear"): [
        ("Pour-over Dripper", "24.00"),
        ("Gooseneck Kettle", "49.00"),
        ("Burr Grinder", "129.00"),
        ("French Press", "34.50"),
        ("Paper Filters (100)", "5.90"),
        ("Digital Scale", "27.80"),
    ],
    ("mugs", "Mugs and cups"): [
        ("Stoneware Mug", "16.00"),
        ("Double-wall Glass", "19.50"),
        ("Travel Tumbler", "22.00"),
        ("Espresso Cups (2)", "18.40"),
        ("Teapot with Infuser", "31.00"),
    ],
}


class Command(BaseCommand):
    help = "Creates the demo categories, products and their stock unless they exist."

    def handle(self, *args, **options) -> None:
        count = 0
        for (category_slug, category_name), products in DEMO_CATALOG.items():
            category = category_upsert(slug=category_slug, name=category_name)
            for index, (name, price) in enumerate(products, start=1):
                count += 1
                product_upsert(
                    sku=f"{category_slug[:3].upper()}-{index:03d}",
                    name=name,
                    slug=slugify(name),
                    price=Decimal(price),
                    currency="EUR",
                    category=category,
                    description=f"{name}, from the Mercato demo catalog.",
                    initial_stock=DEMO_STOCK,
                )
        self.stdout.write(f"{count} demo products in {len(DEMO_CATALOG)} categories present")
