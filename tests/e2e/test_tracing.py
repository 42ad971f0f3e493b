"""With tracing on, one order is one trace across the services its saga goes through: HTTP calls
and Celery tasks carry it in their headers, events in their envelope's traceparent."""

import secrets
import time
import uuid

import pytest

from tests.e2e.shop import answered, eventually

pytestmark = pytest.mark.e2e
# Every service an order paid by card goes through (identity's keys are cached by then).
SAGA_SERVICES = {"orders", "catalog", "payments", "notifications"}


def test_one_order_is_one_trace_through_every_service_of_its_saga(shop, traces):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5)
    # As a traced gateway in front would send it: the order's trace is this request's.
    trace_id, caller_span_id = secrets.token_hex(16), secrets.token_hex(8)
    traces.follow(trace_id)
    idempotency_key = str(uuid.uuid4())

    # A 503 is to be retried after its Retry-After: on a loaded machine, identity may take longer
    # than orders waits to hand out orders' first service token.
    for _ in range(3):
        placed = shop.place(
            customer["token"],
            [(product_id, 1)],
            "pm_card_ok",
            key=idempotency_key,
            headers={"traceparent": f"00-{trace_id}-{caller_span_id}-01"},
        )
        if placed.status_code != 503:
            break
        time.sleep(int(placed.headers["Retry-After"]))

    order_id = answered(placed, 201).json()["id"]
    assert shop.settled(customer["token"], order_id)["status"] == "CONFIRMED"

    def seen() -> dict[str, list[str]]:
        """Each service's spans of the trace so far, as `role: name`."""
        spans: dict[str, list[str]] = {}
        for span in traces.spans_of(trace_id):
            spans.setdefault(span.service, []).append(f"{span.role}: {span.name}")
        return spans

    def orphans() -> list[str]:
        """Spans whose parent is not (yet) in the trace, but for the caller's."""
        spans = traces.spans_of(trace_id)
        span_ids = {span.span_id for span in spans} | {caller_span_id}
        return [f"{s.service} {s.name}" for s in spans if s.parent_span_id not in span_ids]

    eventually(
        lambda: (
            seen().keys() >= SAGA_SERVICES
            and "worker: handle order.confirmed" in seen()["notifications"]
            and not orphans()
        ),
        timeout=30,
        what=lambda: (
            f"one tree of spans from {sorted(SAGA_SERVICES)} in trace {trace_id}; "
            f"seen: {seen()}; without their parent: {orphans()}"
        ),
    )
    roles = {span.role for span in traces.spans_of(trace_id)}
    assert roles == {"web", "worker"}, seen()
