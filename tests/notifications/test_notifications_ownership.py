"""The ownership matrix of notifications: every default role and anonymous callers against another
person's e-mails and webhook endpoints (with their deliveries and ping), on every route that names
one or lists them."""

import pytest

from apps.accounts.roles import DEFAULT_ROLES
from common.testing.ownership import (
    Access,
    Listing,
    access_check,
    listing_check,
    matrix_gaps,
    roles_of,
)
from common.testing.servers import free_port
from tests.notifications.factories import (
    NotificationFactory,
    RecipientFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)

pytestmark = pytest.mark.django_db

SERVICE = "notifications"
ROLES = roles_of(DEFAULT_ROLES)
WEBHOOK = f"{SERVICE}/api/v1/webhooks/<uuid:webhook_id>/"
ENDPOINT_MANAGERS = frozenset({"admin"})
ENDPOINT_OWNERS = frozenset({"customer"})


def endpoint(owner: str):
    """An endpoint with one delivery in its log; a ping to it is refused at once (its address is
    private) and reaches nothing."""
    owned = WebhookEndpointFactory(owner_id=owner, url=f"http://127.0.0.1:{free_port()}/hooks")
    WebhookDeliveryFactory(endpoint=owned)
    return owned


def notification(owner: str):
    return NotificationFactory(recipient=RecipientFactory(user_id=owner))


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


def test_every_route_naming_or_listing_notifications_or_webhooks_has_a_row_in_the_matrix():
    assert matrix_gaps(service=SERVICE, accesses=ACCESSES, listings=LISTINGS) == {}


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("access", ACCESSES, ids=str)
def test_a_role_gets_what_the_matrix_says_on_a_record_it_does_not_own(
    api_client, token_minter, access, role
):
    access_check(client=api_client, minter=token_minter, access=access, role=role)


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("listing", LISTINGS, ids=str)
def test_a_list_shows_a_role_no_row_it_may_not_see_whatever_the_query_string(
    api_client, token_minter, listing, role
):
    listing_check(
        client=api_client, minter=token_minter, listing=listing, role=role, service=SERVICE
    )
