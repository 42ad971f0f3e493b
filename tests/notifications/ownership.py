"""The ownership matrix of notifications: every default role and anonymous callers against another
person's e-mails and webhook endpoints (with their deliveries, a delivery sent again, and ping), on
every route that names one or lists them."""

from apps.notifications.models import DeliveryStatus, Recipient
from common.testing.ownership import Access, Listing
from common.testing.servers import free_port
from tests.notifications.factories import (
    NotificationFactory,
    RecipientFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)

SERVICE = "notifications"
WEBHOOK = f"{SERVICE}/api/v1/webhooks/<uuid:webhook_id>/"
ENDPOINT_MANAGERS = frozenset({"admin"})
ENDPOINT_OWNERS = frozenset({"customer"})


def endpoint(owner: str):
    """An endpoint with one delivery in its log; a ping to it is refused at once (its address is
    private) and reaches nothing."""
    owned = WebhookEndpointFactory(owner_id=owner, url=f"http://127.0.0.1:{free_port()}/hooks")
    WebhookDeliveryFactory(endpoint=owned)
    return owned


def failed_delivery(owner: str):
    """A delivery to an endpoint of `owner`'s that used up its attempts; sent again, its attempt
    is queued after a commit the test never makes."""
    owned = WebhookEndpointFactory(owner_id=owner, url=f"http://127.0.0.1:{free_port()}/hooks")
    return WebhookDeliveryFactory(
        endpoint=owned, status=DeliveryStatus.FAILED, attempts=1, next_attempt_at=None
    )


def notification(owner: str):
    """An e-mail to `owner`, who may have been sent others already."""
    recipient = Recipient.objects.filter(user_id=owner).first() or RecipientFactory(user_id=owner)
    return NotificationFactory(recipient=recipient)


ACCESSES = (
    *(
        Access(
            WEBHOOK,
            method,
            endpoint,
            allowed=ENDPOINT_MANAGERS,
            hidden=ENDPOINT_OWNERS,
            body={"is_active": False},
        )
        for method in ("get", "patch", "delete")
    ),
    Access(
        f"{WEBHOOK}deliveries/",
        "get",
        endpoint,
        allowed=ENDPOINT_MANAGERS,
        hidden=ENDPOINT_OWNERS,
    ),
    Access(
        f"{WEBHOOK}deliveries/<uuid:delivery_id>/resend/",
        "post",
        failed_delivery,
        allowed=ENDPOINT_MANAGERS,
        hidden=ENDPOINT_OWNERS,
        parameters={"webhook_id": lambda delivery: delivery.endpoint_id},
    ),
    Access(
        f"{WEBHOOK}ping/",
        "post",
        endpoint,
        allowed=ENDPOINT_MANAGERS,
        hidden=ENDPOINT_OWNERS,
    ),
)
LISTINGS = (
    Listing(
        f"{SERVICE}/api/v1/notifications/",
        notification,
        everyone=frozenset({"support", "admin"}),
        own=frozenset({"customer"}),
    ),
    Listing(
        f"{SERVICE}/api/v1/webhooks/",
        endpoint,
        everyone=ENDPOINT_MANAGERS,
        own=ENDPOINT_OWNERS,
    ),
)
