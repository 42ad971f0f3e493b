"""E-mails to customers: one per event however often it is delivered, retried until the
customer is known, and never recorded when the mail server refuses."""

import smtplib
import uuid

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.backends.locmem import EmailBackend

from apps.notifications.models import Notification, NotificationKind
from apps.notifications.services import RecipientUnknown
from common.events.envelope import Event, envelope_for
from common.events.inbox import dead_letter_replay, handler_apply
from common.events.models import DeadLetter, InboxEntry
from common.settings.environment import email_url
from common.testing.events import deliver, event_data
from common.testing.servers import free_port
from tests.notifications.factories import RecipientFactory

pytestmark = pytest.mark.django_db

EMAIL_HANDLER = "order_events__send_email"
ORDER_EMAIL_TYPES = ("order.cancelled", "order.confirmed", "order.refunded")
EARL_GREY_TWICE = {
    "product_id": str(uuid.uuid4()),
    "sku": "TEA-EARL",
    "name": "Earl Grey",
    "quantity": 2,
    "unit_price": "7.20",
}


@pytest.mark.parametrize(
    ("event_type", "kind", "subject"),
    [
        ("order.confirmed", NotificationKind.ORDER_CONFIRMED, "Your order {} is confirmed"),
        ("order.cancelled", NotificationKind.ORDER_CANCELLED, "Your order {} was cancelled"),
        ("order.refunded", NotificationKind.ORDER_REFUNDED, "Your order {} was refunded"),
    ],
)
def test_an_order_event_delivered_twice_sends_one_email_and_records_it(
    mailoutbox, settings, event_type, kind, subject
):
    customer = RecipientFactory(full_name="Ada Lovelace")
    data = event_data(
        event_type, customer_id=str(customer.user_id), total="14.40", lines=[EARL_GREY_TWICE]
    )

    envelope = deliver(event_type, data, times=2)

    (message,) = mailoutbox
    short_id = data["order_id"][:8]
    assert message.to == [customer.email]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == subject.format(short_id)
    assert "Hello Ada Lovelace" in message.body
    assert "2 x Earl Grey (TEA-EARL) at 7.20 EUR" in message.body
    assert "Total: 14.40 EUR" in message.body
    notification = Notification.objects.get()
    assert (notification.recipient_id, str(notification.order_id)) == (
        customer.user_id,
        data["order_id"],
    )
    assert (notification.kind, str(notification.event_id)) == (kind, envelope["id"])
    assert (notification.subject, notification.body) == (message.subject, message.body)
    assert notification.sent_at is not None


def test_a_cancellation_email_gives_the_reason(mailoutbox):
    customer = RecipientFactory()

    data = event_data(
        "order.cancelled", customer_id=str(customer.user_id), reason="payment_declined"
    )

    deliver("order.cancelled", data)

    assert "was cancelled (payment_declined)" in mailoutbox[0].body


def test_user_registered_sends_one_welcome_email(mailoutbox):
    user_id = uuid.uuid4()
    data = {"user_id": str(user_id), "email": "ada@mercato.test", "full_name": "Ada"}

    deliver("user.registered", data, times=2)

    (message,) = mailoutbox
    assert (message.to, message.subject) == (["ada@mercato.test"], "Welcome to Mercato")
    assert Notification.objects.get().kind == NotificationKind.WELCOME


def test_order_created_sends_no_email(mailoutbox):
    customer = RecipientFactory()

    deliver("order.created", event_data("order.created", customer_id=str(customer.user_id)))

    assert mailoutbox == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize("event_type", ORDER_EMAIL_TYPES)
def test_an_order_event_for_an_unknown_customer_raises_so_it_is_retried(mailoutbox, event_type):
    envelope = envelope_for(
        event_type=event_type,
        data=event_data(event_type, customer_id=str(uuid.uuid4())),
        source="orders",
    )

    with pytest.raises(RecipientUnknown):
        handler_apply(event=Event.from_envelope(envelope), handler_name=EMAIL_HANDLER)

    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_an_email_waiting_for_its_customer_is_sent_once_replayed_after_registration(
    mailoutbox, settings
):
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 2
    customer_id = uuid.uuid4()
    deliver("order.confirmed", event_data("order.confirmed", customer_id=str(customer_id)))
    dead_letter = DeadLetter.objects.get(handler=EMAIL_HANDLER)
    assert "RecipientUnknown" in dead_letter.error

    registration = {"user_id": str(customer_id), "email": "late@mercato.test", "full_name": ""}
    deliver("user.registered", registration)
    dead_letter_replay(dead_letter=dead_letter)

    assert [message.subject.split()[-1] for message in mailoutbox] == ["Mercato", "confirmed"]
    assert mailoutbox[1].to == ["late@mercato.test"]


def test_a_refusing_mail_server_fails_the_handler_and_leaves_no_record(monkeypatch, mailoutbox):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    customer = RecipientFactory()
    envelope = envelope_for(
        event_type="order.confirmed",
        data=event_data("order.confirmed", customer_id=str(customer.user_id)),
        source="orders",
    )

    with pytest.raises(smtplib.SMTPServerDisconnected):
        handler_apply(event=Event.from_envelope(envelope), handler_name=EMAIL_HANDLER)

    assert not Notification.objects.exists()
    # Without its inbox row the event is applied again on the next attempt.
    assert not InboxEntry.objects.exists()


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 keeping the envelopes it accepts."""
    received = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


def test_an_email_url_naming_an_smtp_server_sends_through_it(settings, smtp_server, monkeypatch):
    port, received = smtp_server
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{port}")
    for name, value in email_url("EMAIL_URL").items():
        setattr(settings, name, value)
    customer = RecipientFactory()

    deliver("order.refunded", event_data("order.refunded", customer_id=str(customer.user_id)))

    (envelope,) = received
    assert envelope.rcpt_tos == [customer.email]
    assert b"Subject: Your order" in envelope.content
    assert Notification.objects.get().email == customer.email
