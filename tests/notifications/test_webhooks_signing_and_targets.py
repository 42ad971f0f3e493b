"""Our Standard Webhooks signing agrees with the reference library, and the SSRF check refuses
every non-public address, including ones a public-looking name resolves to."""

import base64
import ipaddress
import socket
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook

from apps.notifications.signing import webhook_secret_generate, webhook_signature
from apps.notifications.targets import UnsafeTarget, is_public, target_post, target_resolve


def test_a_generated_secret_is_whsec_and_base64_of_at_least_24_random_bytes():
    first, second = webhook_secret_generate(), webhook_secret_generate()

    assert first.startswith("whsec_")
    assert len(base64.b64decode(first.removeprefix("whsec_"))) >= 24
    assert first != second


def test_our_signature_matches_the_reference_librarys():
    secret = webhook_secret_generate()
    body = b'{"type":"order.created","data":{"caf\\u00e9":1}}'
    timestamp = 1_790_000_000

    ours = webhook_signature(secret=secret, message_id="msg_1", timestamp=timestamp, body=body)

    theirs = Webhook(secret).sign(
        msg_id="msg_1", timestamp=datetime.fromtimestamp(timestamp, UTC), data=body.decode()
    )
    assert ours == theirs


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.31.255.255",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.251",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
    ],
)
def test_a_non_public_address_is_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_a_public_address_is_public(address):
    assert is_public(ipaddress.ip_address(address))


def fake_dns(monkeypatch, address: str) -> None:
    """`hooks.example.com` resolves to `address`; other names (and literals) as before."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "hooks.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_public_name_resolving_to_a_private_address_is_refused(monkeypatch):
    fake_dns(monkeypatch, "10.0.0.7")

    with pytest.raises(UnsafeTarget, match=r"hooks\.example\.com resolves to 10\.0\.0\.7"):
        target_resolve("https://hooks.example.com/in", allow_private=False)


def test_the_request_goes_to_the_checked_address_with_the_urls_host(monkeypatch, webhook_receiver):
    port = webhook_receiver.port
    fake_dns(monkeypatch, "127.0.0.1")
    target = target_resolve(f"http://hooks.example.com:{port}/in?a=1", allow_private=True)
    # Whatever the name resolves to later (rebinding), the connection uses the address checked.
    fake_dns(monkeypatch, "10.255.255.1")

    status = target_post(target=target, body=b"{}", headers={"webhook-id": "x"}, timeout=5)

    (request,) = webhook_receiver.requests
    assert status == 204
    assert request.headers["host"] == f"hooks.example.com:{port}"
    assert request.target == "/in?a=1"
