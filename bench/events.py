"""Relaying the outbox, as a ratio against a baseline measured in the same run.

    .venv/bin/python bench/events.py

Writes events to the outbox of a scratch database (`bench_orders`) and relays them to a scratch
Redis database twice: one event per transaction and publish, as the after-commit relay sends a
request's event (the baseline), then as the sweep does after a broker outage, in batches with
one connection. Prints events per second of each and how many times faster the sweep catches up.
Uses DATABASE_URL and REDIS_URL when set, embedded servers otherwise.
"""

import os
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.settings.derived import broker_url_from_redis
from devtools.embedded import use_embedded_servers

EVENTS = 1000
ROUNDS = 3
BROKER_DATABASE = 9


def scratch_environment() -> None:
    """Settings pointing at a database and a Redis database of the benchmark's own."""
    use_embedded_servers()
    database = urlsplit(os.environ["DATABASE_URL"])
    os.environ["DATABASE_URL"] = database._replace(path="/bench_{service}").geturl()
    os.environ["CELERY_BROKER_URL"] = broker_url_from_redis(
        os.environ["REDIS_URL"], database=BROKER_DATABASE
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "services.orders.settings"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def fill_outbox() -> list:
    from common.events.envelope import envelope_for
    from common.events.models import OutboxEvent

    envelopes = [
        envelope_for(
            event_type="stock.reserved", data={"order_id": str(uuid.uuid4())}, source="bench"
        )
        for _ in range(EVENTS)
    ]
    rows = OutboxEvent.objects.bulk_create(
        OutboxEvent(id=envelope["id"], type=envelope["type"], envelope=envelope)
        for envelope in envelopes
    )
    return [row.id for row in rows]


def empty_broker() -> None:
    from celery import current_app

    with current_app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()


def rate(relay) -> float:
    """Events per second that `relay(event_ids)` sends from a freshly filled outbox, the best
    of ROUNDS runs (the least disturbed by whatever else the machine does)."""
    from common.events.models import OutboxEvent

    best = 0.0
    for _ in range(ROUNDS):
        OutboxEvent.objects.all().delete()
        empty_broker()
        event_ids = fill_outbox()
        started = time.perf_counter()
        relay(event_ids)
        best = max(best, EVENTS / (time.perf_counter() - started))
        assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()
    return best


def main() -> None:
    scratch_environment()
    import django

    django.setup()
    from django.core.management import call_command

    from common.events.outbox import outbox_relay

    call_command("migrate", verbosity=0)

    def one_at_a_time(event_ids: list) -> None:
        for event_id in event_ids:
            outbox_relay(event_ids=[event_id])

    def sweep(event_ids: list) -> None:
        outbox_relay()

    baseline = rate(one_at_a_time)
    batched = rate(sweep)
    empty_broker()
    print(f"relay, one event per transaction: {baseline:,.0f} events/s (baseline)")
    print(f"relay, the sweep's batches:       {batched / baseline:.1f}x the baseline")


if __name__ == "__main__":
    main()
