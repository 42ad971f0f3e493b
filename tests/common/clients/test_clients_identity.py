"""This service's own token from identity: fetched once, replaced before it expires, and kept
while identity cannot give a replacement but it is still valid."""

import time

import pytest

from common.clients import identity
from common.clients.identity import SERVICE_TOKEN_MARGIN_SECONDS, IdentityRefused, ServiceTokenCache


@pytest.fixture
def identity_answers(monkeypatch):
    """identity as the cache sees it: each call gives the next of `tokens`, or raises when it is
    an exception; a token's expiry is the number it ends with."""
    tokens: list[str | Exception] = []

    def post(path, payload):
        answer = tokens.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return {"access": answer}

    monkeypatch.setattr(identity, "post", post)
    monkeypatch.setattr(identity, "token_claims", lambda token: {"exp": float(token.split()[-1])})
    return tokens


def test_a_token_near_its_expiry_is_kept_while_identity_cannot_replace_it(identity_answers):
    soon = time.time() + SERVICE_TOKEN_MARGIN_SECONDS / 2
    identity_answers += [f"first {soon}", IdentityRefused(identity.UNREACHABLE)]
    cache = ServiceTokenCache()

    assert cache.get() == f"first {soon}"
    assert cache.get() == f"first {soon}"
    assert identity_answers == []


def test_an_expired_token_is_not_kept_when_identity_cannot_replace_it(identity_answers):
    identity_answers += [f"first {time.time() - 1}", IdentityRefused(identity.UNREACHABLE)]
    cache = ServiceTokenCache()
    cache.get()

    with pytest.raises(IdentityRefused):
        cache.get()


def test_a_token_near_its_expiry_is_replaced_when_identity_answers(identity_answers):
    soon, later = time.time() + 5, time.time() + 3600
    identity_answers += [f"first {soon}", f"second {later}"]
    cache = ServiceTokenCache()
    cache.get()

    assert cache.get() == f"second {later}"
