"""`raw-celery`: a no-op task on the broker Mercato uses, with the Celery settings its workers
use (orders', read from its Django settings without starting Django), on a queue of its own.
The task only notes when it ran, which is what the benchmark reads."""

import os
import time

import redis
from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.orders.settings")
QUEUE = "bench.raw-celery"
DONE_KEY = "bench:raw-celery:done"

# No Django fixup: the baseline is Celery alone, not Celery closing Django's connections.
app = Celery("raw-celery", fixups=[])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(task_default_queue=QUEUE, task_queues=[Queue(QUEUE)], beat_schedule={})
_client: list[redis.Redis] = []


def done_list() -> redis.Redis:
    """One client per worker process, made at its first task."""
    if not _client:
        _client.append(redis.Redis.from_url(os.environ["REDIS_URL"]))
    return _client[0]


@app.task(name="bench.noop")
def noop(sent_at: float) -> None:
    done_list().rpush(DONE_KEY, f"{sent_at} {time.time()}")
