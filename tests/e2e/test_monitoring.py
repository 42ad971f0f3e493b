"""Prometheus scraping the running platform, as `make run` configures it: after orders that end
every way the saga ends, every dashboard panel's query and every alert's expression parses, every
panel's query returns data and every alert rule evaluates."""

import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from devtools import up
from devtools.processes import Supervisor
from devtools.prometheus import prometheus_port, start_prometheus
from services import SERVICE_NAMES
from tests.deploy.monitoring import (
    Query,
    alert_queries,
    alert_rules,
    panel_queries,
    prometheus_tool,
)
from tests.deploy.monitoring import missing as prometheus_missing
from tests.e2e.shop import answered, described, eventually

pytestmark = pytest.mark.e2e
SCRAPE_SECONDS = 1
# Panels draw rates over Grafana's $__rate_interval; a few seconds of 1 s scrapes fill this one.
RATE_INTERVAL = "30s"
DATA_WITHIN_SECONDS = 30
PLACE_ATTEMPTS = 5
# The payment sandbox's answers (apps/payments/providers/sandbox.py).
CARD_OK, CARD_DECLINED, CARD_FLAKY = "pm_card_ok", "pm_card_declined", "pm_card_flaky"
# A charge for a payment that does not exist: a task that fails.
FAILING_TASK = (
    "from services.payments.celery import app; "
    "app.send_task('apps.payments.tasks.payment_charge_task', args=[{payment_id!r}])"
)
# Sends an order's events again, as the sweep does after the broker lost messages: every
# consumer gets a second copy and turns it away.
SEND_AGAIN = (
    "from common.events.models import OutboxEvent; "
    "OutboxEvent.objects.filter(envelope__data__order_id={order_id!r}).update(published_at=None)"
)
# Waits up to a minute, in one process, for the dead letters of an order's events; prints them.
DEAD_LETTERS = """
import time
from common.events.models import DeadLetter
about = DeadLetter.objects.filter(envelope__data__order_id={order_id!r})
deadline = time.monotonic() + 60
while not about.exists() and time.monotonic() < deadline:
    time.sleep(0.5)
print(about.count())
"""


@pytest.fixture(scope="module")
def prometheus(platform, tmp_path_factory) -> str:
    """A Prometheus of this module's own, beside the one `manage.py up` may have started, with
    the platform's scrape configuration at a one-second interval; its URL."""
    binary = prometheus_tool("prometheus")
    directory = tmp_path_factory.mktemp("prometheus")
    supervisor = Supervisor(log_dir=directory / "logs")
    try:
        url = start_prometheus(
            supervisor,
            # Not the platform's MERCATO_HOME: this process is not one of the platform's.
            {"PATH": os.environ["PATH"]},
            prometheus=binary,
            directory=directory,
            base_port=platform.base_port,
            port=prometheus_port(platform.base_port) + 1,
            interval_seconds=SCRAPE_SECONDS,
        )
        eventually(
            lambda: up.probe(f"{url}/-/ready") == 200,
            timeout=30,
            what=lambda: f"Prometheus ready; exited: {supervisor.exited()}",
        )
        yield url
    finally:
        supervisor.stop_all()


def query(prometheus: str, expr: str) -> dict:
    """Prometheus's answer to an instant query: its status, and its result or error."""
    return requests.get(f"{prometheus}/api/v1/query", params={"query": expr}, timeout=30).json()


def unparsed(prometheus: str, queries: list[Query]) -> dict[str, str]:
    answers = {q.where: query(prometheus, q.expr) for q in queries}
    return {
        where: answer["error"] for where, answer in answers.items() if answer["status"] != "success"
    }


def without_data(prometheus: str, queries: list[Query]) -> list[str]:
    return [q.where for q in queries if not query(prometheus, q.expr)["data"]["result"]]


def drive_every_ending(shop, platform, webhooks, mail) -> None:
    """Orders confirmed (with a webhook), declined, out of stock and retried, while the mail
    server is down, so that their e-mails are dead-lettered; a wrong password; an order's events
    delivered twice; a task that fails."""
    customer = shop.new_customer()
    token = customer["token"]
    product_id = shop.new_product(on_hand=10)
    shop.webhook(token, webhooks.url(f"/hooks/{uuid.uuid4()}"), ["order.confirmed"])
    wrong = shop.call(
        "POST", "identity", "auth/token/", json={"email": customer["email"], "password": "no"}
    )
    assert wrong.status_code == 401, described(wrong)
    mail.stop()
    try:
        orders = {
            card: placed(shop, token, [(product_id, quantity)], card)
            for card, quantity in ((CARD_OK, 1), (CARD_DECLINED, 1), (CARD_FLAKY, 1))
        }
        out_of_stock = placed(shop, token, [(product_id, 100)], CARD_OK)
        with ThreadPoolExecutor() as pool:
            failing = pool.submit(
                manage_shell,
                platform,
                "payments",
                FAILING_TASK.format(payment_id=str(uuid.uuid4())),
            )
            settled = {
                card: shop.settled(token, order, timeout=60) for card, order in orders.items()
            }
            cancelled = shop.settled(token, out_of_stock)
            again = pool.submit(
                manage_shell, platform, "orders", SEND_AGAIN.format(order_id=orders[CARD_OK])
            )
            dead_letters = manage_shell(
                platform, "notifications", DEAD_LETTERS.format(order_id=orders[CARD_OK])
            )
            for step in (failing, again):
                step.result()
    finally:
        mail.start()
    assert [settled[card]["status"] for card in (CARD_OK, CARD_DECLINED, CARD_FLAKY)] == [
        "CONFIRMED",
        "CANCELLED",
        "CONFIRMED",
    ], settled
    assert cancelled["cancel_reason"] == "out_of_stock", cancelled
    assert int(dead_letters) > 0, "the confirmation e-mail was not dead-lettered"


def placed(shop, token: str, lines: list[tuple[str, int]], card: str) -> str:
    """The new order's id. A 503 (orders could not price the order in time: catalog is slow on
    a loaded machine) is sent again after its Retry-After, as a shop's client does; this test is
    about what the orders leave in Prometheus, not about that."""
    for _ in range(PLACE_ATTEMPTS):
        response = shop.place(token, lines, card)
        if response.status_code != 503:
            break
        time.sleep(min(float(response.headers.get("Retry-After", 1)), 5))
    return answered(response, 201).json()["id"]


def manage_shell(platform, service: str, code: str) -> str:
    """What `code` printed, run by `service`'s shell on the platform, as an operator would."""
    return platform.manage(service, "shell", "--no-imports", "-c", code)


def test_every_panel_and_alert_parses_and_every_panel_has_data(
    prometheus, shop, platform, webhooks, mail
):
    panels = panel_queries(rate_interval=RATE_INTERVAL)
    alerts = alert_queries()

    drive_every_ending(shop, platform, webhooks, mail)

    assert unparsed(prometheus, panels + alerts) == {}
    eventually(
        lambda: not without_data(prometheus, panels),
        timeout=DATA_WITHIN_SECONDS,
        every=2,
        what=lambda: f"data for every panel query; none for {without_data(prometheus, panels)}",
    )
    rules = answered(requests.get(f"{prometheus}/api/v1/rules", timeout=30), 200).json()
    health = {
        rule["name"]: (rule["health"], rule.get("lastError", ""))
        for group in rules["data"]["groups"]
        for rule in group["rules"]
    }
    assert health == {rule["alert"]: ("ok", "") for rule in alert_rules()}


def test_make_run_starts_prometheus_scraping_every_web_process_and_worker(platform):
    """`manage.py up` printed its Prometheus's URL; every process is a target there, labelled."""
    url = f"http://127.0.0.1:{prometheus_port(platform.base_port)}"
    started = f"Prometheus: {url}"
    if started not in (platform.home / "up.log").read_text(errors="replace"):
        prometheus_missing(f"the platform started no Prometheus (its up.log lacks {started!r})")

    def targets() -> list[dict]:
        answer = answered(requests.get(f"{url}/api/v1/targets", timeout=30), 200)
        return answer.json()["data"]["activeTargets"]

    eventually(
        lambda: all(t["health"] == "up" for t in targets() if t["labels"]["role"] == "web"),
        timeout=30,
        what=lambda: f"every web target up: {[(t['scrapeUrl'], t['health']) for t in targets()]}",
    )
    labels = sorted((t["labels"]["service"], t["labels"]["role"]) for t in targets())
    assert labels == sorted(
        (service, role) for service in SERVICE_NAMES for role in ("web", "worker")
    )
