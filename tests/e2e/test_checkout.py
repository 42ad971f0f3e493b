"""The checkout saga across every service's real processes, driven only through HTTP."""

import uuid

import pytest
from standardwebhooks.webhooks import Webhook

from common.testing.servers import StubRequest
from tests.e2e.shop import described, eventually

pytestmark = pytest.mark.e2e
CONFIRMED_WITHIN_SECONDS = 10


def verified_payload(delivery: StubRequest, secret: str) -> dict:
    """The webhook's payload, once its Standard Webhooks signature checks out with `secret`."""
    Webhook(secret).verify(delivery.body, delivery.headers)
    return delivery.json()


def test_a_new_customer_pays_and_the_whole_platform_follows(shop, webhooks, mail):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5, price="12.50")
    listed = shop.call("GET", "catalog", "products/?page_size=100", token=customer["token"])
    hook_path = f"/hooks/{uuid.uuid4()}"
    endpoint = shop.webhook(customer["token"], webhooks.url(hook_path), ["order.confirmed"])

    order_id = shop.placed(customer["token"], [(product_id, 2)], "pm_card_ok")

    assert listed.status_code == 200, described(listed)
    order = shop.settled(customer["token"], order_id, timeout=CONFIRMED_WITHIN_SECONDS)
    assert order["status"] == "CONFIRMED"
    assert order["total"] == "25.00"
    # catalog commits the reservation when it handles order.confirmed, a moment after orders.
    eventually(lambda: shop.stock(product_id)["reserved"] == 0, timeout=10, what="stock committed")
    assert shop.stock(product_id) | {"product_id": None} == {
        "product_id": None,
        "on_hand": 3,
        "reserved": 0,
        "available": 3,
    }
    [payment] = shop.payments(customer["token"], order_id)
    assert (payment["status"], payment["amount"]) == ("SUCCEEDED", "25.00")
    confirmation = eventually(
        lambda: [m for m in mail.to(customer["email"]) if "confirmed" in m["Subject"]],
        timeout=10,
        what="the confirmation e-mail",
    )
    assert len(confirmation) == 1
    [delivery] = eventually(lambda: webhooks.received(hook_path), timeout=10, what="the webhook")
    payload = verified_payload(delivery, endpoint["secret"])
    assert payload["type"] == "order.confirmed"
    assert payload["data"]["order_id"] == order_id


def test_a_declined_card_cancels_and_puts_the_stock_back(shop):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5)

    order_id = shop.placed(customer["token"], [(product_id, 2)], "pm_card_declined")

    order = shop.settled(customer["token"], order_id)
    assert order["status"] == "CANCELLED"
    assert order["cancel_reason"] == "payment_failed"
    assert eventually(lambda: shop.stock(product_id)["reserved"] == 0, timeout=10)
    assert shop.stock(product_id)["on_hand"] == 5


def test_a_flaky_card_is_retried_until_it_goes_through(shop):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5)

    order_id = shop.placed(customer["token"], [(product_id, 1)], "pm_card_flaky")

    order = shop.settled(customer["token"], order_id, timeout=60)
    assert order["status"] == "CONFIRMED"
    [payment] = shop.payments(customer["token"], order["id"])
    assert payment["status"] == "SUCCEEDED"
    assert payment["attempts"] > 1


def test_more_than_the_stock_cancels_as_out_of_stock_and_reserves_nothing(shop):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=3)

    order_id = shop.placed(customer["token"], [(product_id, 4)], "pm_card_ok")

    order = shop.settled(customer["token"], order_id)
    assert (order["status"], order["cancel_reason"]) == ("CANCELLED", "out_of_stock")
    assert shop.stock(product_id) | {"product_id": None} == {
        "product_id": None,
        "on_hand": 3,
        "reserved": 0,
        "available": 3,
    }
    assert shop.payments(customer["token"], order["id"]) == []


def test_finance_refunds_a_confirmed_order_and_the_stock_returns(shop):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5)
    order_id = shop.placed(customer["token"], [(product_id, 2)], "pm_card_ok")
    shop.settled(customer["token"], order_id)
    finance = shop.sign_in("finance@mercato.local")

    refund = shop.call("POST", "orders", f"orders/{order_id}/refund/", token=finance)

    assert refund.status_code == 200, described(refund)
    order = shop.settled(customer["token"], order_id, into={"REFUNDED"})
    assert [change["to_status"] for change in order["history"]][-2:] == [
        "REFUND_PENDING",
        "REFUNDED",
    ]
    [payment] = shop.payments(customer["token"], order_id)
    assert payment["status"] == "REFUNDED"
    assert eventually(lambda: shop.stock(product_id)["on_hand"] == 5, timeout=10)


def test_one_idempotency_key_places_one_order_however_often_it_is_sent(shop):
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5)
    key = str(uuid.uuid4())

    first = shop.place(customer["token"], [(product_id, 1)], "pm_card_ok", key=key)
    again = shop.place(customer["token"], [(product_id, 1)], "pm_card_ok", key=key)
    changed = shop.place(customer["token"], [(product_id, 2)], "pm_card_ok", key=key)

    assert (first.status_code, again.status_code, changed.status_code) == (201, 201, 422), [
        described(answer) for answer in (first, again, changed)
    ]
    assert again.json()["id"] == first.json()["id"]
    shop.settled(customer["token"], first.json()["id"])
    eventually(lambda: shop.stock(product_id)["reserved"] == 0, timeout=10, what="stock committed")
    assert shop.stock(product_id)["on_hand"] == 4


def test_customers_see_only_their_own_orders_payments_and_webhook_events(shop, webhooks):
    alice, bob = shop.new_customer(), shop.new_customer()
    product_id = shop.new_product(on_hand=5)
    alice_hook, bob_hook = f"/hooks/{uuid.uuid4()}", f"/hooks/{uuid.uuid4()}"
    shop.webhook(alice["token"], webhooks.url(alice_hook), ["order.created", "order.confirmed"])
    shop.webhook(bob["token"], webhooks.url(bob_hook), ["order.created", "order.confirmed"])

    order_id = shop.placed(alice["token"], [(product_id, 1)], "pm_card_ok")
    shop.settled(alice["token"], order_id)
    [payment] = shop.payments(alice["token"], order_id)

    bobs_order = shop.call("GET", "orders", f"orders/{order_id}/", token=bob["token"])
    bobs_payment = shop.call("GET", "payments", f"payments/{payment['id']}/", token=bob["token"])
    assert bobs_order.status_code == 404, described(bobs_order)
    assert bobs_payment.status_code == 404, described(bobs_payment)
    assert shop.payments(bob["token"], order_id) == []
    delivered = eventually(lambda: len(webhooks.received(alice_hook)) == 2 and True, timeout=10)
    assert delivered
    assert webhooks.received(bob_hook) == []
    customers = {d.json()["data"]["customer_id"] for d in webhooks.received(alice_hook)}
    assert customers == {alice["id"]}
