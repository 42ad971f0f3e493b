"""What the crash faults share: finding a service's worker as the launcher runs it, and a platform
that takes orders before a fault hits it."""

import psutil

from tests.e2e.conftest import Platform
from tests.e2e.shop import Shop, eventually

# A killed worker's replacement runs within this long: the launcher's first backoff is 1 s, and it
# looks every half second; billiard forks a new child at once.
REPLACED_WITHIN_SECONDS = 10
# A worker boots (Django, Celery, its pool) within this long on two busy cores.
BOOT_SECONDS = 30
# The whole platform shares two cores, and a fault makes workers boot or catch up at once:
# orders' price call to catalog may time out, and the placement is then refused fast, as it must
# be, to be tried again. Any other refusal fails the fault.
REFUSALS = frozenset({"catalog_unavailable"})


def worker(platform: Platform, service: str) -> psutil.Process:
    """The main process of `service`'s worker, once its pool has its child."""

    def running() -> psutil.Process | None:
        try:
            main = psutil.Process(platform.process_group(service, "worker"))
            return main if main.children() else None
        except (LookupError, psutil.NoSuchProcess):
            return None

    return eventually(
        running,
        timeout=REPLACED_WITHIN_SECONDS + BOOT_SECONDS,
        every=0.1,
        what=f"{service}'s worker running",
    )


def settled_order(shop: Shop, product_id: str) -> None:
    """Waits until the platform takes an order and settles it, stock included: the fault hits a
    platform that works (the first service token, a cold cache, a previous fault's breaker), and
    the stock the fault's load starts from stays put."""
    customer = shop.new_customer()

    def placed() -> str | None:
        response = shop.place(customer["token"], [(product_id, 1)], "pm_card_ok")
        return response.json()["id"] if response.status_code == 201 else None

    order_id = eventually(placed, timeout=60, every=1, what="an order accepted")
    shop.settled(customer["token"], order_id, timeout=60)
    # Catalog commits the order's stock once it hears the order is confirmed.
    eventually(
        lambda: shop.stock(product_id)["reserved"] == 0,
        timeout=60,
        what="the order's stock committed",
    )
