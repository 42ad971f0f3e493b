"""`./manage.py notifications webhook_listen`: a receiver on this machine that the service's real
delivery reaches (loopback allowed, as under `make run`); it prints each delivery, checks its
signature when given the endpoint's secret, and stops after --count or gives up at --timeout."""

import io
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command

from apps.notifications.models import DeliveryStatus
from apps.notifications.services import webhook_delivery_attempt
from apps.notifications.signing import webhook_secret_generate
from tests.notifications.factories import WebhookDeliveryFactory

pytestmark = pytest.mark.django_db
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+/)")


@dataclass
class Listener:
    url: str
    output: io.StringIO
    thread: threading.Thread
    failure: list[BaseException]

    def finished(self) -> str:
        """What it printed, once it stopped by itself."""
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), self.output.getvalue()
        return self.output.getvalue()


@pytest.fixture
def listen(settings) -> Iterator:
    """Starts the command in a thread on a free port; returns where it listens once it does."""
    settings.WEBHOOK_ALLOW_LOOPBACK_TARGETS = True
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    started = []

    def start(*arguments: str) -> Listener:
        output, failure = io.StringIO(), []

        def run() -> None:
            try:
                call_command("webhook_listen", "--port", "0", *arguments, stdout=output)
            except BaseException as error:
                failure.append(error)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        for _ in range(100):
            if found := LISTENING.search(output.getvalue()):
                listener = Listener(found[1], output, thread, failure)
                started.append(listener)
                return listener
            time.sleep(0.05)
        raise AssertionError(f"not listening: {output.getvalue()} {failure}")

    yield start
    for listener in started:
        listener.thread.join(timeout=10)


def delivered_to(url: str, *, secret: str) -> DeliveryStatus:
    delivery = WebhookDeliveryFactory(endpoint__url=f"{url}hooks/mercato", endpoint__secret=secret)
    settled = webhook_delivery_attempt(delivery_id=delivery.id)
    assert settled is not None
    return settled.status


def test_a_delivery_signed_with_the_given_secret_is_printed_verified_and_answered_2xx(listen):
    secret = webhook_secret_generate()
    listener = listen("--secret", secret, "--count", "1", "--timeout", "10")

    status = delivered_to(listener.url, secret=secret)

    printed = listener.finished()
    assert status == DeliveryStatus.SUCCEEDED
    assert "POST /hooks/mercato order.confirmed" in printed
    assert "signature verified" in printed
    assert '"type": "order.confirmed"' in printed
    assert listener.failure == []


def test_a_delivery_signed_with_another_secret_is_answered_400_and_not_counted(listen):
    listener = listen("--secret", webhook_secret_generate(), "--count", "1", "--timeout", "2")

    status = delivered_to(listener.url, secret=webhook_secret_generate())

    printed = listener.finished()
    assert status != DeliveryStatus.SUCCEEDED
    assert "signature INVALID" in printed
    (failure,) = listener.failure
    assert isinstance(failure, CommandError)
    assert "0 of 1 deliveries" in str(failure)


def test_without_a_secret_every_delivery_is_printed_unchecked_and_answered_2xx(listen):
    listener = listen("--count", "2", "--timeout", "10")

    statuses = [delivered_to(listener.url, secret=webhook_secret_generate()) for _ in range(2)]

    printed = listener.finished()
    assert statuses == [DeliveryStatus.SUCCEEDED] * 2
    assert printed.count("signature not checked") == 2
    assert listener.failure == []
