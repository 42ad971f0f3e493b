"""The payment provider stops answering for a while mid-load: each charge is tried a bounded
number of times, then the order is cancelled and its stock released; none is charged twice."""

import time
from collections import Counter

import pytest

from tests.e2e.shop import StockWatch
from tests.faults.load import SteadyLoad, customer_payments, verify
from tests.faults.servers import PROVIDER_PATIENCE

pytestmark = pytest.mark.faults
# Longer than a charge's three attempts take (1 s each, backoff of up to 1 then 2 s between).
OUTAGE_SECONDS = 10
# Every attempt of a stalled charge waits PAYMENTS_PROVIDER_TIMEOUT_SECONDS, one at a time on
# payments' single worker process: the backlog drains within this.
SETTLE_SECONDS = 60
ATTEMPTS = int(PROVIDER_PATIENCE["PAYMENT_MAX_RETRIES"]) + 1


def test_a_provider_that_times_out_gets_bounded_retries_then_the_order_is_cancelled(
    platform, shop, product_id, payment_provider, reliability
):
    on_hand = shop.stock(product_id)["on_hand"]

    with StockWatch(shop, product_id, every=0.25) as watch:
        with SteadyLoad(shop, product_id=product_id, rate=1, seconds=OUTAGE_SECONDS + 4) as load:
            time.sleep(2)
            # Longer than the provider timeout: every call made meanwhile times out.
            payment_provider.delay = int(PROVIDER_PATIENCE["PAYMENTS_PROVIDER_TIMEOUT_SECONDS"]) + 1
            started = time.time()
            try:
                time.sleep(OUTAGE_SECONDS)
            finally:
                payment_provider.delay = 0
            ended = time.time()
        outcome = verify(
            load,
            watch=watch,
            on_hand_before=on_hand,
            fault_started_at=started,
            fault_ended_at=ended,
            settle_within=SETTLE_SECONDS,
        )
    payments = customer_payments(shop, load.customer["token"])
    reliability.record(
        fault="the payment provider times out",
        injected=f"every provider call unanswered past its 1 s timeout for {OUTAGE_SECONDS} s, "
        "1 order/s",
        checked=f"at most {ATTEMPTS} attempts per charge, then the order CANCELLED and its stock "
        f"released; every order terminal within {SETTLE_SECONDS} s; none charged twice",
        outcome=outcome,
    )

    assert outcome.problems == [], "\n".join(outcome.problems)
    assert max(payment["attempts"] for payment in payments) <= ATTEMPTS, payments
    given_up = Counter(p["failure_reason"] for p in payments if p["status"] == "FAILED")
    assert given_up == {"provider_unavailable": outcome.statuses["CANCELLED"]}, payments
    assert outcome.statuses["CANCELLED"] > 0, f"no charge was given up on: {payments}"
