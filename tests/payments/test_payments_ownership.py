"""The ownership matrix of payments: every default role and anonymous callers against another
customer's payment, read alone or fished for through the list's query string."""

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
from tests.payments.factories import PaymentFactory

pytestmark = pytest.mark.django_db

SERVICE = "payments"
ROLES = roles_of(DEFAULT_ROLES)
API = f"{SERVICE}/api/v1/"
READERS_OF_EVERY_PAYMENT = frozenset({"support", "finance", "admin"})


def payment(owner: str):
    return PaymentFactory(customer_id=owner)


ACCESSES = (
    Access(
        f"{API}payments/<uuid:payment_id>/",
        "get",
        payment,
        allowed=READERS_OF_EVERY_PAYMENT,
        hidden=frozenset({"customer"}),
    ),
)
LISTINGS = (
    Listing(
        f"{API}payments/",
        payment,
        everyone=READERS_OF_EVERY_PAYMENT,
        own=frozenset({"customer"}),
    ),
)


def test_every_route_naming_or_listing_payments_has_a_row_in_the_matrix():
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
