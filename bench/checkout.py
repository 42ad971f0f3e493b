"""Orders placed open loop (on a schedule, whatever the answers), each order's placement →
CONFIRMED latency read from its own status history, and the event relay's latency read from the
outboxes and inboxes those orders went through."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
import requests

from bench.figures import Step, arrival_offsets, latency_summary
from services import SERVICE_NAMES
from tests.e2e.shop import TERMINAL, Shop

REQUEST_TIMEOUT_SECONDS = 30
# Enough for every POST of the highest rate to wait out its timeout without delaying the next.
MOST_THREADS = 1600
P99_BOUND_MS = 1000
SETTLE_POLL_SECONDS = 1.0
WARM_UP_TASKS = 10


@dataclass
class Placement:
    """One POST as the client saw it; `status` None means it got no answer."""

    sent_at: float
    answered_at: float = 0.0
    status: int | None = None
    order_id: str | None = None


def place_open_loop(
    shop: Shop, *, token: str, product_id: str, rate: float, seconds: float
) -> list[Placement]:
    """`rate` orders a second for `seconds`, each POST sent when it is due from a thread of its
    own (a slow answer delays no other); returns once every POST is answered or timed out."""
    placements: list[Placement] = []
    local = threading.local()

    def place(placement: Placement) -> None:
        if not hasattr(local, "http"):
            local.http = requests.Session()
        try:
            response = Shop(shop.platform, local.http).place(
                token, [(product_id, 1)], "pm_card_ok", timeout=REQUEST_TIMEOUT_SECONDS
            )
        except requests.RequestException:
            pass
        else:
            placement.status = response.status_code
            if response.status_code == 201:
                placement.order_id = response.json()["id"]
        placement.answered_at = time.time()

    threads = min(MOST_THREADS, int(rate * REQUEST_TIMEOUT_SECONDS) + 2)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        started = time.monotonic()
        for offset in arrival_offsets(rate, seconds):
            time.sleep(max(0.0, started + offset - time.monotonic()))
            placement = Placement(sent_at=time.time())
            placements.append(placement)
            pool.submit(place, placement)
    return placements


def database(database_url: str, service: str) -> psycopg.Connection:
    return psycopg.connect(database_url.replace("{service}", service), autocommit=True)


HISTORY = """
SELECT o.id::text, o.status, min(h.at), min(h.at) FILTER (WHERE h.to_status = 'CONFIRMED')
FROM orders_order o JOIN orders_orderstatuschange h ON h.order_id = o.id
WHERE o.id = ANY(%s::uuid[]) GROUP BY o.id, o.status
"""


def histories(database_url: str, order_ids: list[str]) -> dict[str, tuple]:
    """Each order's status, when it was placed and when it was CONFIRMED (None if not)."""
    with database(database_url, "orders") as connection:
        rows = connection.execute(HISTORY, (order_ids,)).fetchall()
    return {row[0]: row[1:] for row in rows}


def settled(database_url: str, order_ids: list[str], *, within: float) -> dict[str, tuple]:
    """The orders' histories once all are terminal, or as they are after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        found = histories(database_url, order_ids)
        terminal = all(found.get(i, ("",))[0] in TERMINAL for i in order_ids)
        if terminal or time.monotonic() > deadline:
            return found
        time.sleep(SETTLE_POLL_SECONDS)


def checkout_figures(
    placements: list[Placement], found: dict[str, tuple], *, rate: float, seconds: float
) -> dict[str, Any]:
    """A run's figures: placement → CONFIRMED percentiles from the status histories, the POSTs'
    own, errors (a POST not answered 201, an order ending other than CONFIRMED) and orders
    still not terminal."""
    accepted = [p.order_id for p in placements if p.order_id]
    confirmed = [found[i] for i in accepted if i in found and found[i][2] is not None]
    latencies = [(history[2] - history[1]).total_seconds() for history in confirmed]
    non_terminal = sum(1 for i in accepted if found.get(i, ("",))[0] not in TERMINAL)
    ended_otherwise = sum(
        1 for i in accepted if found.get(i, ("",))[0] in TERMINAL and found[i][2] is None
    )
    refused = sum(1 for p in placements if p.status != 201)
    span = (
        (max(h[2] for h in confirmed) - min(h[1] for h in confirmed)).total_seconds()
        if confirmed
        else 0.0
    )
    post = latency_summary([p.answered_at - p.sent_at for p in placements if p.status])
    return {
        "rate": rate,
        "seconds": seconds,
        "sent": len(placements),
        "accepted": len(accepted),
        "confirmed": len(confirmed),
        "throughput": len(confirmed) / span if span else 0.0,
        **latency_summary(latencies),
        "post_p50_ms": post["p50_ms"],
        "post_p99_ms": post["p99_ms"],
        "errors": refused + ended_otherwise,
        "non_terminal": non_terminal,
        # Each answer's status, "none" for no answer within REQUEST_TIMEOUT_SECONDS.
        "answers": dict(Counter(str(p.status or "none") for p in placements)),
    }


def held(figures: dict[str, Any]) -> bool:
    """A rate holds when p99 placement → CONFIRMED is within 1 s, with nothing refused, failed
    or left unfinished."""
    p99 = figures["p99_ms"]
    return (
        p99 is not None
        and p99 <= P99_BOUND_MS
        and figures["errors"] == 0
        and figures["non_terminal"] == 0
    )


def checkout_run(
    shop: Shop,
    *,
    database_url: str,
    token: str,
    product_id: str,
    rate: float,
    seconds: float,
    settle_within: float,
) -> dict[str, Any]:
    placements = place_open_loop(
        shop, token=token, product_id=product_id, rate=rate, seconds=seconds
    )
    order_ids = [p.order_id for p in placements if p.order_id]
    found = settled(database_url, order_ids, within=settle_within)
    return checkout_figures(placements, found, rate=rate, seconds=seconds)


def checkout_step(run: dict[str, Any]) -> Step:
    return Step(rate=run["rate"], held=held(run), figures=run)


OUTBOX = "SELECT id::text, created_at FROM events_outboxevent WHERE created_at BETWEEN %s AND %s"
INBOX = "SELECT event_id::text, handled_at FROM events_inboxentry WHERE handled_at >= %s"


def relay_latencies(database_url: str, *, since: datetime, until: datetime) -> list[float]:
    """Seconds from an event's outbox row (written in the transaction of its change) to each
    handler's inbox row (written in the handler's), for every event written in the window."""
    written: dict[str, datetime] = {}
    handled: list[tuple[str, datetime]] = []
    for service in SERVICE_NAMES:
        with database(database_url, service) as connection:
            written.update(connection.execute(OUTBOX, (since, until)).fetchall())
            handled += connection.execute(INBOX, (since,)).fetchall()
    return [
        (handled_at - written[event_id]).total_seconds()
        for event_id, handled_at in handled
        if event_id in written
    ]


def raw_celery_latencies(*, count: int, rate: float, redis_url: str, wait: float) -> list[float]:
    """Seconds from publishing each of `count` no-op tasks (open loop at `rate`) to the task
    running, on the broker Mercato uses."""
    import redis

    from bench.baselines.raw_celery import DONE_KEY, noop

    client = redis.Redis.from_url(redis_url)
    # Each pool process makes its Redis client with its first task: not what is measured.
    for _ in range(WARM_UP_TASKS):
        noop.delay(time.time())
    deadline = time.monotonic() + wait
    while client.llen(DONE_KEY) < WARM_UP_TASKS and time.monotonic() < deadline:
        time.sleep(0.2)
    client.delete(DONE_KEY)
    started = time.monotonic()
    for offset in arrival_offsets(rate, count / rate):
        time.sleep(max(0.0, started + offset - time.monotonic()))
        noop.apply_async(args=[time.time()])
    deadline = time.monotonic() + wait
    while client.llen(DONE_KEY) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    pairs = [entry.split() for entry in client.lrange(DONE_KEY, 0, -1)]
    client.delete(DONE_KEY)
    return [float(done) - float(sent) for sent, done in pairs]
