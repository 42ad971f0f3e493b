"""JSON answers rendered by orjson, with the bytes DRF's JSONRenderer would write."""

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

# What orjson cannot write itself (decimals, lazy strings, sets…) DRF's encoder turns into what
# DRF would have written.
FALLBACK = JSONEncoder().default
OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
# DRF escapes these two, which are valid JSON but end a line in JavaScript source.
LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class JSONRenderer(renderers.JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        body = orjson.dumps(data, default=FALLBACK, option=OPTIONS)
        for character, escaped in LINE_SEPARATORS:
            if character in body:
                body = body.replace(character, escaped)
        return body
