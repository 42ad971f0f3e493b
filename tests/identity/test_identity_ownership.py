"""The ownership matrix of identity: every default role and anonymous callers against another
person's account and the roles, on every route that names one or lists them. A person reads and
changes their own account at `users/me/`; another's only with the user scopes."""

import pytest

from apps.accounts.models import Role, User
from apps.accounts.roles import DEFAULT_ROLES
from common.testing.ownership import (
    Access,
    Listing,
    access_check,
    listing_check,
    matrix_gaps,
    roles_of,
)

pytestmark = pytest.mark.django_db

SERVICE = "identity"
ROLES = roles_of(DEFAULT_ROLES)
API = f"{SERVICE}/api/v1/"
USER_READERS = frozenset({"support", "finance", "admin"})


def person(owner: str) -> User:
    """The account of `owner` itself."""
    return User.objects.create_user(f"{owner}@mercato.test", None, id=owner)


def role(owner: str) -> Role:
    return Role.objects.create(name=f"role-{owner}")


ACCESSES = (
    Access(f"{API}users/<uuid:user_id>/", "get", person, allowed=USER_READERS),
    Access(
        f"{API}users/<uuid:user_id>/",
        "patch",
        person,
        allowed=frozenset({"admin"}),
        body={"full_name": "Renamed"},
    ),
)
LISTINGS = (
    Listing(f"{API}users/", person, everyone=USER_READERS),
    Listing(f"{API}roles/", role, everyone=frozenset({"support", "admin"}), key="name"),
)


def test_every_route_naming_or_listing_accounts_or_roles_has_a_row_in_the_matrix():
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
