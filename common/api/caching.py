"""Public reads answered from Redis, with an ETag, and never stale past a write.

A view with `read_cache_scope` keeps each 200 it renders, body and ETag, under the scope's
generation: a counter in Redis that every write to what the scope shows increments
(`read_cache_invalidate`, common/read_cache.py, called in the writing transaction and again once it
commits). A read takes the generation and its entry in one round trip, so after a write has
committed no read, by anyone, is answered from an entry built before it; and an entry built from the
database while a write was committing was stored under the generation that write then left behind.
An `If-None-Match` naming the current ETag is a 304 without a body (Redis compares it and sends the
ETag alone). A GET counts its throttles in that same round trip (common/api/throttling.py), so a
cache hit costs one. Entries are bodies as rendered (the host and scheme are part of their key, for
the pages' links) and expire after READ_CACHE_SECONDS. With Redis unavailable every read is built
from the database, as without a cache (common/cache.py fails open), and nothing throttled.
"""

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, cast

from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from common.api.throttling import COUNT_FUNCTION, CountingThrottleMixin
from common.read_cache import CURRENT_GENERATION, SCOPES, generation_key, read_cache

if TYPE_CHECKING:
    # At run time this import would be circular (common/api/throttling.py says why).
    from rest_framework.views import APIView

READ_CACHE_SECONDS = 300
# Longer query strings are answered from the database: no client fills Redis with them.
MAXIMUM_CACHED_URL_LENGTH = 512
JSON = "application/json"
# KEYS: the throttles' counters, the generation, the entries' prefix; ARGV: each counter's window
# and limit, then the tags of If-None-Match. Answers each counter's count and seconds left, then,
# unless one is past its limit, the generation and the entry: only its ETag if a tag names it.
READ_ENTRY = (
    COUNT_FUNCTION
    + CURRENT_GENERATION
    + """
local counters = #KEYS - 2
local answer = {}
local throttled = false
for index = 1, counters do
  local count, left = count_request(KEYS[index], ARGV[2 * index - 1])
  table.insert(answer, count)
  table.insert(answer, left)
  throttled = throttled or count > tonumber(ARGV[2 * index])
end
if throttled then return answer end
local generation = current_generation(KEYS[counters + 1])
local entry = redis.call('GET', KEYS[counters + 2] .. generation)
if entry then
  local etag = string.sub(entry, 1, string.find(entry, '\\n', 1, true) - 1)
  for index = 2 * counters + 1, #ARGV do
    if ARGV[index] == etag or ARGV[index] == '*' then entry = etag end
  end
end
table.insert(answer, generation)
table.insert(answer, entry)
return answer
"""
)
STORE_ENTRY = "redis.call('SET', KEYS[1] .. ARGV[1], ARGV[2], 'EX', ARGV[3])"


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
    get_throttles: Callable[[], list[BaseThrottle]]
    throttled: Callable[[Request, float], NoReturn]
    # What check_throttles read with the counts, for `get`: the entry's key, generation, entry.
    counted_read: tuple[str, bytes | None, bytes | None] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        SCOPES.add(cls.read_cache_scope)

    def check_throttles(self, request: Request) -> None:
        """A cached GET's throttles count in the round trip that reads its entry."""
        throttles = self.get_throttles()
        entry_key = self.entry_key(request) if request.method == "GET" else None
        if entry_key is None or not all(
            isinstance(throttle, CountingThrottleMixin) for throttle in throttles
        ):
            super().check_throttles(request)  # type: ignore[misc]
            return
        counters = [
            (throttle, key)
            for throttle in cast(list[CountingThrottleMixin], throttles)
            if (key := throttle.counter_key(request, cast("APIView", self))) is not None
        ]
        answer = self.read_entry(request, entry_key, counters)
        waits = [
            throttle.wait()
            for index, (throttle, _) in enumerate(counters)
            if not throttle.counted(answer[2 * index], answer[2 * index + 1])
        ]
        if waits:
            self.throttled(request, max((wait for wait in waits if wait is not None), default=0.0))
        self.counted_read = (entry_key, answer[-2], answer[-1])

    def entry_key(self, request: Request) -> str | None:
        """The key of this read's entries (one per generation), or None if it is not cached."""
        url = request.build_absolute_uri()
        if request.accepted_media_type != JSON or len(url) > MAXIMUM_CACHED_URL_LENGTH:
            return None
        return f"reads:{self.read_cache_scope}:{hashlib.sha256(url.encode()).hexdigest()}:"

    def read_entry(
        self, request: Request, entry_key: str, counters: list[tuple[CountingThrottleMixin, str]]
    ) -> list[Any]:
        """The counters' counts and seconds left, then the generation and the entry (its ETag
        alone if If-None-Match names it), in one round trip. While Redis is unavailable nothing is
        counted and nothing is read."""
        keys = [key for _, key in counters] + [generation_key(self.read_cache_scope), entry_key]
        limits = [
            value
            for throttle, _ in counters
            for value in (throttle.duration, throttle.num_requests)
        ]
        tags = parse_etags(request.headers.get("If-None-Match", ""))
        fallback = [0, 0] * len(counters) + [None, None]
        answer: list[Any] = read_cache().run_script(READ_ENTRY, keys, limits + tags, fallback)
        return answer

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        build: Callable[..., Response] = super().get  # type: ignore[misc]
        if self.counted_read is None:
            entry_key = self.entry_key(request)
            if entry_key is None:
                return build(request, *args, **kwargs)
            generation, entry = self.read_entry(request, entry_key, [])
        else:
            entry_key, generation, entry = self.counted_read
        if entry is not None:
            stored_etag, _, stored_body = entry.partition(b"\n")
            return RenderedResponse(request, etag=stored_etag.decode(), body=stored_body)
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
