"""`kill -9` of every service's Celery worker under a steady order load, on Redis and on RabbitMQ:
each prefork child in turn (its main process rejects the task back and forks another), then each
main process in turn (the launcher starts it again, as Kubernetes would). Every order ends
terminal within a bound, none charged or reserved twice, the stock exact."""

import json
import os
import signal
import time
from collections.abc import Callable, Iterator

import pytest
import redis

from common.events.subscriptions import SUBSCRIPTIONS, events_queue
from services import SERVICE_NAMES
from tests.e2e.conftest import Platform
from tests.e2e.shop import Shop, StockWatch, eventually
from tests.faults.conftest import VISIBILITY_TIMEOUT_SECONDS, serving_shop
from tests.faults.crashes import (
    BOOT_SECONDS,
    REFUSALS,
    REPLACED_WITHIN_SECONDS,
    worker,
)
from tests.faults.load import Outcome, SteadyLoad, verify
from tests.faults.servers import PROVIDER_PATIENCE

pytestmark = pytest.mark.faults
RATE = 2
# What is left of a saga once its task runs again: a few event hops, each a task.
SAGA_SECONDS = 10
# From the last kill until every order in flight is terminal, by the slowest way back. A child's
# task is rejected back at once and its replacement forked at once. A main process is started
# again after the launcher's 1 s backoff and boots; meanwhile RabbitMQ requeues the messages it
# held as soon as its connection drops, Redis once they are VISIBILITY_TIMEOUT_SECONDS old, which
# every running worker checks every 5 s. Slowest of all, after either kill: payments killed
# between committing a payment and sending its charge task. The event that asked for the charge
# is done by then, so its redelivery sends nothing; payments' resume sweep sends the charge again
# once it has stalled.
CHARGE_RESENT_WITHIN_SECONDS = int(PROVIDER_PATIENCE["PAYMENT_STALLED_SECONDS"]) + int(
    PROVIDER_PATIENCE["PAYMENT_RESUME_SWEEP_SECONDS"]
)
CHILD_BOUND_SECONDS = max(5, CHARGE_RESENT_WITHIN_SECONDS) + SAGA_SECONDS
MAIN_BOUND_SECONDS = (
    max(1 + BOOT_SECONDS, VISIBILITY_TIMEOUT_SECONDS + 5, CHARGE_RESENT_WITHIN_SECONDS)
    + SAGA_SECONDS
)
# How long a kill waits for its worker to hold an event, so that the kill strands one a saga
# needs.
HOLD_WAIT_SECONDS = 5


@pytest.fixture(params=["redis", "rabbitmq"])
def broker(request) -> str:
    return request.param


@pytest.fixture
def crash_platform(request, broker) -> Platform:
    """The suite's platform on `broker`."""
    return request.getfixturevalue({"redis": "platform", "rabbitmq": "rabbitmq_platform"}[broker])


@pytest.fixture
def shop(crash_platform) -> Iterator[Shop]:
    yield from serving_shop(crash_platform)


def holding(platform: Platform, service: str) -> str:
    """Waits up to HOLD_WAIT_SECONDS for `service`'s worker to hold an event (any task for
    identity, which subscribes to none) and says how many messages it holds. On Redis kombu keeps
    each unacknowledged message with the queue it came from (the relay sends into queues by
    name); RabbitMQ shows no such thing fast enough to tell."""
    url = platform.environment["CELERY_BROKER_URL"]
    if not url.startswith("redis"):
        return "a moment under load"
    queues = {service, events_queue(service).name}
    awaited = {events_queue(service).name} if SUBSCRIPTIONS[service] else queues
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + HOLD_WAIT_SECONDS
    while True:
        held = [json.loads(record)[2] for record in client.hvals("unacked")]
        if awaited & set(held) or time.monotonic() > deadline:
            return f"{sum(queue in queues for queue in held)} held"
        time.sleep(0.005)


def kill_children(platform: Platform) -> list[str]:
    """Kills each service's prefork child in turn, each once the one before was replaced."""
    said = []
    for service in SERVICE_NAMES:
        main = worker(platform, service)
        [child] = main.children()
        held = holding(platform, service)
        child.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        eventually(
            lambda m=main, c=child: [p.pid for p in m.children() if p.pid != c.pid],
            timeout=REPLACED_WITHIN_SECONDS,
            every=0.05,
            what=f"a new child of {service}'s worker",
        )
        said.append(f"{service} ({held}) {time.monotonic() - killed_at:.1f} s")
    return said


def kill_mains(platform: Platform) -> list[str]:
    """Kills each service's worker main process in turn, each once the one before was started
    again by the launcher; returns once all have booted."""
    said = []
    for service in SERVICE_NAMES:
        main = worker(platform, service)
        held = holding(platform, service)
        os.kill(main.pid, signal.SIGKILL)
        killed_at = time.monotonic()

        def replaced(service=service, killed=main.pid) -> bool:
            try:
                return platform.process_group(service, "worker") != killed
            except LookupError:
                return False

        eventually(replaced, timeout=REPLACED_WITHIN_SECONDS, every=0.05, what=f"{service} back")
        said.append(f"{service} ({held}) {time.monotonic() - killed_at:.1f} s")
    for service in SERVICE_NAMES:
        worker(platform, service)
    return said


def crash_under_load(
    shop: Shop,
    product_id: str,
    *,
    kill: Callable[[Platform], list[str]],
    seconds: float,
    bound: float,
) -> tuple[Outcome, list[str]]:
    """Runs the load around `kill`, then checks it; returns the outcome and what `kill` said."""
    on_hand = shop.stock(product_id)["on_hand"]
    with StockWatch(shop, product_id, every=0.25) as watch:
        with SteadyLoad(shop, product_id=product_id, rate=RATE, seconds=seconds) as load:
            eventually(
                lambda: [p for p in load.placements if p.accepted],
                timeout=10,
                what="the load's first order accepted",
            )
            started = time.time()
            said = kill(shop.platform)
            ended = time.time()
        outcome = verify(
            load,
            watch=watch,
            on_hand_before=on_hand,
            fault_started_at=started,
            fault_ended_at=ended,
            settle_within=bound,
            refusals=REFUSALS,
        )
    return outcome, said


def test_each_services_worker_child_killed_mid_load_loses_no_order(
    shop, product_id, broker, reliability
):
    outcome, replaced = crash_under_load(
        shop, product_id, kill=kill_children, seconds=8, bound=CHILD_BOUND_SECONDS
    )
    reliability.record(
        fault=f"each Celery worker's prefork child killed ({broker})",
        injected=f"`kill -9` of every service's pool child in turn, {RATE} orders/s; replaced "
        f"after: {', '.join(replaced)}",
        checked=f"every order terminal within {CHILD_BOUND_SECONDS} s of the last kill; "
        "none charged or reserved twice; stock exact, never negative",
        outcome=outcome,
    )

    assert outcome.problems == [], "\n".join(outcome.problems)
    assert outcome.in_flight > 0
    assert outcome.recovery_seconds <= CHILD_BOUND_SECONDS


def test_each_services_worker_main_process_killed_mid_load_is_restarted_and_loses_no_order(
    shop, product_id, broker, reliability
):
    outcome, restarted = crash_under_load(
        shop, product_id, kill=kill_mains, seconds=12, bound=MAIN_BOUND_SECONDS
    )
    reliability.record(
        fault=f"each Celery worker's main process killed ({broker})",
        injected=f"`kill -9` of every service's worker main process in turn, {RATE} orders/s; "
        f"restarted by `make run`'s launcher after: {', '.join(restarted)}",
        checked=f"every order terminal within {MAIN_BOUND_SECONDS} s of the last kill; "
        "none charged or reserved twice; stock exact, never negative",
        outcome=outcome,
    )

    assert outcome.problems == [], "\n".join(outcome.problems)
    assert outcome.in_flight > 0
    assert outcome.recovery_seconds <= MAIN_BOUND_SECONDS
