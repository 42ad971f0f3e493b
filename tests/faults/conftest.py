"""One platform for the whole fault suite, started as the e2e suite starts its own (real processes,
`./manage.py up`), on ports of its own, with servers the tests can take away: a Redis of its own
(broker and cache, stopped and started again empty or persistent) and a relay in front of orders'
PostgreSQL."""

import os
from collections.abc import Iterator

import pytest
import requests

from common.settings.environment import integer
from common.testing.servers import HttpStub
from tests.e2e.conftest import Platform, fresh_broker, started_platform
from tests.e2e.listeners import MailCatcher, TcpSwitch
from tests.e2e.shop import Shop, eventually
from tests.faults.report import ReliabilityReport
from tests.faults.servers import (
    DATABASE_FAULT_SERVICE,
    PROVIDER_PATIENCE,
    RedisServer,
    database_switch,
)

# Where the suite's platforms listen and what their databases are called: set apart, two runs
# of the suite can share a machine.
BASE_PORT = integer("FAULTS_BASE_PORT", default=19000, minimum=1024)
# The crash faults kill prefork children and sweeps run in them: the image's shape, not
# `make run`'s solo worker with its beat inside.
IMAGE_SHAPE = {"CELERY_POOL": "prefork", "BEAT_IN_WORKER": "false"}
DATABASES = os.environ.get("FAULTS_DATABASES") or "faults"
# Redis hands a killed worker's tasks to another once they are this old (60 s by default): short
# here so that the crash faults fit the suite's time; their bounds scale with it.
VISIBILITY_TIMEOUT_SECONDS = 10
# Orders of one unit each: enough that no load of the suite runs out.
LOAD_STOCK = 1000
WARM_UP_ORDERS = 6
# A platform whose Redis lost its messages sends again the events of this last while: its queues
# never hold an event longer than seconds, and replaying every event of the session would only
# slow its recovery.
REPLAY_SECONDS = "30"
REPORT_NOTES = [
    "The platform runs with the e2e suite's short sweeps (outbox every 2 s, jobs sent again after "
    "2 s, handler retries 1 s apart), provider calls given up on after 1 s and 3 attempts, stalled "
    "charges resent after 60 s, and the last 30 s of events replayed when Redis lost them. With "
    "the defaults (5 s, 60 s, 10 s and 6 attempts, 300 s, 600 s) the same faults recover the same "
    "way, later where a sweep is what brings the work back.",
    "",
    "The crash faults run with Redis's visibility timeout at 10 s (60 s by default, "
    "`BROKER_VISIBILITY_TIMEOUT_SECONDS`): a message a killed worker's main process held comes "
    "back that long after it was delivered, within 5 s more, where RabbitMQ requeues it at once; "
    "the killed process's pool child has often finished the task by the time the launcher ends it, "
    "so the orders seldom wait that out. On Redis each kill waits until the worker holds an event; "
    "RabbitMQ's workers are killed at a moment of the load. A kill that lands between payments "
    "committing a payment and sending its charge task leaves that charge to the stalled-charge "
    "sweep (60 s here): the crash faults' bounds allow for it.",
    "",
    "A broker outage while background jobs are asked for (an import and an export accepted, "
    "then finished once the broker is back) is covered by `tests/e2e/test_jobs.py`, on Redis and "
    "on RabbitMQ, rather than repeated here.",
]

report = ReliabilityReport()


def pytest_sessionfinish(session: pytest.Session) -> None:
    report.write(notes=REPORT_NOTES)


@pytest.fixture(scope="session")
def reliability() -> ReliabilityReport:
    return report


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start(persistent=False)
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture(scope="session")
def database_relay() -> Iterator[TcpSwitch]:
    switch = database_switch(database=f"{DATABASES}_{DATABASE_FAULT_SERVICE}")
    yield switch
    switch.cut()


@pytest.fixture(scope="session")
def mail() -> Iterator[MailCatcher]:
    catcher = MailCatcher()
    catcher.start()
    yield catcher
    catcher.stop()


@pytest.fixture(scope="session")
def payment_provider() -> Iterator[HttpStub]:
    """The far end of the sandbox payment provider: answers every call at once until a test
    makes it stall (`delay`)."""
    stub = HttpStub()
    stub.on("POST", None, (204, None))
    yield stub
    stub.stop()


@pytest.fixture(scope="session")
def platform(
    tmp_path_factory, redis_server, database_relay, mail, payment_provider
) -> Iterator[Platform]:
    running = started_platform(
        tmp_path_factory.mktemp("mercato-faults"),
        databases=DATABASES,
        base_port=BASE_PORT,
        broker_url=redis_server.url,
        mail=mail,
        REDIS_URL=redis_server.url,
        BROKER_VISIBILITY_TIMEOUT_SECONDS=str(VISIBILITY_TIMEOUT_SECONDS),
        PAYMENTS_SANDBOX_URL=payment_provider.url("/provider"),
        OUTBOX_REPLAY_SECONDS=REPLAY_SECONDS,
        **IMAGE_SHAPE,
        **PROVIDER_PATIENCE,
        **{f"{DATABASE_FAULT_SERVICE.upper()}_DATABASE_URL": database_relay.url},
    )
    yield running
    if running.process.poll() is None:
        running.stop()


def warm_up(platform: Platform) -> None:
    """Places orders until WARM_UP_ORDERS in a row are accepted: each of orders' web processes
    fetches its service token with its first priced order, and on a loaded machine identity can
    take longer than orders waits to hash the secret. Faults start on a platform that has served."""
    with requests.Session() as http:
        shop = Shop(platform, http)
        customer = shop.new_customer()
        product_id = shop.new_product(on_hand=LOAD_STOCK)
        accepted = 0

        def placed_in_a_row() -> bool:
            nonlocal accepted
            placed = shop.place(customer["token"], [(product_id, 1)], "pm_card_ok")
            accepted = accepted + 1 if placed.status_code == 201 else 0
            return accepted >= WARM_UP_ORDERS

        eventually(placed_in_a_row, timeout=90, every=0.2, what="orders accepted in a row")


@pytest.fixture(scope="session")
def rabbitmq_broker() -> Iterator[TcpSwitch]:
    """A virtual host of its own on the machine's RabbitMQ, behind a relay the suite can cut."""
    switch = fresh_broker(f"{DATABASES}-rabbitmq", redis_database=0, broker="rabbitmq")
    yield switch
    switch.cut()


@pytest.fixture(scope="session")
def rabbitmq_platform(tmp_path_factory, rabbitmq_broker, mail) -> Iterator[Platform]:
    """The platform again, on RabbitMQ: the faults whose recovery depends on the broker run on
    both. Its cache is the machine's Redis, as the e2e suite's is."""
    running = started_platform(
        tmp_path_factory.mktemp("mercato-faults-rabbitmq"),
        databases=f"{DATABASES}_rabbitmq",
        # Clear of the first platform's worker metrics, on its web ports + 100.
        base_port=BASE_PORT + 200,
        broker_url=rabbitmq_broker.url,
        mail=mail,
        **IMAGE_SHAPE,
        **PROVIDER_PATIENCE,
    )
    yield running
    if running.process.poll() is None:
        running.stop()


def serving_shop(platform: Platform) -> Iterator[Shop]:
    """A shop on `platform` once it serves: every fault starts on a platform that has served, not
    on one a previous fault left with orders' breaker open or its workers still catching up."""
    warm_up(platform)
    with requests.Session() as http:
        yield Shop(platform, http)


@pytest.fixture
def shop(platform) -> Iterator[Shop]:
    yield from serving_shop(platform)


@pytest.fixture
def product_id(shop) -> str:
    """A product of the test's own with LOAD_STOCK units on hand."""
    return shop.new_product(on_hand=LOAD_STOCK)
