"""Notifications' metrics: e-mails sent once their record commits or refused by the mail server,
and each webhook attempt by the state it leaves its delivery in."""

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend

from apps.notifications.models import DeliveryStatus, WebhookDelivery
from common.testing.events import deliver, event_data
from common.testing.metrics import metric_value
from tests.notifications.conftest import WEBHOOK_TARGET
from tests.notifications.factories import RecipientFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db
EMAILS = "mercato_emails_total"
WEBHOOKS = "mercato_webhook_deliveries_total"


def order_confirmed(customer_id) -> None:
    deliver("order.confirmed", event_data("order.confirmed", customer_id=str(customer_id)))


def test_an_email_sent_is_counted_once_its_record_commits(mailoutbox, committed):
    customer = RecipientFactory()
    before = metric_value(EMAILS, outcome="sent")

    with committed():
        order_confirmed(customer.user_id)
        assert metric_value(EMAILS, outcome="sent") == before

    assert len(mailoutbox) == 1
    assert metric_value(EMAILS, outcome="sent") == before + 1


def test_an_email_the_mail_server_refuses_is_counted_failed_and_not_sent(
    monkeypatch, settings, committed
):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 1
    customer = RecipientFactory()
    sent, failed = metric_value(EMAILS, outcome="sent"), metric_value(EMAILS, outcome="failed")

    with committed():
        order_confirmed(customer.user_id)

    assert metric_value(EMAILS, outcome="failed") == failed + 1
    assert metric_value(EMAILS, outcome="sent") == sent


def test_each_webhook_attempt_is_counted_by_what_it_left_its_delivery_in(
    webhook_receiver, customer_id, settings, committed, mailoutbox
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0  # each retry is due at once, and runs inline
    RecipientFactory(user_id=customer_id)
    WebhookEndpointFactory(owner_id=customer_id, url=webhook_receiver.url(WEBHOOK_TARGET))
    outcomes = ("succeeded", "retrying", "failed")
    before = {outcome: metric_value(WEBHOOKS, outcome=outcome) for outcome in outcomes}

    webhook_receiver.on("POST", None, (500, None), (204, None))
    with committed():
        order_confirmed(customer_id)
    webhook_receiver.on("POST", None, (500, None))
    with committed():
        order_confirmed(customer_id)

    statuses = sorted(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == [DeliveryStatus.FAILED, DeliveryStatus.SUCCEEDED]
    moved = {
        outcome: metric_value(WEBHOOKS, outcome=outcome) - before[outcome] for outcome in outcomes
    }
    assert moved == {"succeeded": 1, "retrying": 3, "failed": 1}
