"""The notifications list: a customer reads their own e-mails, support reads everyone's."""

import pytest

from common.testing.events import deliver, event_data
from tests.notifications.factories import RecipientFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS_URL = "/notifications/api/v1/notifications/"


def confirm_orders(customer, count: int) -> list[str]:
    orders = [
        event_data("order.confirmed", customer_id=str(customer.user_id)) for _ in range(count)
    ]
    for data in orders:
        deliver("order.confirmed", data)
    return [data["order_id"] for data in orders]


def test_a_customer_lists_only_their_own_notifications(api_client, token_minter, mailoutbox):
    ada, bob = RecipientFactory(), RecipientFactory()
    ada_orders = confirm_orders(ada, 2)
    confirm_orders(bob, 1)
    headers = token_minter.authorization(
        subject=str(ada.user_id), scopes=["notifications.notification.read"]
    )

    response = api_client.get(NOTIFICATIONS_URL, **headers)

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert sorted(item["order_id"] for item in body["results"]) == sorted(ada_orders)
    assert {item["user_id"] for item in body["results"]} == {str(ada.user_id)}
    assert body["results"][0]["kind"] == "order_confirmed"
    assert body["results"][0]["email"] == ada.email


def test_read_any_lists_everyones_notifications(api_client, token_minter, mailoutbox):
    confirm_orders(RecipientFactory(), 1)
    confirm_orders(RecipientFactory(), 2)
    support = token_minter.authorization(scopes=["notifications.notification.read_any"])

    response = api_client.get(NOTIFICATIONS_URL, **support)

    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_the_list_filters_by_order(api_client, token_minter, mailoutbox):
    ada = RecipientFactory()
    first, _ = confirm_orders(ada, 2)
    headers = token_minter.authorization(
        subject=str(ada.user_id), scopes=["notifications.notification.read"]
    )

    response = api_client.get(NOTIFICATIONS_URL, {"order_id": first}, **headers)

    assert [item["order_id"] for item in response.json()["results"]] == [first]


def test_without_the_read_scope_the_list_is_403_and_without_a_token_401(api_client, token_minter):
    forbidden = api_client.get(NOTIFICATIONS_URL, **token_minter.authorization(scopes=["x.y.z"]))
    anonymous = api_client.get(NOTIFICATIONS_URL)

    assert forbidden.status_code == 403
    assert anonymous.status_code == 401


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_costs_the_same_queries_whatever_the_page_holds(
    api_client, token_minter, mailoutbox, django_assert_num_queries, count
):
    ada = RecipientFactory()
    confirm_orders(ada, count)
    headers = token_minter.authorization(
        subject=str(ada.user_id), scopes=["notifications.notification.read"]
    )

    with django_assert_num_queries(1):  # the page with its count
        response = api_client.get(NOTIFICATIONS_URL, **headers)

    assert len(response.json()["results"]) == count
