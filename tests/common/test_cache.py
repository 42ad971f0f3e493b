"""The cache fails open: with its Redis unreachable, reads miss and writes are dropped, and
throttled views keep answering."""

import pytest
from django.core.cache import caches

from common.cache import FailOpenRedisCache
from common.testing.servers import free_port


@pytest.fixture
def cache_without_redis(settings):
    location = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.FailOpenRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return caches.create_connection("default")


def test_reads_miss_and_writes_are_dropped_while_redis_is_unreachable(cache_without_redis):
    assert isinstance(cache_without_redis, FailOpenRedisCache)

    cache_without_redis.set("throttle_user_1", [1.0], timeout=60)

    assert cache_without_redis.get("throttle_user_1", "missed") == "missed"
    assert cache_without_redis.add("throttle_user_1", [2.0]) is False
    assert cache_without_redis.get_many(["a", "b"]) == {}


def test_after_a_failure_redis_is_left_alone_for_a_while(cache_without_redis, monkeypatch):
    cache_without_redis.get("first", None)
    client = cache_without_redis._cache
    monkeypatch.setattr(client, "get_client", lambda *args, **kwargs: pytest.fail("asked Redis"))

    assert cache_without_redis.get("second", "missed") == "missed"


@pytest.mark.django_db
def test_a_throttled_api_answers_while_the_caches_redis_is_unreachable(
    client, settings, monkeypatch
):
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    # DRF's throttles hold the cache they were defined with: give them the unreachable one.
    monkeypatch.setattr(
        "rest_framework.throttling.SimpleRateThrottle.cache", caches.create_connection("default")
    )

    response = client.get("/catalog/api/v1/products/")

    assert response.status_code == 200, response.content
