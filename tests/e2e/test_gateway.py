"""Clients behind `make run`'s real nginx gateway, as shops run behind their Ingress: each client
has its own sign-in throttle, and nothing a client writes into X-Forwarded-For changes whose
throttle a request counts against.

Two clients on one machine: Linux routes all of 127.0.0.0/8 to the loopback, so connections that
leave from 127.a.b.c and 127.x.y.z reach nginx from two addresses. The suite's platform signs in
from 127.0.0.1 at rates no test reaches; this module puts the same gateway, as `make run` starts
it, in front of an identity web process of its own with a sign-in rate small enough to reach.
"""

import os
import random

import pytest
import requests
from requests.adapters import HTTPAdapter

from devtools import up
from devtools.processes import Supervisor
from services import SERVICES
from tests.e2e.conftest import BASE_PORT
from tests.e2e.shop import eventually

pytestmark = pytest.mark.e2e

GATEWAY_PORT = BASE_PORT + 300
SIGN_IN_RATE = 10
IDENTITY = next(service for service in SERVICES if service.name == "identity")
TOKEN_PATH = "/identity/api/v1/auth/token/"
THROTTLED = "urn:mercato:problem:throttled"


class SourceAddressAdapter(HTTPAdapter):
    """Every connection of the session it is mounted on leaves from `address`."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


def loopback_addresses(count: int) -> list[str]:
    """Random ones: a run finds no throttle history that an earlier one left in Redis."""
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(
            f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        )
    return sorted(chosen)


@pytest.fixture(scope="module")
def gateway(platform, tmp_path_factory) -> str:
    """`make run`'s gateway on its own port before one identity web process; its base URL."""
    home = tmp_path_factory.mktemp("gateway")
    # The suite's databases and broker, with the sign-in rate this module reaches.
    rates = f"anon=100000/minute,user=100000/minute,sign_in={SIGN_IN_RATE}/minute"
    inherited = {**platform.environment, "THROTTLE_RATES": rates}
    environment = up.platform_environment(home, base_port=GATEWAY_PORT, inherited=inherited)
    nginx = up.behind_gateway(environment)
    if nginx is None:
        reason = "nginx is not installed (make gateway installs it where apt-get can)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    supervisor = Supervisor(log_dir=home / "logs")
    try:
        up.start_web(supervisor, IDENTITY, environment, home=home, base_port=GATEWAY_PORT)
        up.start_gateway(supervisor, environment, nginx=nginx, home=home, base_port=GATEWAY_PORT)
        url = f"http://127.0.0.1:{GATEWAY_PORT}"
        eventually(
            lambda: up.probe(f"{url}/identity/.well-known/jwks.json") == 200,
            timeout=60,
            what=lambda: f"identity answering through nginx; exited: {supervisor.exited()}",
        )
        yield url
    finally:
        supervisor.stop_all()


@pytest.fixture
def client_at():
    """`client_at(address)`: an HTTP client whose connections leave from `address`."""
    sessions = []

    def connect(address: str) -> requests.Session:
        session = requests.Session()
        session.mount("http://", SourceAddressAdapter(address))
        sessions.append(session)
        return session

    yield connect
    for session in sessions:
        session.close()


def sign_in(
    client: requests.Session, gateway: str, *, forwarded_for: str = ""
) -> requests.Response:
    """An empty sign-in: identity counts it against the sign-in throttle, then answers 400 without
    hashing any password."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(f"{gateway}{TOKEN_PATH}", json={}, headers=headers, timeout=10)


def answers(responses: list[requests.Response]) -> list[int]:
    return [response.status_code for response in responses]


def shown(responses: list[requests.Response]) -> list[str]:
    return [f"{response.status_code} {response.text[:200]}" for response in responses]


def test_a_client_over_its_sign_in_rate_leaves_another_clients_sign_ins_alone(gateway, client_at):
    first, second = (client_at(address) for address in loopback_addresses(2))

    within_rate = [sign_in(first, gateway) for _ in range(SIGN_IN_RATE)]
    over_rate = sign_in(first, gateway)
    other_client = sign_in(second, gateway)

    assert answers(within_rate) == [400] * SIGN_IN_RATE, shown(within_rate)
    assert over_rate.status_code == 429, shown([over_rate])
    assert over_rate.json()["type"] == THROTTLED
    assert other_client.status_code == 400, shown([other_client])


def test_a_forged_x_forwarded_for_neither_escapes_a_throttle_nor_spends_another_clients(
    gateway, client_at
):
    a, b, *made_up = loopback_addresses(5)
    client = client_at(a)

    posing_as_b = [sign_in(client, gateway, forwarded_for=b) for _ in range(SIGN_IN_RATE)]
    posing_as_others = [
        sign_in(client, gateway, forwarded_for=f"{address}, {b}") for address in made_up
    ]
    b_itself = sign_in(client_at(b), gateway)

    # All of A's posing counted against A's own throttle: the rate let exactly that many through,
    # then refused A whatever it claimed to be, and B's throttle was never touched.
    assert answers(posing_as_b) == [400] * SIGN_IN_RATE, shown(posing_as_b)
    assert answers(posing_as_others) == [429] * len(made_up), shown(posing_as_others)
    assert b_itself.status_code == 400, shown([b_itself])
