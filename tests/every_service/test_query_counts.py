"""Runs once per service's settings: every list of the service's API costs as many queries for a
page of many rows as for one (no query per row, no count query beside the page's), and every
record it shows by id costs a few queries at most. The routes and their records come from the
service's ownership matrix (`tests/<service>/ownership.py`), which has a row for each of them."""

import uuid
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.roles import DEFAULT_ROLES
from common.testing.ownership import Access, Listing, Role, roles_of, shown

pytestmark = pytest.mark.django_db

ROLES = {role.name: role for role in roles_of(DEFAULT_ROLES)}
MATRIX = import_module(f"tests.{settings.SERVICE_NAME}.ownership")
# Rows on the second page read: more than one, fewer than a page of 20.
MANY = 7
# A record and what it shows with it (an order's lines and history), each in one query.
MAXIMUM_DETAIL_QUERIES = 3


def viewer(allowed: frozenset[str]) -> Role:
    """The role that reads the route: the admin where it may, else the first role allowed."""
    return ROLES["admin" if "admin" in allowed else sorted(allowed)[0]]


def queries_of(api_client, path: str, headers: dict) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(path, **headers)
    assert response.status_code == 200, shown(response)
    return len(captured), [query["sql"] for query in captured.captured_queries]


def list_readers(listing: Listing) -> list[tuple[Listing, str]]:
    """A role that sees everyone's rows, and one that sees its own if the list has one."""
    readers = [(listing, viewer(listing.everyone).name)]
    if listing.own:
        readers.append((listing, sorted(listing.own)[0]))
    return readers


@pytest.mark.parametrize(
    ("listing", "role_name"),
    [reader for listing in MATRIX.LISTINGS for reader in list_readers(listing)],
    ids=lambda value: str(value),
)
def test_a_list_costs_as_many_queries_for_many_rows_as_for_one(
    api_client, token_minter, listing, role_name
):
    role = ROLES[role_name]
    subject = role.new_subject()
    headers = role.headers(token_minter, subject)

    def owner() -> str:
        """The reader itself on a list of its own rows, else someone new for each row (some
        records are their owner: a user)."""
        return subject if role_name in listing.own else str(uuid.uuid4())

    path = f"/{listing.route}"
    listing.record(owner())
    one, one_sql = queries_of(api_client, path, headers)
    for _ in range(MANY):
        listing.record(owner())
    many, many_sql = queries_of(api_client, path, headers)

    assert many == one, (one_sql, many_sql)


@pytest.mark.parametrize(
    "access", [access for access in MATRIX.ACCESSES if access.method == "get"], ids=str
)
def test_a_record_read_by_id_costs_a_few_queries(api_client, token_minter, access: Access):
    role = viewer(access.allowed)
    headers = role.headers(token_minter, role.new_subject())
    record = access.record(str(uuid.uuid4()))

    count, sql = queries_of(api_client, access.path(record), headers)

    assert count <= MAXIMUM_DETAIL_QUERIES, sql
