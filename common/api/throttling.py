"""Throttles that cost one Redis round trip: a counter per client and window, not DRF's list of
timestamps read and written back (two round trips, and a lost update between concurrent requests).

Each client gets `num_requests` per window of `duration` seconds, the window starting at its first
request; the key is DRF's (`throttle_<scope>_<ident>`), the identity DRF's too, so the client is
the one `common.proxies.client_address` names. While Redis is unavailable the cache fails open
and nothing is throttled (common/cache.py).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.core.cache.backends.base import BaseCache
from rest_framework import throttling
from rest_framework.request import Request

from common.cache import FailOpenRedisCache

if TYPE_CHECKING:
    # At run time this import would be circular: DRF's views load this module by its settings.
    from rest_framework.views import APIView

# Counts the request and starts the window on the first one; answers the count and the seconds
# the window has left. A function, so that a cached read counts in its own script
# (common/api/caching.py).
COUNT_FUNCTION = """
local function count_request(key, window)
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, window) end
  local left = redis.call('TTL', key)
  if left < 0 then redis.call('EXPIRE', key, window); left = tonumber(window) end
  return count, left
end
"""
COUNT_REQUEST = COUNT_FUNCTION + "return {count_request(KEYS[1], ARGV[1])}"


class CountingThrottleMixin:
    """A SimpleRateThrottle's `allow_request` and `wait`, in one round trip."""

    cache: BaseCache
    rate: str | None
    num_requests: int | None
    duration: int | None
    seconds_left: int = 0

    get_cache_key: Callable[[Request, "APIView"], str | None]

    def allow_request(self, request: Request, view: "APIView") -> bool:
        key = self.counter_key(request, view)
        if key is None:
            return True
        # The cache of every service is a FailOpenRedisCache (common/settings/base.py).
        counter = cast(FailOpenRedisCache, self.cache)
        count, seconds_left = counter.run_script(
            COUNT_REQUEST, [key], [self.duration], fallback=(0, 0)
        )
        return self.counted(count, seconds_left)

    def counter_key(self, request: Request, view: "APIView") -> str | None:
        """The key this request is counted under, or None if this throttle leaves it alone."""
        if self.rate is None or self.num_requests is None:
            return None
        return self.get_cache_key(request, view)

    def counted(self, count: int, seconds_left: int) -> bool:
        """Whether the request that made the counter `count` is allowed."""
        self.seconds_left = seconds_left
        return bool(self.num_requests is not None and count <= self.num_requests)

    def wait(self) -> float | None:
        return float(max(self.seconds_left, 1))


class AnonymousRateThrottle(CountingThrottleMixin, throttling.AnonRateThrottle):
    """`anon`: callers without a token, by address."""


class UserRateThrottle(CountingThrottleMixin, throttling.UserRateThrottle):
    """`user`: callers with a token, by subject. Anonymous callers are the `anon` throttle's
    alone (DRF's would count them here a second time, by address, at the higher rate)."""

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class ScopedRateThrottle(CountingThrottleMixin, throttling.ScopedRateThrottle):
    """A view's `throttle_scope` (sign-in), by subject or address."""

    def counter_key(self, request: Request, view: "APIView") -> str | None:
        # DRF's `allow_request` reads the view's scope and rate here before counting.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return None
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().counter_key(request, view)
