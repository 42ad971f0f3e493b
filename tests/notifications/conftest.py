"""notifications suites: customers with tokens, a local receiver for webhook deliveries, and an
/etc/hosts of their own for the names webhook URLs use."""

import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from common.testing.servers import HttpStub

# Where the customer's endpoint listens on the receiver; the query string must reach it too.
WEBHOOK_TARGET = "/hooks/mercato?shop=1"
CUSTOMER_SCOPES = ["notifications.notification.read", "notifications.webhook.manage"]


@pytest.fixture
def customer_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def customer_headers(token_minter, customer_id):
    """Test-client keyword arguments authenticating as the customer `customer_id`."""
    return token_minter.authorization(
        subject=customer_id, roles=["customer"], scopes=CUSTOMER_SCOPES
    )


@pytest.fixture
def webhook_receiver(http_stub, settings) -> HttpStub:
    """A customer's endpoint on 127.0.0.1 answering 204 to every POST, which the service may
    reach only with private targets allowed, as in local development."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    http_stub.on("POST", None, (204, None))
    return http_stub


@dataclass
class Hosts:
    """A resolver standing in for DNS, at `socket.getaddrinfo`: a name answers the addresses given
    to `answer`, in turn (the last answer repeats), an IP literal in any form the C library reads
    (`127.1`, `2130706433`, `0x7f000001`) answers itself, and any other name does not resolve. No
    query leaves the machine; `lookups` keeps every host asked for, in order."""

    real: Any
    answers: dict[str, list[list[str]]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)

    def answer(self, name: str, *answers: list[str]) -> None:
        self.answers[name] = list(answers)

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.lookups.append(name)
        if name not in self.answers:
            return self.real(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
        answers = self.answers[name]
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0))
            if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))
            for address in addresses
        ]


@pytest.fixture
def hosts(monkeypatch) -> Hosts:
    """The test's resolver, knowing `localhost` as /etc/hosts does."""
    resolver = Hosts(real=socket.getaddrinfo)
    resolver.answer("localhost", ["127.0.0.1", "::1"])
    monkeypatch.setattr(socket, "getaddrinfo", resolver.getaddrinfo)
    return resolver
