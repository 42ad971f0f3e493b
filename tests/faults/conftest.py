"""One platform for the whole fault suite, started as the e2e suite starts its own (real processes,
`./manage.py up`), on ports of its own, with servers the tests can take away: a Redis of its own
(broker and cache, stopped and started again empty or persistent) and a relay in front of orders'
PostgreSQL."""

from collections.abc import Iterator

import pytest
import requests

from tests.e2e.conftest import Platform, started_platform
from tests.e2e.listeners import MailCatcher, TcpSwitch
from tests.e2e.shop import Shop
from tests.faults.report import ReliabilityReport
from tests.faults.servers import RedisServer, database_switch

BASE_PORT = 19000
DATABASES = "faults"
# The service whose PostgreSQL the suite can take away, through its own <SERVICE>_DATABASE_URL.
DATABASE_FAULT_SERVICE = "orders"
# Orders of one unit each: enough that no load of the suite runs out.
LOAD_STOCK = 1000
REPORT_NOTES = [
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
def platform(tmp_path_factory, redis_server, database_relay, mail) -> Iterator[Platform]:
    running = started_platform(
        tmp_path_factory.mktemp("mercato-faults"),
        databases=DATABASES,
        base_port=BASE_PORT,
        broker_url=redis_server.url,
        mail=mail,
        REDIS_URL=redis_server.url,
        **{f"{DATABASE_FAULT_SERVICE.upper()}_DATABASE_URL": database_relay.url},
    )
    yield running
    if running.process.poll() is None:
        running.stop()


@pytest.fixture
def shop(platform) -> Iterator[Shop]:
    with requests.Session() as http:
        yield Shop(platform, http)


@pytest.fixture
def product_id(shop) -> str:
    """A product of the test's own with LOAD_STOCK units on hand."""
    return shop.new_product(on_hand=LOAD_STOCK)
