"""The saga when things go wrong at once: a rush on scarce stock, a broker outage, a handler
that keeps failing, and every event delivered twice."""

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from services import SERVICE_NAMES
from tests.e2e.shop import AdminSession, Shop, StockWatch, described, eventually

pytestmark = pytest.mark.e2e
RUSH_ORDERS, RUSH_STOCK = 50, 10
DEAD_LETTERS = "events/deadletter/"


def test_fifty_single_unit_orders_for_ten_in_stock_confirm_exactly_ten(shop):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=RUSH_STOCK)

    def place(_):
        key = str(uuid.uuid4())
        with requests.Session() as http:
            client = Shop(shop.platform, http)
            # A rush on a loaded machine can outlast catalog's price read (1 s): that answer is a
            # 503 with Retry-After, which a client retries under the same Idempotency-Key.
            for _ in range(3):
                answer = client.place(customer["token"], [(product_id, 1)], "pm_card_ok", key=key)
                if answer.status_code != 503:
                    break
                time.sleep(float(answer.headers.get("Retry-After", 1)))
            return answer

    with StockWatch(shop, product_id) as watch, ThreadPoolExecutor(RUSH_ORDERS) as pool:
        placed = list(pool.map(place, range(RUSH_ORDERS)))
        assert [described(answer) for answer in placed if answer.status_code != 201] == []
        orders = [shop.settled(customer["token"], r.json()["id"], timeout=120) for r in placed]

    statuses = [order["status"] for order in orders]
    assert statuses.count("CONFIRMED") == RUSH_STOCK
    assert statuses.count("CANCELLED") == RUSH_ORDERS - RUSH_STOCK
    assert {o["cancel_reason"] for o in orders if o["status"] == "CANCELLED"} == {"out_of_stock"}
    assert eventually(lambda: shop.stock(product_id)["reserved"] == 0, timeout=20)
    assert shop.stock(product_id)["on_hand"] == 0
    assert len(watch.readings) > 1
    assert watch.failures == []
    assert min(reading["available"] for reading in watch.readings) >= 0
    assert min(reading["on_hand"] for reading in watch.readings) >= 0


def test_orders_are_taken_while_the_broker_is_down_and_complete_once_it_is_back(
    shop, broker, platform
):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5)
    operator = AdminSession(platform, "orders", "admin@mercato.local")

    broker.cut()
    try:
        order_id = shop.placed(customer["token"], [(product_id, 2)], "pm_card_ok")
        assert shop.order(customer["token"], order_id)["status"] == "PENDING"
        # The relay could not send: order.created waits in the outbox for the sweep.
        assert unsent_events_about(operator, order_id) == 1
    finally:
        broker.restore()

    order = shop.settled(customer["token"], order_id, timeout=120)
    assert order["status"] == "CONFIRMED"
    assert eventually(lambda: shop.stock(product_id)["reserved"] == 0, timeout=20)
    assert shop.stock(product_id)["on_hand"] == 3


def test_a_handler_that_keeps_failing_is_dead_lettered_and_a_replay_applies_it_once(
    shop, platform, mail
):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5)
    eventually(lambda: mail.to(customer["email"]), timeout=20, what="the welcome e-mail")
    operator = AdminSession(platform, "notifications", "admin@mercato.local")

    mail.stop()
    try:
        order_id = shop.placed(customer["token"], [(product_id, 1)], "pm_card_ok")
        shop.settled(customer["token"], order_id)
        dead_letter_ids = eventually(
            lambda: dead_letters_about(operator, order_id), timeout=60, what="the dead letter"
        )
    finally:
        mail.start()

    replayed = operator.act(DEAD_LETTERS, "replay", dead_letter_ids)
    operator.act(DEAD_LETTERS, "replay", dead_letter_ids)

    assert replayed.status_code == 200, described(replayed)
    assert "applied" in replayed.text
    confirmed = confirmations(mail, customer)
    assert len(confirmed) == 1
    assert order_id[:8] in confirmed[0]["Subject"]


def unsent_events_about(operator: AdminSession, order_id: str) -> int:
    page = operator.get(f"events/outboxevent/?q={order_id}&published_at__isempty=1").text
    return int(page.split('<p class="paginator">')[1].split()[0])


def dead_letters_about(operator: AdminSession, order_id: str) -> list[str]:
    """The ids of the unreplayed dead letters whose event is about `order_id`."""
    page = operator.get(f"{DEAD_LETTERS}?q={order_id}&replayed_at__isempty=1").text
    marker = 'name="_selected_action" value="'
    return [chunk.split('"', 1)[0] for chunk in page.split(marker)[1:]]


def test_every_event_delivered_twice_ends_as_if_delivered_once(
    twice_platform, http, webhooks, mail
):
    shop = Shop(twice_platform, http)
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5)
    hook_path = f"/hooks/{uuid.uuid4()}"
    shop.webhook(customer["token"], webhooks.url(hook_path), ["order.created", "order.confirmed"])

    order_id = shop.placed(customer["token"], [(product_id, 2)], "pm_card_ok")
    order = shop.settled(customer["token"], order_id)
    eventually(lambda: len(webhooks.received(hook_path)) >= 2, timeout=20, what="both webhooks")
    eventually(lambda: confirmations(mail, customer), timeout=20, what="the confirmation e-mail")
    eventually(lambda: shop.stock(product_id)["reserved"] == 0, timeout=20, what="stock committed")
    # Every copy has arrived once each event a worker applied has had its second copy turned away.
    eventually(
        lambda: (
            handler_runs(twice_platform, "event_handled") and not copies_to_come(twice_platform)
        ),
        timeout=20,
        what=lambda: f"the second copies of {sorted(copies_to_come(twice_platform))}",
    )

    assert order["status"] == "CONFIRMED"
    assert [c["to_status"] for c in order["history"]] == [
        "PENDING",
        "AWAITING_PAYMENT",
        "CONFIRMED",
    ]
    assert shop.stock(product_id) | {"product_id": None} == {
        "product_id": None,
        "on_hand": 3,
        "reserved": 0,
        "available": 3,
    }
    assert len(shop.payments(customer["token"], order["id"])) == 1
    assert len(confirmations(mail, customer)) == 1
    assert len(mail.to(customer["email"])) == 2
    assert sorted(d.json()["type"] for d in webhooks.received(hook_path)) == [
        "order.confirmed",
        "order.created",
    ]
    # And the copies did arrive: catalog's inbox turned away the second of each.
    assert eventually(
        lambda: {"order.created", "order.confirmed"} <= turned_away(twice_platform, "catalog"),
        timeout=10,
        what="catalog logging the duplicate deliveries",
    )


def confirmations(mail, customer: dict) -> list:
    return [m for m in mail.to(customer["email"]) if "confirmed" in m["Subject"]]


def turned_away(platform, service: str) -> set[str]:
    """The types of the events `service`'s worker received again and did not apply again."""
    return {line["event_type"] for line in worker_log(platform, service, "event_already_handled")}


def copies_to_come(platform) -> set[tuple[str, str]]:
    """(event id, handler) of each event a worker applied and has not yet seen a second time."""
    return handler_runs(platform, "event_handled") - handler_runs(platform, "event_already_handled")


def handler_runs(platform, event: str) -> set[tuple[str, str]]:
    """(event id, handler) of every line recording `event` in the workers' logs."""
    return {
        (line["event_id"], line["handler"])
        for service in SERVICE_NAMES
        for line in worker_log(platform, service, event)
    }


def worker_log(platform, service: str, event: str) -> list[dict]:
    """The JSON lines of `service`'s worker log that record `event`."""
    log = (platform.home / "logs" / f"{service}-worker.log").read_text(errors="replace")
    lines = [
        json.loads(line[line.index("{") :]) for line in log.splitlines() if f'"{event}"' in line
    ]
    return [line for line in lines if line.get("event") == event]
