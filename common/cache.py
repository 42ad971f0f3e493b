"""The cache backend every service uses: Redis, failing open.

The cache holds nothing that must not be lost (throttle counters, catalog reads rebuilt from the
database), so a Redis outage must cost a request nothing: while Redis is unreachable a read misses
and a write is dropped. After a failure
the client does not try Redis again for OUTAGE_SECONDS, so a hung Redis costs one request its
socket timeout rather than every cache call of every request; throttling is off meanwhile.
"""

import time
from collections.abc import Callable
from typing import Any, cast

import redis
import structlog
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

OUTAGE_SECONDS = 5.0

logger = structlog.get_logger(__name__)


class FailOpenRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unavailable_until = 0.0

        self.scripts: dict[str, Any] = {}

    def _or(self, fallback: Any, method: str, *args: Any) -> Any:
        """`method` of Django's client with `args`, or `fallback` while Redis is unavailable."""
        return self._call_or(fallback, getattr(super(), method), *args)

    def _call_or(self, fallback: Any, call: Callable[..., Any], *args: Any) -> Any:
        if time.monotonic() < self.unavailable_until:
            return fallback
        try:
            return call(*args)
        except redis.RedisError as error:
            logger.warning("cache_unavailable", error=repr(error), retry_in=OUTAGE_SECONDS)
            self.unavailable_until = time.monotonic() + OUTAGE_SECONDS
            return fallback

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return bool(self._or(False, "add", key, value, timeout))

    def get(self, key: Any, default: Any) -> Any:
        return self._or(default, "get", key, default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._or(None, "set", key, value, timeout)

    def touch(self, key: Any, timeout: Any) -> bool:
        return bool(self._or(False, "touch", key, timeout))

    def delete(self, key: Any) -> bool:
        return bool(self._or(False, "delete", key))

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return dict(self._or({}, "get_many", keys))

    def has_key(self, key: Any) -> bool:
        return bool(self._or(False, "has_key", key))

    def set_many(self, data: Any, timeout: Any) -> None:
        self._or(None, "set_many", data, timeout)

    def delete_many(self, keys: Any) -> None:
        self._or(None, "delete_many", keys)

    def run_script(self, source: str, keys: list[str], arguments: list[Any], fallback: Any) -> Any:
        """The Lua script `source` run on `keys` (full keys) in one round trip, or `fallback`."""
        return self._call_or(fallback, self._run_script, source, keys, arguments)

    def _run_script(self, source: str, keys: list[str], arguments: list[Any]) -> Any:
        # EVALSHA, loading the script once per connection pool.
        script = self.scripts.get(source)
        if script is None:
            script = self.scripts[source] = self.get_client(write=True).register_script(source)
        return script(keys=keys, args=arguments)


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache whose client fails open (`incr` and `clear` still raise: a caller of
    those needs to know)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient

    def run_script(self, source: str, keys: list[str], arguments: list[Any], fallback: Any) -> Any:
        """The Lua script `source` on these cache `keys` (prefixed and versioned as every key of
        this cache) with `arguments`, in one round trip; `fallback` while Redis is unavailable.
        Values it reads or writes are Redis's own strings, not the pickles `get` and `set` use."""
        full_keys = [self.make_and_validate_key(key) for key in keys]
        client = cast(FailOpenRedisCacheClient, self._cache)
        return client.run_script(source, full_keys, arguments, fallback)
