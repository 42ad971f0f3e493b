"""The generic part of idempotency keys: which headers are keys, and what counts as one body."""

import pytest
from rest_framework.test import APIRequestFactory

from common.api.idempotency import HEADER, fingerprint, idempotency_key
from common.errors import ApplicationError


def request_with(key: str | None):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return APIRequestFactory().post("/", {}, format="json", **headers)


@pytest.mark.parametrize("key", ["a", "checkout-7f3c", "x" * 255, "order 42 / retry"])
def test_one_to_255_printable_characters_make_a_key(key):
    assert idempotency_key(request_with(key)) == key


@pytest.mark.parametrize("key", [None, "", "   ", "x" * 256, "tab\there", "caf\u00e9"])
def test_anything_else_is_a_400_naming_the_header(key):
    with pytest.raises(ApplicationError) as refusal:
        idempotency_key(request_with(key))

    assert refusal.value.status == 400
    assert list(refusal.value.errors) == [HEADER]


def test_the_fingerprint_ignores_key_order():
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})


def test_the_fingerprint_tells_different_bodies_apart():
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})
    assert fingerprint({"lines": [1, 2]}) != fingerprint({"lines": [2, 1]})
