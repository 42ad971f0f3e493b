"""Runs once per service's settings: its ownership matrix (`tests/<service>/ownership.py`) holds
every default role and anonymous callers to what the docs say on each route that names another
person's record or lists records, and has a row for every such route."""

from importlib import import_module

import pytest
from django.conf import settings

from apps.accounts.roles import DEFAULT_ROLES
from common.testing.ownership import access_check, listing_check, matrix_gaps, roles_of

pytestmark = pytest.mark.django_db

ROLES = roles_of(DEFAULT_ROLES)
MATRIX = import_module(f"tests.{settings.SERVICE_NAME}.ownership")


def test_every_route_naming_or_listing_the_services_records_has_a_row_in_the_matrix():
    gaps = matrix_gaps(
        service=settings.SERVICE_NAME, accesses=MATRIX.ACCESSES, listings=MATRIX.LISTINGS
    )

    assert gaps == {}


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("access", MATRIX.ACCESSES, ids=str)
def test_a_role_gets_what_the_matrix_says_on_a_record_it_does_not_own(
    api_client, token_minter, access, role
):
    access_check(client=api_client, minter=token_minter, access=access, role=role)


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("listing", MATRIX.LISTINGS, ids=str)
def test_a_list_shows_a_role_no_row_it_may_not_see_whatever_the_query_string(
    api_client, token_minter, listing, role
):
    listing_check(
        client=api_client,
        minter=token_minter,
        listing=listing,
        role=role,
        service=settings.SERVICE_NAME,
    )
