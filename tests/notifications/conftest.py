"""notifications suites: customers with tokens, and a local receiver for webhook deliveries."""

import uuid

import pytest

from common.testing.servers import HttpStub

# Where the customer's endpoint listens on the receiver; the query string must reach it too.
WEBHOOK_TARGET = "/hooks/mercato?shop=1"
CUSTOMER_SCOPES = ["notifications.notification.read", "notifications.webhook.manage"]


@pytest.fixture
def customer_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def customer_headers(token_minter, customer_id):
    """Test-client keyword arguments authenticating as the customer `customer_id`."""
    return token_minter.authorization(
        subject=customer_id, roles=["customer"], scopes=CUSTOMER_SCOPES
    )


@pytest.fixture
def webhook_receiver(http_stub, settings) -> HttpStub:
    """A customer's endpoint on 127.0.0.1 answering 204 to every POST, which the service may
    reach only with private targets allowed, as in local development."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    http_stub.on("POST", None, (204, None))
    return http_stub
