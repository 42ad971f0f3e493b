"""The per-process key cache: reloads when stale or on an unknown kid, but not in a flood."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

from common.auth.keys import CachedKeySet, public_jwk, public_keys, remote_key_set
from common.testing.tokens import outsider_key, published_test_key


class CountingLoader:
    def __init__(self, keys: dict) -> None:
        self.keys = keys
        self.calls = 0

    def __call__(self) -> dict:
        self.calls += 1
        return dict(self.keys)


def test_a_known_kid_is_served_from_memory():
    loader = CountingLoader({"a": "key-a"})
    keys = CachedKeySet(load=loader, max_age=300, min_reload_interval=5)

    assert [keys.key_for("a") for _ in range(3)] == ["key-a"] * 3
    assert loader.calls == 1


def test_unknown_kids_reload_at_most_once_per_interval():
    loader = CountingLoader({"a": "key-a"})
    keys = CachedKeySet(load=loader, max_age=300, min_reload_interval=5)
    keys.key_for("a")

    forged = [keys.key_for(f"forged-{n}") for n in range(100)]

    assert forged == [None] * 100
    assert loader.calls == 1


def test_an_unknown_kid_is_learnt_once_the_interval_has_passed():
    loader = CountingLoader({"a": "key-a"})
    keys = CachedKeySet(load=loader, max_age=300, min_reload_interval=0)
    keys.key_for("a")
    loader.keys["b"] = "key-b"

    assert keys.key_for("b") == "key-b"
    assert loader.calls == 2


def test_a_stale_set_is_reloaded_even_for_a_known_kid():
    loader = CountingLoader({"a": "key-a"})
    keys = CachedKeySet(load=loader, max_age=0, min_reload_interval=5)

    keys.key_for("a")
    keys.key_for("a")

    assert loader.calls == 2


def test_a_request_arriving_during_the_first_load_waits_for_its_keys():
    loading, finish = threading.Event(), threading.Event()

    def slow_load() -> dict:
        loading.set()
        finish.wait(timeout=10)
        return {"a": "key-a"}

    keys = CachedKeySet(load=slow_load, max_age=300, min_reload_interval=5)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(keys.key_for, "a")
        loading.wait(timeout=10)
        second = pool.submit(keys.key_for, "a")
        # Gives the second request time to reach the cache while the load is still running.
        threading.Event().wait(0.1)
        finish.set()

    assert (first.result(), second.result()) == ("key-a", "key-a")


def test_the_kid_is_the_rfc_7638_thumbprint_and_stable():
    first, again = public_jwk(published_test_key()), public_jwk(published_test_key())

    assert first == again
    assert first["kid"] != public_jwk(outsider_key())["kid"]
    assert len(first["kid"]) == 43  # base64url of a SHA-256 digest, unpadded
    assert set(public_keys({"keys": [first]})) == {first["kid"]}


def test_a_failed_jwks_fetch_keeps_the_keys_already_known(settings, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    jwk = public_jwk(published_test_key())
    jwks_file.write_text(json.dumps({"keys": [jwk]}))
    settings.JWKS_URL = jwks_file.as_uri()
    settings.JWKS_MAX_AGE_SECONDS = 0
    keys = remote_key_set()
    assert keys.key_for(jwk["kid"]) is not None

    jwks_file.unlink()

    assert keys.key_for(jwk["kid"]) is not None
