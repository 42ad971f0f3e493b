"""The ownership matrix of orders: every default role and anonymous callers against another
customer's order and another person's export, on every route that names one or lists them."""

import pytest

from apps.accounts.roles import DEFAULT_ROLES
from apps.orders.models import OrderExport, OrderStatus
from common.jobs import JobStatus
from common.testing.ownership import (
    Access,
    Listing,
    access_check,
    listing_check,
    matrix_gaps,
    roles_of,
)
from tests.orders.conftest import order_in

pytestmark = pytest.mark.django_db

SERVICE = "orders"
ROLES = roles_of(DEFAULT_ROLES)
API = f"{SERVICE}/api/v1/"
# Whoever may export orders reads every export; anyone else only the ones they asked for.
EXPORT_OUTSIDERS = frozenset({"customer", "support", "catalog_manager", "service_orders"})


def pending_order(owner: str):
    return order_in(OrderStatus.PENDING, customer_id=owner)


def confirmed_order(owner: str):
    return order_in(OrderStatus.CONFIRMED, customer_id=owner)


def finished_export(owner: str) -> OrderExport:
    return OrderExport.objects.create(
        requested_by=owner, status=JobStatus.SUCCEEDED, row_count=0, content="id\r\n"
    )


ACCESSES = (
    Access(
        f"{API}orders/<uuid:order_id>/",
        "get",
        pending_order,
        allowed=frozenset({"support", "finance", "admin"}),
        hidden=frozenset({"customer"}),
    ),
    Access(
        f"{API}orders/<uuid:order_id>/cancel/",
        "post",
        pending_order,
        allowed=frozenset({"support", "admin"}),
        hidden=frozenset({"customer"}),
    ),
    Access(
        f"{API}orders/<uuid:order_id>/refund/",
        "post",
        confirmed_order,
        allowed=frozenset({"finance", "admin"}),
    ),
    Access(
        f"{API}orders/exports/<uuid:export_id>/",
        "get",
        finished_export,
        allowed=frozenset({"finance", "admin"}),
        hidden=EXPORT_OUTSIDERS,
    ),
    Access(
        f"{API}orders/exports/<uuid:export_id>/download/",
        "get",
        finished_export,
        allowed=frozenset({"finance", "admin"}),
        hidden=EXPORT_OUTSIDERS,
    ),
)
LISTINGS = (
    Listing(
        f"{API}orders/",
        pending_order,
        everyone=frozenset({"support", "finance", "admin"}),
        own=frozenset({"customer"}),
    ),
)


def test_every_route_naming_or_listing_orders_has_a_row_in_the_matrix():
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
