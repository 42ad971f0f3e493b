"""Generations of cached reads: a write to what a scope shows makes its every cached read stale.

Each scope's generation is a counter in Redis; the reads cached under it (common/api/caching.py)
are kept under the generation they were built at. Models' signals and services invalidate a
scope from here, so it imports nothing of DRF: a Celery worker or beat does not load the API's
responses and serializers through it.
"""

from typing import cast

from django.core.cache import cache
from django.db import transaction

from common.cache import FailOpenRedisCache

# A missing (evicted, flushed) generation starts again from Redis's clock, never at a number
# whose entries may still be there.
CURRENT_GENERATION = """
local function current_generation(key)
  local generation = redis.call('GET', key)
  if not generation then
    local now = redis.call('TIME')
    generation = now[1] .. string.format('%06d', now[2])
    redis.call('SET', key, generation, 'NX')
    generation = redis.call('GET', key)
  end
  return generation
end
"""
NEXT_GENERATION = (
    CURRENT_GENERATION + "current_generation(KEYS[1])\nreturn redis.call('INCR', KEYS[1])"
)


# Every scope a view caches under, for the suites, which start each test on a new generation.
SCOPES: set[str] = set()


def generation_key(scope: str) -> str:
    return f"reads:{scope}:generation"


def read_cache_invalidate(scope: str) -> None:
    """Every cached read of `scope` is stale: now, so that this transaction's own later reads
    miss, and again once it commits, so that an entry a concurrent read built from the rows as
    they were before the commit is never served."""
    _next_generation(scope)
    transaction.on_commit(lambda: _next_generation(scope))


def read_caches_invalidate() -> None:
    """Every cached read of every scope is stale (the suites' databases start empty each test)."""
    for scope in SCOPES:
        _next_generation(scope)


def read_cache() -> FailOpenRedisCache:
    """The cache of every service is a FailOpenRedisCache (common/settings/base.py)."""
    return cast(FailOpenRedisCache, cache)


def _next_generation(scope: str) -> None:
    read_cache().run_script(NEXT_GENERATION, [generation_key(scope)], [], fallback=None)
