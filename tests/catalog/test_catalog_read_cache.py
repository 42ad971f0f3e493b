"""Catalog reads come from Redis with an ETag until a category or product changes: a client that
wrote reads its write at once, an unchanged read revalidates to a 304, and a changed one is a 200
with a new ETag."""

import time
import uuid

import pytest
import redis
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from common.read_cache import read_cache
from tests.catalog.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

PRODUCTS_URL = "/catalog/api/v1/products/"


@pytest.fixture
def product():
    return ProductFactory(name="Kenya AA", category=CategoryFactory(slug="coffee"))


def detail_url(product) -> str:
    return f"{PRODUCTS_URL}{product.id}/"


def test_a_second_read_is_answered_from_the_cache_without_a_query(
    api_client, product, django_assert_num_queries
):
    first = api_client.get(PRODUCTS_URL)

    with django_assert_num_queries(0):
        second = api_client.get(PRODUCTS_URL)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", [PRODUCTS_URL, "detail"])
def test_the_same_etag_is_a_304_without_a_body(api_client, product, url):
    path = detail_url(product) if url == "detail" else url
    etag = api_client.get(path)["ETag"]

    revalidated = api_client.get(path, HTTP_IF_NONE_MATCH=etag)

    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated["ETag"] == etag


def test_a_write_is_seen_by_the_writers_next_read_with_a_new_etag(
    api_client, product, manager, django_capture_on_commit_callbacks
):
    etag = api_client.get(detail_url(product))["ETag"]
    api_client.get(PRODUCTS_URL)

    with django_capture_on_commit_callbacks(execute=True):
        changed = api_client.patch(detail_url(product), {"name": "Kenya AB"}, **manager)
    detail = api_client.get(detail_url(product), HTTP_IF_NONE_MATCH=etag)
    listed = api_client.get(PRODUCTS_URL)

    assert changed.status_code == 200, changed.content
    assert detail.status_code == 200
    assert detail.json()["name"] == "Kenya AB"
    assert detail["ETag"] != etag
    assert [row["name"] for row in listed.json()["results"]] == ["Kenya AB"]


def test_an_archived_product_leaves_the_cached_list_and_detail(api_client, product, manager):
    api_client.get(PRODUCTS_URL)
    api_client.get(detail_url(product))

    api_client.delete(detail_url(product), **manager)

    assert api_client.get(PRODUCTS_URL).json()["results"] == []
    assert api_client.get(detail_url(product)).status_code == 404


def test_a_change_outside_the_api_makes_the_cached_reads_stale_too(api_client, product):
    """Imports, the admin and the demo data save rows without the API's views."""
    api_client.get(PRODUCTS_URL)

    product.category.name = "Coffee beans"
    product.category.save()

    listed = api_client.get(PRODUCTS_URL).json()["results"]
    assert listed[0]["category"]["name"] == "Coffee beans"


def test_anonymous_reads_may_be_kept_by_anyone_but_are_revalidated(api_client, product, manager):
    anonymous = api_client.get(detail_url(product))
    signed_in = api_client.get(detail_url(product), **manager)

    assert anonymous["Cache-Control"] == "public, no-cache"
    assert signed_in["Cache-Control"] == "private, no-cache"


def test_the_cached_list_keeps_its_filters_apart(api_client, product):
    ProductFactory(name="Sencha", category=CategoryFactory(slug="tea"))

    coffee = api_client.get(PRODUCTS_URL, {"category": "coffee"}).json()["results"]
    tea = api_client.get(PRODUCTS_URL, {"category": "tea"}).json()["results"]

    assert [row["name"] for row in coffee] == ["Kenya AA"]
    assert [row["name"] for row in tea] == ["Sencha"]


@pytest.fixture
def redis_commands(monkeypatch):
    """Every command a Redis client of this process sends from now on, by name."""
    sent: list[str] = []
    send = redis.Redis.execute_command

    def counted(client, *args, **options):
        sent.append(str(args[0]))
        return send(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return sent


@pytest.mark.parametrize("revalidated", [False, True])
def test_a_cache_hit_costs_one_redis_round_trip_and_no_query(
    api_client, product, redis_commands, django_assert_num_queries, revalidated
):
    """The throttle's count, the generation and the entry (or its ETag alone) in one script."""
    etag = api_client.get(detail_url(product))["ETag"]
    headers = {"HTTP_IF_NONE_MATCH": etag} if revalidated else {}
    redis_commands.clear()

    with django_assert_num_queries(0):
        response = api_client.get(detail_url(product), **headers)

    assert response.status_code == (304 if revalidated else 200)
    assert redis_commands == ["EVALSHA"]


def test_a_cached_read_past_the_rate_is_a_429_problem_and_still_counted(
    api_client, product, monkeypatch
):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "anon": "2/minute"},
    )
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    cache.delete(f"throttle_anon_{address}")

    statuses = [api_client.get(PRODUCTS_URL, REMOTE_ADDR=address).status_code for _ in range(4)]
    refused = api_client.get(PRODUCTS_URL, REMOTE_ADDR=address)
    counted = read_cache().run_script(
        "return redis.call('GET', KEYS[1])", [f"throttle_anon_{address}"], [], fallback=None
    )
    cache.delete(f"throttle_anon_{address}")

    assert statuses == [200, 200, 429, 429]
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert int(counted) == 5


def test_reads_are_answered_from_the_database_while_redis_is_unavailable(
    api_client, product, monkeypatch
):
    client = read_cache()._cache
    monkeypatch.setattr(client, "unavailable_until", time.monotonic() + 60)

    listed = api_client.get(PRODUCTS_URL)
    revalidated = api_client.get(detail_url(product), HTTP_IF_NONE_MATCH=listed["ETag"])

    assert listed.status_code == 200
    assert [row["name"] for row in listed.json()["results"]] == ["Kenya AA"]
    assert revalidated.status_code == 200
