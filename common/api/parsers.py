"""The JSON request parser: DRF's, refusing as a 400 the bodies that would otherwise fail later."""

import re
from typing import Any

from rest_framework import exceptions, parsers

# Every request body is a few levels deep (an order's lines are three); nothing needs more.
MAXIMUM_DEPTH = 32
TOO_DEEP = f"The JSON body is nested deeper than {MAXIMUM_DEPTH} levels."
# PostgreSQL stores neither in text or jsonb columns; the messages are DRF's CharField's own.
UNSTORABLE_CHARACTER = re.compile("[\x00\ud800-\udfff]")
NULL_CHARACTER = "Null characters are not allowed."
SURROGATE_CHARACTER = "Surrogate characters are not allowed: U+{code_point:X}."


class JSONParser(parsers.JSONParser):
    """Refuses nesting past MAXIMUM_DEPTH (Python's json would raise RecursionError at about a
    thousand levels), and NUL or unpaired surrogates in any string or key, naming the field,
    whichever field reads them afterwards (DRF's CharField checks, custom fields do not)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(TOO_DEEP) from None
        if errors := unstorable_text(data):
            raise exceptions.ValidationError(errors)
        return data


def unstorable_text(data: object) -> dict[str, list[str]]:
    """Each string or key of `data` that PostgreSQL cannot store, by its dotted field name as
    common.api.validation.field_errors names fields; a ParseError past MAXIMUM_DEPTH."""
    errors: dict[str, list[str]] = {}
    # Walked with a stack, not recursion, so that the depth check itself cannot overflow; each
    # value comes with the number of objects and lists it sits in.
    pending: list[tuple[object, str, int]] = [(data, "", 0)]
    while pending:
        value, name, depth = pending.pop()
        if isinstance(value, dict | list) and depth == MAXIMUM_DEPTH:
            raise exceptions.ParseError(TOO_DEEP)
        if isinstance(value, dict):
            for key, item in value.items():
                field = f"{name}.{key}" if name else key
                if problem := character_problem(key):
                    errors[field] = [problem]
                pending.append((item, field, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                pending.append((item, f"{name}.{index}" if name else str(index), depth + 1))
        elif isinstance(value, str) and (problem := character_problem(value)):
            errors[name or "non_field_errors"] = [problem]
    return dict(sorted(errors.items()))


def character_problem(text: str) -> str | None:
    found = UNSTORABLE_CHARACTER.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return NULL_CHARACTER
    return SURROGATE_CHARACTER.format(code_point=ord(found.group()))
