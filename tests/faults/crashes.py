"""What the crash faults share: finding a service's worker as the launcher runs it, and what they
allow for."""

import psutil

from tests.e2e.conftest import Platform
from tests.e2e.shop import eventually

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
