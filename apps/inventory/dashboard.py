"""The catalog admin's dashboard: the products running out of stock, and the stock held for
orders by when its reservations expire."""

from django.conf import settings
from django.utils import timezone

from apps.inventory.scopes import STOCK_READ
from apps.inventory.selectors import held_reservations, products_low_on_stock
from common.dashboards.charts import BarChart, Panel
from common.dashboards.registry import dashboards

# At or below this many units available, a product is running low.
LOW_STOCK_THRESHOLD = 10
MOST_PRODUCTS = 10


@dashboards.panel(read_scope=STOCK_READ)
def stock_running_low() -> Panel:
    low = products_low_on_stock(threshold=LOW_STOCK_THRESHOLD, limit=MOST_PRODUCTS)
    return Panel(
        title="Stock running low",
        note=f"{low.count} products on sale have {LOW_STOCK_THRESHOLD} units or fewer available "
        f"(on hand less reserved); the {MOST_PRODUCTS} lowest are shown.",
        chart=BarChart(
            title=f"Units available of the products with {LOW_STOCK_THRESHOLD} or fewer",
            rows=tuple((f"{sku} {name}", available) for sku, name, available in low.products),
        ),
    )


@dashboards.panel(read_scope=STOCK_READ)
def reservations_expiring() -> Panel:
    held = held_reservations(now=timezone.now())
    minutes = settings.RESERVATION_TTL_SECONDS // 60
    return Panel(
        title="Reservations held",
        note=f"{held.units} units are held for orders awaiting payment. A reservation nobody "
        f"commits is released {minutes} minutes after it was made; an expired one awaits the "
        "release sweep.",
        chart=BarChart(
            title="Held reservations by when they expire",
            rows=(
                ("Expired, awaiting release", held.expired),
                ("Expiring within 5 minutes", held.within_five_minutes),
                ("Expiring in 5 to 15 minutes", held.within_fifteen_minutes),
                ("Expiring later", held.later),
            ),
        ),
    )
