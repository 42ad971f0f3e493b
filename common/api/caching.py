"""Public reads answered from Redis, with an ETag, and never stale past a write.

A view with `read_cache_scope` keeps each 200 it renders, body and ETag, under the scope's
generation: a counter in Redis that every write to what the scope shows increments
(`read_cache_invalidate`, called in the writing transaction and again once it commits). A read
takes the generation and its entry in one round trip, so after a write has committed no read, by
anyone, is answered from an entry built before it; and an entry built from the database while a
write was committing was stored under the generation that write then left behind. An
`If-None-Match` naming the current ETag is a 304 without a body. Entries are bodies as rendered
(the host and scheme are part of their key, for the pages' links) and expire after
READ_CACHE_SECONDS. With Redis unavailable every read is built from the database, as without a
cache (common/cache.py fails open).
"""

import hashlib
from collections.abc import Callable
from typing import Any, cast

from django.core.cache import cache
from django.db import transaction
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from common.cache import FailOpenRedisCache

READ_CACHE_SECONDS = 300
# Longer query strings are answered from the database: no client fills Redis with them.
MAXIMUM_CACHED_URL_LENGTH = 512
JSON = "application/json"
# A missing (evicted, flushed) generation starts again from Redis's clock, never at a number
# whose entries may still be there.
CURRENT_GENERATION = """
local generation = redis.call('GET', KEYS[1])
if not generation then
  local now = redis.call('TIME')
  generation = now[1] .. string.format('%06d', now[2])
  redis.call('SET', KEYS[1], generation, 'NX')
  generation = redis.call('GET', KEYS[1])
end
"""
READ_ENTRY = CURRENT_GENERATION + "return {generation, redis.call('GET', KEYS[2] .. generation)}"
STORE_ENTRY = "redis.call('SET', KEYS[1] .. ARGV[1], ARGV[2], 'EX', ARGV[3])"
NEXT_GENERATION = CURRENT_GENERATION + "return redis.call('INCR', KEYS[1])"


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


def etag_matches(request: Request, etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return etag in tags or "*" in tags


def cache_control(request: Request) -> str:
    """Anyone's copy may be kept, but checked again (with its ETag) before each use: a client
    never shows a product older than its own last write. Callers who sent a token keep theirs."""
    audience = "private" if "Authorization" in request.headers else "public"
    return f"{audience}, no-cache"


class RenderedResponse(Response):
    """A DRF response whose body is rendered already (a cached one), or a 304 without one."""

    def __init__(self, request: Request, *, etag: str, body: bytes) -> None:
        not_modified = etag_matches(request, etag)
        super().__init__(
            status=status.HTTP_304_NOT_MODIFIED if not_modified else status.HTTP_200_OK,
            headers={"ETag": etag, "Cache-Control": cache_control(request)},
        )
        self.body = b"" if not_modified else body
        if not_modified:
            del self["Content-Type"]
        else:
            self["Content-Type"] = JSON

    @property
    def rendered_content(self) -> bytes:  # type: ignore[override]  # bytes, as DRF's own
        return self.body


class CachedReadMixin:
    """For a DRF generic view whose GET shows every caller the same thing: `read_cache_scope`
    names the generation its writes invalidate."""

    read_cache_scope: str
    get_renderer_context: Callable[[], dict[str, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        SCOPES.add(cls.read_cache_scope)

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        build: Callable[..., Response] = super().get  # type: ignore[misc]
        url = request.build_absolute_uri()
        if request.accepted_media_type != JSON or len(url) > MAXIMUM_CACHED_URL_LENGTH:
            return build(request, *args, **kwargs)
        entry_key = f"reads:{self.read_cache_scope}:{hashlib.sha256(url.encode()).hexdigest()}:"
        generation, entry = read_cache().run_script(
            READ_ENTRY,
            [generation_key(self.read_cache_scope), entry_key],
            [],
            fallback=(None, None),
        )
        if entry is not None:
            etag, _, body = entry.partition(b"\n")
            return RenderedResponse(request, etag=etag.decode(), body=body)
        response = build(request, *args, **kwargs)
        if response.status_code != status.HTTP_200_OK:
            return response
        body = request.accepted_renderer.render(response.data, JSON, self.get_renderer_context())
        assert isinstance(body, bytes)  # JSON renders to bytes
        etag = f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
        if generation is not None:
            read_cache().run_script(
                STORE_ENTRY,
                [entry_key],
                [generation, etag.encode() + b"\n" + body, READ_CACHE_SECONDS],
                fallback=None,
            )
        return RenderedResponse(request, etag=etag, body=body)
