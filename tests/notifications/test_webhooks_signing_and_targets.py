"""Our Standard Webhooks signing agrees with the reference library, and the SSRF check calls no
special-purpose address public, whichever Python release's tables `ipaddress` carries (URLs and
names through every stage: test_webhooks_ssrf.py)."""

import base64
import ipaddress
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook

from apps.notifications.signing import webhook_secret_generate, webhook_signature
from apps.notifications.targets import is_public


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
        "::7f00:1",
        "fec0::1",
        "100::1",
        "64:ff9b:1::a00:1",
        "2001:db8::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "192.0.0.8",
        "192.0.2.1",
        "192.88.99.1",
        "198.18.0.1",
        "198.51.100.7",
        "203.0.113.7",
    ],
)
def test_a_non_public_address_is_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_a_public_address_is_public(address):
    assert is_public(ipaddress.ip_address(address))
