"""Webhook SSRF: with production settings every URL that could reach a non-public address is
refused when an endpoint is registered, when its URL is changed, and again on every delivery
attempt and ping, where a local HTTP server on the port the URL names sees nothing arrive. Names
resolve through the test's /etc/hosts (`hosts`), never through DNS."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from apps.notifications.models import DeliveryStatus, WebhookEndpoint
from apps.notifications.services import webhook_delivery_attempt
from apps.notifications.targets import CREDENTIALS_REFUSED, PORT_INVALID, SCHEME_REFUSED
from common.testing.servers import HttpStub
from tests.notifications.factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db

WEBHOOKS_URL = "/notifications/api/v1/webhooks/"
PUBLIC = "93.184.215.14"
NOT_PUBLIC = "is not a public address."
MALFORMED = "Enter a valid URL."


@dataclass(frozen=True)
class Blocked:
    """A URL webhooks must never reach (`{port}`: the local server's), of one class of target;
    `reason` is what refuses it; `malformed` when the URL field already refuses its syntax at
    registration, before the address is checked."""

    kind: str
    url: str
    reason: str
    malformed: bool = False

    def __str__(self) -> str:
        return f"{self.kind}: {self.url}"


def address(kind: str, host: str) -> Blocked:
    return Blocked(kind, f"http://{host}:{{port}}/hook", f"{host.strip('[]')} {NOT_PUBLIC}")


def numeric_form(kind: str, host: str, resolved: str = "127.0.0.1") -> Blocked:
    return Blocked(
        kind,
        f"http://{host}:{{port}}/hook",
        f"{host} resolves to {resolved}, which {NOT_PUBLIC}",
        malformed=True,
    )


def name(kind: str, host: str, resolved: str) -> Blocked:
    return Blocked(
        kind, f"http://{host}:{{port}}/hook", f"{host} resolves to {resolved}, which {NOT_PUBLIC}"
    )


# What the test's /etc/hosts answers for the names below.
NAMES = {
    "internal.example.test": ["10.0.0.7"],
    "loopback.example.test": ["127.0.0.1"],
    "metadata.example.test": ["169.254.169.254"],
    "carrier.example.test": ["100.64.0.9"],
    "v6.example.test": ["::1"],
    "mapped.example.test": ["::ffff:127.0.0.1"],
    "mixed.example.test": [PUBLIC, "127.0.0.1"],
}
BLOCKED = (
    address("loopback", "127.0.0.1"),
    address("loopback", "127.9.9.9"),
    address("private", "10.0.0.5"),
    address("private", "172.16.4.4"),
    address("private", "192.168.1.10"),
    address("link-local (cloud metadata)", "169.254.169.254"),
    address("CGNAT", "100.64.0.1"),
    address("CGNAT", "100.127.255.254"),
    address("unspecified", "0.0.0.0"),
    address("unspecified", "[::]"),
    address("IPv4-mapped IPv6", "[::ffff:127.0.0.1]"),
    address("IPv4-mapped IPv6", "[::ffff:a9fe:a9fe]"),
    address("IPv6 loopback", "[::1]"),
    address("IPv6 unique local", "[fd12:3456::1]"),
    address("IPv6 link-local", "[fe80::1]"),
    address("IPv6 site-local", "[fec0::1]"),
    address("NAT64 of loopback", "[64:ff9b::7f00:1]"),
    address("6to4 of loopback", "[2002:7f00:1::1]"),
    address("multicast", "224.0.0.1"),
    address("multicast", "[ff02::1]"),
    address("reserved", "240.0.0.1"),
    address("broadcast", "255.255.255.255"),
    address("documentation", "192.0.2.1"),
    address("documentation", "[2001:db8::1]"),
    address("benchmarking", "198.18.0.1"),
    address("IETF protocol assignments", "192.0.0.8"),
    numeric_form("decimal", "2130706433"),
    numeric_form("hex", "0x7f000001"),
    numeric_form("hex", "0x7f.0.0.1"),
    numeric_form("octal", "0177.0.0.1"),
    numeric_form("octal", "017700000001"),
    numeric_form("short", "127.1"),
    numeric_form("short", "10.1", "10.0.0.1"),
    numeric_form("zero", "0", "0.0.0.0"),
    name("name resolving private", "internal.example.test", "10.0.0.7"),
    name("name resolving loopback", "loopback.example.test", "127.0.0.1"),
    name("name resolving link-local", "metadata.example.test", "169.254.169.254"),
    name("name resolving CGNAT", "carrier.example.test", "100.64.0.9"),
    name("name resolving IPv6 loopback", "v6.example.test", "::1"),
    name("name resolving IPv4-mapped", "mapped.example.test", "::ffff:7f00:1"),
    name("name resolving public and loopback", "mixed.example.test", "127.0.0.1"),
    name("localhost", "localhost", "127.0.0.1"),
    Blocked(
        "name that does not resolve",
        "http://nowhere.example.test/hook",
        "The host nowhere.example.test does not resolve.",
    ),
    Blocked("scheme file", "file:///etc/passwd", SCHEME_REFUSED, malformed=True),
    Blocked("scheme gopher", "gopher://127.0.0.1:{port}/_hook", SCHEME_REFUSED, malformed=True),
    Blocked("scheme dict", "dict://127.0.0.1:{port}/info", SCHEME_REFUSED, malformed=True),
    Blocked("scheme ftp", f"ftp://{PUBLIC}/hook", SCHEME_REFUSED),
    Blocked("scheme javascript", "javascript:alert(1)", SCHEME_REFUSED, malformed=True),
    Blocked("scheme data", "data:text/plain,hook", SCHEME_REFUSED, malformed=True),
    Blocked("credentials", f"http://user:secret@{PUBLIC}/hook", CREDENTIALS_REFUSED),
    Blocked("credentials", f"http://user@{PUBLIC}/hook", CREDENTIALS_REFUSED),
    Blocked("port zero", f"http://{PUBLIC}:0/hook", PORT_INVALID),
    Blocked("port out of range", f"http://{PUBLIC}:65536/hook", PORT_INVALID),
)


@pytest.fixture(scope="module")
def listener() -> Iterator[HttpStub]:
    """A local server answering 204 to any POST, shared by the module: one per test would cost
    its shutdown's poll each time."""
    server = HttpStub()
    server.on("POST", None, (204, None))
    yield server
    server.stop()


@pytest.fixture
def production(settings, hosts, listener) -> HttpStub:
    """Production's setting, the test's names, and the listener with nothing received yet, which
    a refused delivery must not reach; a slip would fail within a second, not hang."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    for host, addresses in NAMES.items():
        hosts.answer(host, addresses)
    listener.requests.clear()
    return listener


def url_of(blocked: Blocked, server: HttpStub) -> str:
    return blocked.url.format(port=server.port)


def registration_refusal(blocked: Blocked) -> list[str]:
    return [MALFORMED if blocked.malformed else blocked.reason]


@pytest.mark.parametrize("blocked", BLOCKED, ids=str)
def test_registering_the_url_is_a_400_naming_url_with_why(
    api_client, customer_headers, production, blocked
):
    response = api_client.post(
        WEBHOOKS_URL,
        {"url": url_of(blocked, production), "event_types": ["order.created"]},
        **customer_headers,
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"url": registration_refusal(blocked)}
    assert not WebhookEndpoint.objects.exists()
    assert production.requests == []


@pytest.mark.parametrize("blocked", BLOCKED, ids=str)
def test_changing_an_endpoints_url_to_it_is_a_400_that_changes_nothing(
    api_client, customer_headers, customer_id, production, blocked
):
    endpoint = WebhookEndpointFactory(owner_id=customer_id, url=f"https://{PUBLIC}/hook")

    response = api_client.patch(
        f"{WEBHOOKS_URL}{endpoint.id}/",
        {"url": url_of(blocked, production), "is_active": False},
        **customer_headers,
    )

    endpoint.refresh_from_db()
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"url": registration_refusal(blocked)}
    assert (endpoint.url, endpoint.is_active) == (f"https://{PUBLIC}/hook", True)


@pytest.mark.parametrize("blocked", BLOCKED, ids=str)
def test_a_delivery_to_it_is_refused_and_nothing_arrives(production, blocked):
    # Stored as if saved before the rules tightened, or written around the API.
    delivery = WebhookDeliveryFactory(endpoint__url=url_of(blocked, production))

    settled = webhook_delivery_attempt(delivery_id=delivery.id)

    assert settled is not None
    (attempt,) = settled.attempt_log.all()
    assert production.requests == []
    assert (attempt.response_status, attempt.error) == (None, blocked.reason)
    assert settled.status == DeliveryStatus.FAILED


@pytest.mark.parametrize("blocked", BLOCKED, ids=str)
def test_a_ping_to_it_answers_the_refused_attempt_and_nothing_arrives(
    api_client, customer_headers, customer_id, production, blocked
):
    endpoint = WebhookEndpointFactory(owner_id=customer_id, url=url_of(blocked, production))

    response = api_client.post(f"{WEBHOOKS_URL}{endpoint.id}/ping/", **customer_headers)

    body = response.json()
    (attempt,) = body["attempt_log"]
    assert response.status_code == 200, response.content
    assert production.requests == []
    assert body["status"] == "FAILED"
    assert (attempt["response_status"], attempt["error"]) == (None, blocked.reason)


def test_any_port_of_a_public_address_is_accepted(api_client, customer_headers, production):
    response = api_client.post(
        WEBHOOKS_URL,
        {"url": f"https://{PUBLIC}:8443/hook", "event_types": ["order.created"]},
        **customer_headers,
    )

    assert response.status_code == 201, response.content


def test_a_name_public_at_registration_and_private_at_delivery_is_refused_at_delivery(
    api_client, customer_headers, production, hosts
):
    hosts.answer("rebinding.example.test", [PUBLIC])
    created = api_client.post(
        WEBHOOKS_URL,
        {
            "url": f"http://rebinding.example.test:{production.port}/hook",
            "event_types": ["order.created"],
        },
        **customer_headers,
    )
    assert created.status_code == 201, created.content
    hosts.answer("rebinding.example.test", ["127.0.0.1"])
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpoint.objects.get())

    settled = webhook_delivery_attempt(delivery_id=delivery.id)

    assert settled is not None
    (attempt,) = settled.attempt_log.all()
    assert production.requests == []
    assert attempt.error == (f"rebinding.example.test resolves to 127.0.0.1, which {NOT_PUBLIC}")


def test_a_delivery_connects_to_the_address_it_checked_without_resolving_again(
    hosts, webhook_receiver
):
    # Checked as 127.0.0.1 (private targets allowed, to reach the local receiver); any later
    # answer is 127.0.0.2, where nothing listens: a second lookup would miss the receiver.
    hosts.answer("pinned.example.test", ["127.0.0.1"], ["127.0.0.2"])
    port = webhook_receiver.port
    delivery = WebhookDeliveryFactory(endpoint__url=f"http://pinned.example.test:{port}/in?a=1")

    settled = webhook_delivery_attempt(delivery_id=delivery.id)

    assert settled is not None
    assert hosts.lookups.count("pinned.example.test") == 1
    assert settled.status == DeliveryStatus.SUCCEEDED, settled.attempt_log.get().error
    (request,) = webhook_receiver.requests
    assert request.headers["host"] == f"pinned.example.test:{port}"
    assert request.target == "/in?a=1"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed(webhook_receiver, status):
    # Private targets are allowed here only so the first hop can be a local server; redirects
    # are not followed whatever the setting, so the internal server behind it sees nothing.
    internal = HttpStub()
    internal.on(None, None, (200, {"secret": "metadata"}))
    location = {"Location": internal.url("/latest/meta-data/")}
    webhook_receiver.on("POST", None, (status, None, location))
    delivery = WebhookDeliveryFactory(endpoint__url=webhook_receiver.url("/hook"))

    try:
        settled = webhook_delivery_attempt(delivery_id=delivery.id)
    finally:
        internal.stop()

    assert settled is not None
    (attempt,) = settled.attempt_log.all()
    assert len(webhook_receiver.requests) == 1
    assert internal.requests == []
    assert (attempt.response_status, attempt.error) == (status, f"The endpoint answered {status}.")
    assert settled.status == DeliveryStatus.FAILED


@pytest.fixture
def local_development(production, settings) -> HttpStub:
    """`make run`'s setting: loopback targets allowed, every other non-public address not."""
    settings.WEBHOOK_ALLOW_LOOPBACK_TARGETS = True
    return production


@pytest.mark.parametrize("host", ["127.0.0.1", "loopback.example.test"])
def test_with_loopback_allowed_a_receiver_on_this_machine_is_registered_and_reached(
    api_client, customer_headers, local_development, host
):
    created = api_client.post(
        WEBHOOKS_URL,
        {"url": f"http://{host}:{local_development.port}/hook", "event_types": ["order.created"]},
        **customer_headers,
    )
    assert created.status_code == 201, created.content
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpoint.objects.get())

    settled = webhook_delivery_attempt(delivery_id=delivery.id)

    assert settled is not None
    assert settled.status == DeliveryStatus.SUCCEEDED
    assert [request.path for request in local_development.requests] == ["/hook"]


@pytest.mark.parametrize(
    "blocked",
    [
        address("private", "10.0.0.7"),
        address("link-local", "169.254.169.254"),
        address("NAT64 of loopback", "[64:ff9b::7f00:1]"),
        address("6to4 of loopback", "[2002:7f00:1::1]"),
        name("name resolving private", "internal.example.test", "10.0.0.7"),
    ],
    ids=str,
)
def test_with_loopback_allowed_every_other_non_public_address_is_still_refused(
    api_client, customer_headers, local_development, blocked
):
    response = api_client.post(
        WEBHOOKS_URL,
        {"url": url_of(blocked, local_development), "event_types": ["order.created"]},
        **customer_headers,
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"url": [blocked.reason]}


@pytest.mark.parametrize("host", ["[::1]", "[::ffff:127.0.0.1]", "127.9.9.9"])
def test_with_loopback_allowed_every_loopback_spelling_is_accepted(
    api_client, customer_headers, local_development, host
):
    response = api_client.post(
        WEBHOOKS_URL,
        {"url": f"http://{host}:{local_development.port}/hook", "event_types": ["order.created"]},
        **customer_headers,
    )

    assert response.status_code == 201, response.content
