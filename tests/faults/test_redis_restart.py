"""The platform's Redis (broker and cache) killed for 15 s mid-load, then started again, empty as
CI's and `make run`'s Redis, or from its append-only file: no event is lost, writes are accepted
meanwhile, and reads never fail for want of the cache."""

import time

import pytest
import requests

from tests.e2e.shop import StockWatch
from tests.faults.load import REQUEST_TIMEOUT_SECONDS, SteadyLoad, verify

pytestmark = pytest.mark.faults
OUTAGE_SECONDS = 15
# Workers reconnect with Celery's backoff (after 2, 6, 12, 20, 30 s...: up to 15 s after a 15 s
# outage), then the outbox sweep (every 2 s here, QUICK_RETRIES) resends what is owed and the
# backlog drains. A charge whose task could not be sent during the outage waits for payments'
# resume sweep (60 s after it stalled, PROVIDER_PATIENCE): 90 s after the load.
SETTLE_SECONDS = 90


@pytest.mark.parametrize("persistent", [False, True], ids=["empty", "persistent"])
def test_a_redis_restart_loses_no_event_and_the_shop_keeps_serving(
    platform, shop, product_id, redis_server, reliability, persistent
):
    on_hand = shop.stock(product_id)["on_hand"]
    if persistent:
        redis_server.persist()

    with StockWatch(shop, product_id, every=0.25) as watch:
        with SteadyLoad(shop, product_id=product_id, rate=2, seconds=OUTAGE_SECONDS + 8) as load:
            time.sleep(3)
            redis_server.stop()
            started = time.time()
            try:
                reads = read_while(shop, load.customer["token"], seconds=OUTAGE_SECONDS)
            finally:
                redis_server.start(persistent=persistent)
            ended = time.time()
        outcome = verify(
            load,
            watch=watch,
            on_hand_before=on_hand,
            fault_started_at=started,
            fault_ended_at=ended,
            settle_within=SETTLE_SECONDS,
            # Pricing an order needs a service token, which identity (hashing its secret) may be
            # too slow to give while every process reconnects at once.
            refusals=frozenset({"catalog_unavailable"}),
        )
    reliability.record(
        fault=f"Redis restarted {'from its append-only file' if persistent else 'empty'}",
        injected=f"SIGKILL of the Redis holding broker and cache, back after {OUTAGE_SECONDS} s, "
        "2 orders/s",
        checked="every placement accepted or refused with a 503 and Retry-After; reads answered "
        "without the cache; every order "
        f"terminal within {SETTLE_SECONDS} s; the load's stock exact",
        outcome=outcome,
    )

    assert outcome.problems == [], "\n".join(outcome.problems)
    failed_reads = [read for read in reads + watch.failures if not read.startswith("200")]
    assert failed_reads == [], "\n".join(failed_reads)


def read_while(shop, token: str, *, seconds: float) -> list[str]:
    """Reads of every service's API a customer makes, over and over for `seconds`: each answer's
    status and the start of its body."""
    paths = [
        ("catalog", "products/"),
        ("orders", "orders/"),
        ("payments", "payments/"),
        ("identity", "users/me/"),
    ]
    answers = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for service, path in paths:
            try:
                response = shop.call(
                    "GET", service, path, token=token, timeout=REQUEST_TIMEOUT_SECONDS
                )
            except requests.RequestException as error:
                answers.append(f"{service} {path}: {error!r}")
            else:
                answers.append(f"{response.status_code} {service} {path}: {response.text[:200]}")
        time.sleep(0.5)
    return answers
