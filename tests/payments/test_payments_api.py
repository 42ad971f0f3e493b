"""Payment reads: a customer sees only their own, `read_any` sees all, in constant queries; finance
retries a stalled payment."""

import uuid

import pytest

from apps.payments.models import PaymentStatus
from tests.payments.factories import PaymentFactory

pytestmark = pytest.mark.django_db

PAYMENTS_URL = "/payments/api/v1/payments/"
READ = "payments.payment.read"
READ_ANY = "payments.payment.read_any"


def detail_url(payment_id) -> str:
    return f"{PAYMENTS_URL}{payment_id}/"


@pytest.fixture
def customer_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def as_customer(api_client, token_minter, customer_id):
    api_client.credentials(**token_minter.authorization(scopes=[READ], subject=customer_id))
    return api_client


@pytest.fixture
def as_support(api_client, token_minter):
    api_client.credentials(**token_minter.authorization(scopes=[READ_ANY], roles=["support"]))
    return api_client


def ids(response) -> set[str]:
    return {payment["id"] for payment in response.json()["results"]}


def test_a_customer_lists_only_their_own_payments(as_customer, customer_id):
    own = PaymentFactory.create_batch(2, customer_id=customer_id)
    PaymentFactory()

    response = as_customer.get(PAYMENTS_URL)

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert ids(response) == {str(payment.id) for payment in own}


def test_a_listed_payment_shows_money_as_a_string_and_the_provider_outcome(
    as_customer, customer_id
):
    payment = PaymentFactory(
        customer_id=customer_id,
        status=PaymentStatus.FAILED,
        failure_reason="card_declined",
        payment_method="pm_card_declined",
    )

    listed = as_customer.get(PAYMENTS_URL).json()["results"]

    assert listed == [
        {
            "id": str(payment.id),
            "order_id": str(payment.order_id),
            "customer_id": customer_id,
            "amount": "12.50",
            "currency": "EUR",
            "status": "FAILED",
            "payment_method": "pm_card_declined",
            "provider": "sandbox",
            "attempts": payment.attempts,
            "failure_reason": "card_declined",
            "refund_requested_at": None,
            "refunded_at": None,
            "refund_failure_reason": "",
            "created_at": listed[0]["created_at"],
            "updated_at": listed[0]["updated_at"],
        }
    ]


def test_read_any_lists_every_customers_payments(as_support):
    every = PaymentFactory.create_batch(3)

    assert ids(as_support.get(PAYMENTS_URL)) == {str(payment.id) for payment in every}


def test_the_list_filters_by_order_and_by_status(as_support):
    wanted = PaymentFactory(status=PaymentStatus.SUCCEEDED)
    PaymentFactory(status=PaymentStatus.SUCCEEDED)
    PaymentFactory(status=PaymentStatus.FAILED)

    by_order = as_support.get(PAYMENTS_URL, {"order_id": str(wanted.order_id)})
    by_status = as_support.get(PAYMENTS_URL, {"status": "FAILED"})

    assert ids(by_order) == {str(wanted.id)}
    assert by_status.json()["count"] == 1


def test_a_bad_filter_is_a_400_naming_the_parameter(as_support):
    response = as_support.get(PAYMENTS_URL, {"status": "LOST", "order_id": "nope"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"status", "order_id"}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"status": "\x00"}, "status"),
        ({"order_id": "\x00"}, "order_id"),
        ({"order_id": "a" * 10_000}, "order_id"),
        ({"page": "9" * 30}, "page"),
    ],
)
def test_a_nul_or_oversized_filter_is_a_400_naming_the_parameter(as_support, query, parameter):
    response = as_support.get(PAYMENTS_URL, query)

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [parameter]


@pytest.mark.parametrize("count", [1, 15])
def test_the_list_costs_the_same_queries_at_any_page_size(
    as_support, django_assert_num_queries, count
):
    PaymentFactory.create_batch(count)

    with django_assert_num_queries(1):  # the page with its count
        response = as_support.get(PAYMENTS_URL, {"page_size": 20})

    assert len(response.json()["results"]) == count


def test_a_customer_reads_their_own_payment(as_customer, customer_id):
    payment = PaymentFactory(customer_id=customer_id)

    response = as_customer.get(detail_url(payment.id))

    assert response.status_code == 200
    assert response.json()["id"] == str(payment.id)


def test_read_any_reads_any_payment(as_support):
    payment = PaymentFactory()

    assert as_support.get(detail_url(payment.id)).json()["order_id"] == str(payment.order_id)


def test_no_token_is_a_401_and_a_token_without_a_payments_scope_a_403(api_client, token_minter):
    payment = PaymentFactory()
    assert api_client.get(PAYMENTS_URL).status_code == 401

    api_client.credentials(**token_minter.authorization(scopes=["orders.order.read"]))

    assert api_client.get(PAYMENTS_URL).status_code == 403
    assert api_client.get(detail_url(payment.id)).status_code == 403


def test_a_service_token_with_the_customer_scope_sees_no_payments(api_client, token_minter):
    PaymentFactory()
    api_client.credentials(**token_minter.authorization(scopes=[READ], subject="service:orders"))

    response = api_client.get(PAYMENTS_URL)

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.fixture
def as_finance(api_client, token_minter):
    scopes = [READ_ANY, "payments.payment.retry"]
    api_client.credentials(**token_minter.authorization(scopes=scopes, roles=["finance"]))
    return api_client


def test_finance_retries_a_stalled_charge_through_the_api_as_the_admin_does(as_finance, committed):
    payment = PaymentFactory()

    with committed():
        response = as_finance.post(f"{detail_url(payment.id)}retry/")

    assert response.status_code == 200, response.content
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_a_settled_payment_is_a_409_to_retry(as_finance):
    payment = PaymentFactory(status=PaymentStatus.FAILED, failure_reason="card_declined")

    response = as_finance.post(f"{detail_url(payment.id)}retry/")

    assert response.status_code == 409
    assert response.json()["type"] == "urn:mercato:problem:payment_not_retryable"


def test_support_may_not_retry(as_support):
    payment = PaymentFactory()

    assert as_support.post(f"{detail_url(payment.id)}retry/").status_code == 403
