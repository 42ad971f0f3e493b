"""catalog's web processes stop answering mid-load: orders refuses new orders fast with 503
`catalog_unavailable` through its breaker, the rest keeps serving, and all recovers by itself."""

import os
import signal
import time

import pytest

from common.observability.metrics import BREAKER_STATE_VALUES
from tests.e2e.shop import StockWatch, eventually
from tests.faults.load import SteadyLoad, readiness_while, verify

pytestmark = pytest.mark.faults
OUTAGE_SECONDS = 10
# The breaker stays open 30 s (common/clients/http.py) before it lets a call probe catalog again.
SETTLE_SECONDS = 60


def test_orders_are_refused_fast_while_catalog_is_down_and_all_recovers(
    platform, shop, product_id, reliability
):
    on_hand = shop.stock(product_id)["on_hand"]
    catalog_web = platform.process_group("catalog", "web")

    with StockWatch(shop, product_id, every=0.25) as watch:
        with SteadyLoad(shop, product_id=product_id, rate=2, seconds=20) as load:
            time.sleep(4)
            # Frozen, not killed: connections hang as to a wedged host, and no supervisor
            # restarts it early.
            os.killpg(catalog_web, signal.SIGSTOP)
            started = time.time()
            try:
                time.sleep(OUTAGE_SECONDS)
            finally:
                os.killpg(catalog_web, signal.SIGCONT)
            ended = time.time()
            # Each orders process has its breaker, opened by its own five failures in a row, and
            # its readiness shows only that one; /metrics shows the highest of them all.
            breaker = shop.metric("orders", "mercato_circuit_breaker_state", target="catalog")
        outcome = verify(
            load,
            watch=watch,
            on_hand_before=on_hand,
            fault_started_at=started,
            fault_ended_at=ended,
            settle_within=SETTLE_SECONDS,
            refusals=frozenset({"catalog_unavailable"}),
        )
    # The load ends while orders' breaker still refuses (30 s): wait for it here.
    eventually(
        lambda: (
            shop.place(load.customer["token"], [(product_id, 1)], "pm_card_ok").status_code == 201
        ),
        timeout=SETTLE_SECONDS,
        every=1,
        what="orders being accepted again",
    )
    outcome.recovery_seconds = max(outcome.recovery_seconds, time.time() - ended)
    reliability.record(
        fault="catalog's web processes stopped",
        injected=f"SIGSTOP of catalog-web's process group for {OUTAGE_SECONDS} s, 2 orders/s",
        checked="placements accepted or refused with 503 catalog_unavailable and Retry-After; "
        "orders' breaker open on /metrics by the outage's end, its readiness OK after; every "
        f"order terminal within {SETTLE_SECONDS} s; the load's stock exact",
        outcome=outcome,
    )

    assert outcome.problems == [], "\n".join(outcome.problems)
    assert outcome.refused > 0, "catalog's outage refused no order"
    assert outcome.accepted > 0, "no order was accepted, before the outage either"
    assert breaker == BREAKER_STATE_VALUES["open"], f"orders' catalog breaker reads {breaker}"
    assert eventually(
        lambda: readiness_while(shop, "orders", seconds=0.1) == ["200 OK"],
        timeout=SETTLE_SECONDS,
        every=1,
        what="orders ready again",
    )
