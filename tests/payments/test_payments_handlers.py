"""payments in the saga: order.payment_requested charges once and announces the outcome,
order.refund_requested refunds once, whatever order and however often the events arrive."""

import uuid

import pytest

from apps.payments.models import Payment, PaymentStatus, SandboxOperation
from apps.payments.providers import ProviderUnavailable
from apps.payments.providers.sandbox import SandboxProvider
from common.events.inbox import dead_letter_replay
from common.events.models import DeadLetter
from common.testing.events import deliver, event_data, published, published_data

pytestmark = pytest.mark.django_db


def payment_requested(payment_method: str) -> dict:
    return event_data("order.payment_requested", payment_method=payment_method, amount="12.50")


def refund_requested(request: dict) -> dict:
    return {key: request[key] for key in ("order_id", "customer_id", "amount", "currency")}


def settled(request: dict, payment: Payment) -> dict:
    """payment.succeeded's and payment.refunded's data for `payment`, made for `request`."""
    return {
        "order_id": request["order_id"],
        "payment_id": str(payment.id),
        "amount": "12.50",
        "currency": request["currency"],
    }


def test_a_duplicated_request_makes_one_payment_one_charge_and_one_success(run_on_commit):
    request = payment_requested("pm_card_ok")

    with run_on_commit():
        deliver("order.payment_requested", request, times=2)

    payment = Payment.objects.get()
    assert payment.order_id == uuid.UUID(request["order_id"])
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.attempts == 1
    assert SandboxOperation.objects.filter(kind="charge").count() == 1
    assert published_data("payment.succeeded") == [settled(request, payment)]


def test_a_second_request_event_for_a_settled_order_changes_nothing(run_on_commit):
    request = payment_requested("pm_card_ok")

    with run_on_commit():
        deliver("order.payment_requested", request)
        deliver("order.payment_requested", request)

    assert Payment.objects.count() == 1
    assert Payment.objects.get().attempts == 1
    assert len(published("payment.succeeded")) == 1


def test_a_declined_card_fails_the_payment_with_its_reason(run_on_commit):
    request = payment_requested("pm_card_declined")

    with run_on_commit():
        deliver("order.payment_requested", request)

    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_reason == "card_declined"
    assert published_data("payment.failed") == [
        {"order_id": request["order_id"], "payment_id": str(payment.id), "reason": "card_declined"}
    ]
    assert published("payment.succeeded") == []


def test_an_unknown_payment_method_fails_the_payment(run_on_commit):
    with run_on_commit():
        deliver("order.payment_requested", payment_requested("pm_nonsense"))

    assert published_data("payment.failed")[0]["reason"] == "unknown_payment_method"


@pytest.mark.usefixtures("retrying_worker")
def test_a_flaky_card_succeeds_after_the_task_retries(run_on_commit):
    with run_on_commit():
        deliver("order.payment_requested", payment_requested("pm_card_flaky"))

    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.attempts == 3
    assert SandboxOperation.objects.filter(kind="charge").count() == 1
    assert len(published("payment.succeeded")) == 1


@pytest.mark.usefixtures("retrying_worker")
def test_exhausted_retries_fail_the_payment_as_provider_unavailable(run_on_commit, settings):
    settings.PAYMENT_MAX_RETRIES = 1

    with run_on_commit():
        deliver("order.payment_requested", payment_requested("pm_card_flaky"))

    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.FAILED
    assert payment.attempts == 2
    assert payment.failure_reason == "provider_unavailable"
    assert [data["reason"] for data in published_data("payment.failed")] == ["provider_unavailable"]
    assert SandboxOperation.objects.count() == 0


def test_a_refund_request_refunds_a_succeeded_payment_once(run_on_commit):
    request = payment_requested("pm_card_ok")
    with run_on_commit():
        deliver("order.payment_requested", request)

    with run_on_commit():
        deliver("order.refund_requested", refund_requested(request), times=2)
        deliver("order.refund_requested", refund_requested(request))

    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.refunded_at is not None
    assert payment.refund_reference.startswith("sandbox_re_")
    assert SandboxOperation.objects.filter(kind="refund").count() == 1
    assert published_data("payment.refunded") == [settled(request, payment)]


def test_a_refund_requested_before_the_charge_settled_follows_the_charge(
    django_capture_on_commit_callbacks, run_on_commit
):
    request = payment_requested("pm_card_ok")
    with django_capture_on_commit_callbacks() as charge_not_run_yet:
        deliver("order.payment_requested", request)

    with run_on_commit():
        deliver("order.refund_requested", refund_requested(request))
    assert Payment.objects.get().status == PaymentStatus.PENDING
    with run_on_commit():
        for callback in charge_not_run_yet:
            callback()

    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.REFUNDED
    assert [envelope["type"] for envelope in published() if envelope["type"].startswith("pay")] == [
        "payment.succeeded",
        "payment.refunded",
    ]


def test_a_refund_request_for_a_failed_payment_moves_no_money(run_on_commit):
    request = payment_requested("pm_card_declined")
    with run_on_commit():
        deliver("order.payment_requested", request)

    with run_on_commit():
        deliver("order.refund_requested", refund_requested(request))

    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.FAILED
    assert payment.refund_requested_at is not None
    assert published("payment.refunded") == []
    assert SandboxOperation.objects.filter(kind="refund").count() == 0


def test_a_refund_request_before_any_payment_waits_as_a_dead_letter_for_replay(
    run_on_commit, settings
):
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 2
    request = payment_requested("pm_card_ok")

    with run_on_commit():
        deliver("order.refund_requested", refund_requested(request))
    dead_letter = DeadLetter.objects.get(type="order.refund_requested")
    with run_on_commit():
        deliver("order.payment_requested", request)
        dead_letter_replay(dead_letter=dead_letter)

    assert dead_letter.attempts == 2
    assert Payment.objects.get().status == PaymentStatus.REFUNDED
    assert len(published("payment.refunded")) == 1


@pytest.mark.usefixtures("retrying_worker")
def test_an_unavailable_refund_is_kept_for_a_later_request(run_on_commit, settings, monkeypatch):
    settings.PAYMENT_MAX_RETRIES = 2
    request = payment_requested("pm_card_ok")
    with run_on_commit():
        deliver("order.payment_requested", request)
    calls = []

    def unavailable(self, *, payment):
        calls.append(payment.id)
        raise ProviderUnavailable("sandbox is down")

    with monkeypatch.context() as patched, run_on_commit():
        patched.setattr(SandboxProvider, "refund", unavailable)
        deliver("order.refund_requested", refund_requested(request))
    stuck = Payment.objects.get()
    with run_on_commit():
        deliver("order.refund_requested", refund_requested(request))

    assert len(calls) == 3
    assert stuck.status == PaymentStatus.SUCCEEDED
    assert stuck.refund_failure_reason == "provider_unavailable"
    assert Payment.objects.get().status == PaymentStatus.REFUNDED
    assert Payment.objects.get().refund_failure_reason == ""
    assert len(published("payment.refunded")) == 1
