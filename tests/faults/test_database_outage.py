"""orders' PostgreSQL goes away for 10 s mid-load: orders answers 503 problem+json with Retry-After
meanwhile, not 500, and recovers without a restart of any of its processes."""

import time

import pytest

from tests.e2e.shop import StockWatch
from tests.faults.load import SteadyLoad, readiness_while, verify
from tests.faults.servers import DATABASE_FAULT_SERVICE

pytestmark = pytest.mark.faults
OUTAGE_SECONDS = 10
# Deliveries that found the database down are retried with a backoff capped at 30 s.
SETTLE_SECONDS = 60


def test_orders_answers_503_while_its_database_is_gone_and_recovers_by_itself(
    platform, shop, product_id, database_relay, reliability
):
    on_hand = shop.stock(product_id)["on_hand"]
    processes_before = {p.pid for p in platform.leftover_processes()}

    with StockWatch(shop, product_id, every=0.25) as watch:
        with SteadyLoad(shop, product_id=product_id, rate=2, seconds=OUTAGE_SECONDS + 5) as load:
            time.sleep(3)
            database_relay.cut()
            started = time.time()
            try:
                ready = readiness_while(shop, DATABASE_FAULT_SERVICE, seconds=OUTAGE_SECONDS)
            finally:
                database_relay.restore()
            ended = time.time()
        outcome = verify(
            load,
            watch=watch,
            on_hand_before=on_hand,
            fault_started_at=started,
            fault_ended_at=ended,
            settle_within=SETTLE_SECONDS,
            refusals=frozenset({"database_unavailable"}),
        )
    reliability.record(
        fault=f"{DATABASE_FAULT_SERVICE}' PostgreSQL stopped",
        injected=f"every connection to {DATABASE_FAULT_SERVICE}' database cut and refused for "
        f"{OUTAGE_SECONDS} s, 2 orders/s",
        checked="placements accepted or refused with 503 database_unavailable and Retry-After; "
        f"readiness 503 meanwhile; every order terminal within {SETTLE_SECONDS} s; the load's "
        "stock exact; no process restarted",
        outcome=outcome,
    )

    assert outcome.problems == [], "\n".join(outcome.problems)
    assert outcome.refused > 0, "the outage refused no order"
    assert "503 UNAVAILABLE" in ready, ready
    assert {p.pid for p in platform.leftover_processes()} == processes_before
