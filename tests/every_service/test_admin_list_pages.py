"""Runs once per service's settings: every list page of the service's admin costs as many queries
for many rows as for one, for each model the admin's registry holds (so a new admin cannot
escape: its model needs rows in `tests/<service>/admin_rows.py`), and the tables that grow without
end list 10,000 rows a page at a time within a pinned number of queries."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROWS = import_module(f"tests.{settings.SERVICE_NAME}.admin_rows")
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
FEW = 1
MANY = 30
LARGE = 10_000
# What any list page reads, whatever its rows: the session, the operator (and in identity their
# roles), the count of rows (twice where the page shows "of N" beside a filtered count), the page,
# the people it names, and the choices of its filters and date drill-down.
MAXIMUM_LIST_QUERIES = 10


def label(model: type[Model]) -> str:
    return model._meta.label


def list_page(client: Client, model: type[Model], query: str = "") -> tuple[object, list[str]]:
    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{path}{query}")
    assert response.status_code == 200, response.content.decode()[-2000:]
    return response, [query["sql"] for query in captured.captured_queries]


def test_every_model_the_admin_lists_has_rows_to_list():
    assert sorted(map(label, set(REGISTERED) - set(ROWS.ROWS))) == []


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_a_list_page_costs_as_many_queries_for_many_rows_as_for_one(everything_client, model):
    make_rows = ROWS.ROWS[model]

    make_rows(FEW)
    _, few = list_page(everything_client, model)
    make_rows(MANY - FEW)
    response, many = list_page(everything_client, model)

    assert len(response.context["cl"].result_list) >= MANY
    assert len(many) == len(few), (few, many)
    assert len(many) <= MAXIMUM_LIST_QUERIES, many


@pytest.mark.parametrize("model", ROWS.LARGE, ids=label)
def test_a_large_table_lists_a_page_at_a_time_within_the_pinned_queries(everything_client, model):
    ROWS.ROWS[model](LARGE)

    first, first_queries = list_page(everything_client, model)
    last_page = LARGE // first.context["cl"].list_per_page
    last, last_queries = list_page(everything_client, model, f"?p={last_page}")

    change_list = first.context["cl"]
    assert len(change_list.result_list) == change_list.list_per_page
    assert change_list.multi_page
    assert not change_list.show_full_result_count
    assert len(last.context["cl"].result_list) > 0
    assert len(first_queries) <= MAXIMUM_LIST_QUERIES, first_queries
    assert len(last_queries) == len(first_queries), (first_queries, last_queries)
