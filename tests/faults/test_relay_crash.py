"""The outbox relay killed mid-batch: orders placed while the broker is cut pile up in orders'
outbox; once it is back, orders' worker sweeps them out in one batch, and its child is killed
(`kill -9`) while that batch's transaction is open, some of it sent. The rows stay unsent, the
next sweep sends the whole batch again, and the subscribers' inboxes apply each event once: no
order lost, none charged or reserved twice."""

import contextlib
import json
import time
from collections.abc import Callable, Iterator

import psutil
import psycopg
import pytest
from kombu import Connection

from common.events.subscriptions import SUBSCRIPTIONS
from tests.e2e.conftest import Platform
from tests.e2e.listeners import TcpSwitch
from tests.e2e.shop import Shop, StockWatch, eventually
from tests.faults.conftest import serving_shop
from tests.faults.crashes import REFUSALS, worker
from tests.faults.load import SteadyLoad, verify

pytestmark = pytest.mark.faults
RATE = 5
BACKLOG_SECONDS = 6
# The broker back, orders' worker reconnects within its retry interval (seconds), beat's next
# sweep comes within OUTBOX_SWEEP_SECONDS (2 s here), and the stepped child runs it at a fraction
# of its speed.
CAUGHT_WITHIN_SECONDS = 45
# The replacement child sweeps again within seconds, then every order goes through its saga
# while the backlog drains.
BOUND_SECONDS = 45
# The outbox sweep's batch, selected and locked, while its transaction is open (it sends the batch
# to the broker before it marks the rows sent and commits).
SWEEP_IN_TRANSACTION = """
    SELECT pid FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND state = 'idle in transaction'
      AND query LIKE '%%events_outboxevent%%FOR UPDATE SKIP LOCKED%%'
"""
# How far orders' frozen worker child is let on at a time, until its sweep has some of its batch
# out; how long the broker is given to route what it sent before the queue is looked at; and,
# the child frozen there, how long catalog is given to apply some of it.
STEP_SECONDS = 0.001
ROUTED_WITHIN_SECONDS = 0.02
APPLIED_WITHIN_SECONDS = 10


@pytest.fixture
def shop(rabbitmq_platform) -> Iterator[Shop]:
    yield from serving_shop(rabbitmq_platform)


def database(platform: Platform, service: str) -> psycopg.Connection:
    url = platform.environment["DATABASE_URL"].replace("{service}", service)
    return psycopg.connect(url, autocommit=True)


def unsent(orders_db: psycopg.Connection, *, types: tuple[str, ...] | None = None) -> list[str]:
    """The ids of orders' events not yet sent; only those of `types` when given."""
    rows = orders_db.execute(
        "SELECT id::text, type FROM events_outboxevent WHERE published_at IS NULL"
    ).fetchall()
    return [event_id for event_id, type in rows if types is None or type in types]


def applied(catalog_db: psycopg.Connection, event_ids: list[str]) -> int:
    """How many of `event_ids` catalog's handlers have applied (one inbox row each)."""
    return catalog_db.execute(
        "SELECT count(DISTINCT event_id) FROM events_inboxentry WHERE event_id::text = ANY(%s)",
        (event_ids,),
    ).fetchone()[0]


class InboxLog:
    """Counts the deliveries that catalog's and notifications' inboxes found handled already, as
    their workers log them (LOG_FORMAT=json), from the moment it is made."""

    SERVICES = ("catalog", "notifications")

    def __init__(self, platform: Platform) -> None:
        self.paths = [platform.home / "logs" / f"{service}-worker.log" for service in self.SERVICES]
        self.offsets = [path.stat().st_size for path in self.paths]

    def already_handled(self) -> int:
        found = 0
        for path, offset in zip(self.paths, self.offsets, strict=True):
            with path.open("rb") as log:
                log.seek(offset)
                for line in log:
                    with contextlib.suppress(ValueError):
                        found += json.loads(line).get("event") == "event_already_handled"
        return found


def waiting_in(broker: Connection, queue: str) -> int:
    """Messages ready in `queue`: sent, and not yet taken by a worker."""
    return broker.default_channel.queue_declare(queue=queue, passive=True).message_count


def kill_the_sweep_mid_batch(
    child: psutil.Process,
    orders_db: psycopg.Connection,
    *,
    waiting: Callable[[], int],
    applied_of_the_backlog: Callable[[], int],
) -> int:
    """Lets orders' frozen worker `child` on STEP_SECONDS at a time until the outbox sweep running
    in it holds its batch in an open transaction with some of it out, and kills it there; returns
    how many of the backlog's events catalog had applied by then, each of which the next sweep
    sends again. Stepped, it cannot send a whole batch unseen.

    Something `waiting()` for catalog is only a sign: the customer the load signed up, sent by
    identity's sweep once the broker is back, waits there too. Only the backlog's events applied
    while the child is frozen prove its batch got out."""
    deadline = time.monotonic() + CAUGHT_WITHIN_SECONDS
    while time.monotonic() < deadline:
        child.resume()
        time.sleep(STEP_SECONDS)
        child.suspend()
        if orders_db.execute(SWEEP_IN_TRANSACTION).fetchone():
            time.sleep(ROUTED_WITHIN_SECONDS)
            if waiting() or applied_of_the_backlog():
                applied_out = first_above_zero(
                    applied_of_the_backlog, within=APPLIED_WITHIN_SECONDS
                )
                if applied_out:
                    child.kill()
                    return applied_out
    child.resume()
    raise AssertionError(f"orders' sweep was not caught mid-batch in {CAUGHT_WITHIN_SECONDS} s")


def first_above_zero(count: Callable[[], int], *, within: float) -> int:
    """`count()`'s first answer above zero within `within` seconds, else 0."""
    deadline = time.monotonic() + within
    while not (answer := count()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return answer


def test_the_relay_killed_mid_batch_loses_no_event_and_applies_none_twice(
    shop, product_id, rabbitmq_broker: TcpSwitch, reliability
):
    platform = shop.platform
    on_hand = shop.stock(product_id)["on_hand"]
    with (
        database(platform, "orders") as orders_db,
        database(platform, "catalog") as catalog_db,
        StockWatch(shop, product_id, every=0.25) as watch,
    ):
        child = worker(platform, "orders").children()[0]
        rabbitmq_broker.cut()
        try:
            with SteadyLoad(
                shop, product_id=product_id, rate=RATE, seconds=BACKLOG_SECONDS
            ) as load:
                pass
            # Only what catalog subscribes to reaches its inbox: orders placed before the cut
            # also leave payment requests, which are for payments alone.
            backlog = unsent(orders_db, types=SUBSCRIPTIONS["catalog"])
            # Frozen before the broker is back, the child is stepped through its next sweep.
            child.suspend()
        finally:
            rabbitmq_broker.restore()
        started = time.time()
        inbox_log = InboxLog(platform)
        with Connection(platform.environment["CELERY_BROKER_URL"]) as broker:
            sent_before_the_kill = kill_the_sweep_mid_batch(
                child,
                orders_db,
                waiting=lambda: waiting_in(broker, "catalog.events"),
                applied_of_the_backlog=lambda: applied(catalog_db, backlog),
            )
        ended = time.time()
        outcome = verify(
            load,
            watch=watch,
            on_hand_before=on_hand,
            fault_started_at=started,
            fault_ended_at=ended,
            settle_within=BOUND_SECONDS,
            refusals=REFUSALS,
        )
        # Orders settle on the events catalog applies first; the backlog's last may trail them.
        applied_in_the_end = eventually(
            lambda: applied(catalog_db, backlog) == len(backlog) and len(backlog),
            timeout=BOUND_SECONDS,
            what=lambda: (
                f"catalog applying all {len(backlog)} events of the backlog, "
                f"{applied(catalog_db, backlog)} applied"
            ),
        )
        # Each event the killed batch got out to catalog reaches it twice.
        absorbed = eventually(
            lambda: (
                inbox_log.already_handled() >= sent_before_the_kill and inbox_log.already_handled()
            ),
            timeout=BOUND_SECONDS,
            what="the events sent twice found handled already by catalog's inbox",
        )
        left_unsent = unsent(orders_db)
    reliability.record(
        fault="the outbox relay killed mid-batch (rabbitmq)",
        injected=f"{len(backlog)} events held in orders' outbox by a broker cut; `kill -9` of the "
        f"worker child (pid {child.pid}) sweeping them, its batch's transaction open, "
        f"{sent_before_the_kill} of its events already applied by catalog; sent again whole, "
        f"{absorbed} deliveries found handled already by an inbox",
        checked=f"every order terminal within {BOUND_SECONDS} s; each event applied once by "
        "catalog; none charged or reserved twice; stock exact, never negative",
        outcome=outcome,
    )

    assert outcome.problems == [], "\n".join(outcome.problems)
    assert len(backlog) >= outcome.accepted > 0
    assert left_unsent == []
    assert applied_in_the_end == len(backlog)
