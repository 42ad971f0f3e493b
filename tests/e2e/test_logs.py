"""The platform's logs: one order's correlation id leads to its lines in every service's web and
worker processes, every process writes JSON naming its service and role (gunicorn too), and no
secret the suite used is in any log file of the run."""

import json
import re
import time
import uuid
from pathlib import Path

import pytest

from common.settings.derived import local_development_secret
from services import SERVICES
from tests.e2e.shop import DEMO_PASSWORD, SECRETS_USED, answered, eventually

pytestmark = pytest.mark.e2e

# identity takes no part in an order's asynchronous steps: it has no tasks of its own and
# subscribes to no event, so its worker runs only the beat's sweeps.
ORDER_PROCESSES = {(service.name, "web") for service in SERVICES} | {
    (service.name, "worker") for service in SERVICES if service.name != "identity"
}
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+")
GUNICORN_PLAIN_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d [\d:]+ [+-]\d{4}\] \[\d+\] \[[A-Z]+\] ")


def json_lines(path: Path) -> list[dict]:
    lines = []
    for text in path.read_text(errors="replace").splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines


def process_log(platform, service: str, role: str) -> Path:
    return platform.home / "logs" / f"{service}-{role}.log"


def correlated_processes(platform, correlation_id: str) -> dict[tuple[str, str], list[dict]]:
    """The lines bound to `correlation_id`, by the (service, role) whose log file holds them."""
    found = {}
    for service, role in ORDER_PROCESSES:
        lines = [
            line
            for line in json_lines(process_log(platform, service, role))
            if line.get("correlation_id") == correlation_id
        ]
        if lines:
            found[(service, role)] = lines
    return found


def missing_described(platform, correlation_id: str) -> str:
    found = correlated_processes(platform, correlation_id)
    described = [f"correlation id {correlation_id} missing from:"]
    for service, role in sorted(ORDER_PROCESSES - set(found)):
        tail = process_log(platform, service, role).read_text(errors="replace").splitlines()[-5:]
        described.append(f"  {service} {role}, whose log ends with:")
        described += [f"    {line[:400]}" for line in tail]
    return "\n".join(described)


def place_until_answered(shop, token: str, product_id: str, *, headers: dict[str, str]):
    """Places one order as a shop app does: a 503 (a cold orders worker's first service token,
    slow on a loaded machine) is tried again after its Retry-After, with the same key."""
    key = str(uuid.uuid4())
    for _ in range(3):
        placed = shop.call(
            "POST",
            "orders",
            "orders/",
            token=token,
            headers={**headers, "Idempotency-Key": key},
            json={
                "lines": [{"product_id": product_id, "quantity": 1}],
                "payment_method": "pm_card_ok",
            },
        )
        if placed.status_code != 503:
            return placed
        time.sleep(int(placed.headers.get("Retry-After", "5")))
    return placed


def test_one_orders_correlation_id_is_in_every_services_web_and_worker_logs(platform, shop):
    """A shop app sends one correlation id with every call of one checkout: signing in, placing
    the order, reading its payment and notifications. The services pass it on to each other,
    to their tasks and in their events."""
    correlation_id = f"e2e-checkout-{uuid.uuid4().hex[:12]}"
    correlated = {"X-Correlation-ID": correlation_id}
    email, password = f"logs-{uuid.uuid4().hex[:12]}@mercato.test", "a-long-passphrase-7"
    SECRETS_USED.add(password)
    registered = shop.call(
        "POST",
        "identity",
        "auth/register/",
        json={"email": email, "password": password, "full_name": "Logs Shopper"},
        headers=dict(correlated),
    )
    answered(registered, 201)
    signed_in = shop.call(
        "POST",
        "identity",
        "auth/token/",
        json={"email": email, "password": password},
        headers=dict(correlated),
    )
    pair = answered(signed_in, 200).json()
    SECRETS_USED.update({pair["access"], pair["refresh"]})
    token = pair["access"]
    product_id = shop.new_product(on_hand=3)

    placed = place_until_answered(shop, token, product_id, headers=correlated)

    answered(placed, 201)
    assert placed.headers["X-Correlation-ID"] == correlation_id
    order = shop.settled(token, placed.json()["id"])
    assert order["status"] == "CONFIRMED", order
    for service, path in (
        ("payments", f"payments/?order_id={order['id']}"),
        ("notifications", "notifications/"),
    ):
        answered(shop.call("GET", service, path, token=token, headers=dict(correlated)), 200)
    found = eventually(
        lambda: (
            set(correlated_processes(platform, correlation_id)) == ORDER_PROCESSES
            and correlated_processes(platform, correlation_id)
        ),
        timeout=60,
        what=lambda: missing_described(platform, correlation_id),
    )
    for (service, role), lines in found.items():
        for line in lines:
            assert (line["service"], line["role"]) == (service, role), line
    order_lines = found[("orders", "web")]
    assert any(line.get("sub") == registered.json()["id"] for line in order_lines), order_lines


def test_every_process_writes_json_naming_its_service_and_role_gunicorn_too(platform):
    for service in SERVICES:
        for role in ("web", "worker", "beat"):
            path = process_log(platform, service.name, role)
            # Under make run's shape beat runs inside the worker and writes to the worker's log.
            if role == "beat" and not path.exists():
                continue
            text = path.read_text(errors="replace")
            plain = [line for line in text.splitlines() if GUNICORN_PLAIN_LINE.match(line)]
            assert not plain, f"{path.name} has gunicorn lines that are not JSON: {plain[:3]}"
            lines = json_lines(path)
            assert lines, f"{path.name} has no JSON line:\n{text[-2000:]}"
            strangers = [
                line for line in lines if (line["service"], line["role"]) != (service.name, role)
            ]
            assert not strangers, f"{path.name}: lines naming another process: {strangers[:3]}"
            if role == "web":
                assert any(line["logger"].startswith("gunicorn") for line in lines), path.name


def secrets_known(webhooks) -> dict[str, set[str]]:
    """What the suite used or saw that no log may hold, by kind."""
    return {
        "password, token or webhook secret a Shop used": set(SECRETS_USED) - {DEMO_PASSWORD},
        "client secret": {local_development_secret(service.name) for service in SERVICES},
        "webhook signature": {
            request.headers["webhook-signature"]
            for request in webhooks.requests
            if "webhook-signature" in request.headers
        },
    }


# The launcher's console and the demo-data command print the demo users' password for the
# developer, on purpose.
PRINTS_DEMO_PASSWORD = re.compile(r"up\.log|\w+-demo-data\.log")


@pytest.mark.last
def test_no_secret_the_suite_used_is_in_any_log_file_of_the_run(
    platform, webhooks, tmp_path_factory
):
    """Runs after every other test of the session, over the log files of every platform it
    started. Any JWT is a leak, whoever it was issued to."""
    files = sorted(tmp_path_factory.getbasetemp().rglob("*.log"))
    assert any(path.name == "orders-web.log" for path in files), files
    known = secrets_known(webhooks)
    found = []
    for path in files:
        text = path.read_text(errors="replace")
        for kind, secrets in known.items():
            found += [(path, kind, secret) for secret in secrets if secret and secret in text]
        if DEMO_PASSWORD in text and not PRINTS_DEMO_PASSWORD.fullmatch(path.name):
            found.append((path, "demo password", DEMO_PASSWORD))
        found += [(path, "JWT", token) for token in set(JWT.findall(text))]

    described = []
    for path, kind, secret in found[:10]:
        lines = [line for line in path.read_text(errors="replace").splitlines() if secret in line]
        described.append(f"{kind} in {path}: {len(lines)} lines, first: {lines[0][:600]}")
    assert not found, f"{len(found)} secrets in the logs:\n" + "\n".join(described)
