"""notifications suites: customers with tokens, and a local receiver for webhook deliveries."""

import uuid

import pytest

from common.testing.notifications import WebhookReceiver, webhook_receiver_start

CUSTOMER_SCOPES = ["notifications.notification.read", "notifications.webhook.manage"]


@pytest.fixture
def customer_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def as_customer(token_minter, customer_id):
    """Test-client keyword arguments authenticating as the customer `customer_id`."""
    return token_minter.authorization(
        subject=customer_id, roles=["customer"], scopes=CUSTOMER_SCOPES
    )


@pytest.fixture
def webhook_receiver(settings) -> WebhookReceiver:
    """A customer's endpoint on 127.0.0.1, which the service may reach only with private targets
    allowed, as in local development."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    receiver = webhook_receiver_start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
