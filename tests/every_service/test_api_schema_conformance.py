"""Runs once per service's settings: schemathesis calls every operation of the service's OpenAPI
schema as each role, in-process through the WSGI application and on the PostgreSQL test database,
and no answer is a 5xx: each has a declared status and content type, and a body its schema allows.

`make test` sends EXAMPLES examples per operation and role, the same ones every run; `make fuzz`
sends FUZZ_EXAMPLES, drawn anew each run, within FUZZ_SECONDS per service. Path ids name the
records seeded below about half the time, so reads, writes and their conflicts meet real rows. A
role refused for its scope (or a caller for having no valid token) is refused whatever it sends,
so one such answer ends that operation's examples for it.
"""

import contextlib
import ipaddress
import os
import time
import uuid
from collections.abc import Iterator
from functools import cache

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.roles import DEFAULT_ROLES

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0)
EXAMPLES = FUZZ_EXAMPLES or 6
FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS") or 600)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = ("anonymous", "customer", "support", "finance", "catalog_manager", "admin")


def known_id(name: str) -> uuid.UUID:
    """The same id for the same seeded record (or person) in every run."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mercato:test:{name}")


SUBJECTS = {role: known_id(role) for role in ROLES}
# The records each path parameter may name, seeded by the service's `seed_*` below.
KNOWN_IDS = {
    "user_id": [SUBJECTS["customer"], SUBJECTS["support"]],
    "category_id": [known_id("category"), known_id("empty-category")],
    "product_id": [known_id("product"), known_id("archived-product")],
    "import_id": [known_id("import")],
    "order_id": [known_id("pending-order"), known_id("confirmed-order")],
    "export_id": [known_id("export"), known_id("queued-export")],
    "payment_id": [known_id("payment")],
    "webhook_id": [known_id("webhook")],
}


@cache
def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, read from the schema the service serves."""
    spec = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), path) for path, item in spec["paths"].items() for method in item]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "operation_key" in metafunc.fixturenames:
        keys = operations()
        metafunc.parametrize("operation_key", keys, ids=[f"{m} {p}" for m, p in keys])


@pytest.fixture(scope="module")
def application() -> Iterator[WSGIHandler]:
    """Django's WSGI application, keeping the test's connection and transaction across requests
    as Django's test client does (it would close them at each request's start and end)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schemas(application) -> dict[bool, schemathesis.BaseSchema]:
    """The served schema, by whether schemathesis makes up the bearer token: for anonymous
    callers it sends malformed and forged ones (or none); a role always sends its own."""
    return {
        made_up: schemathesis.openapi.from_wsgi(
            f"/{settings.SERVICE_NAME}/api/schema/",
            application,
            config=schemathesis.Config.from_dict(
                {"generation": {"with-security-parameters": made_up}}
            ),
            headers={"Accept": "application/vnd.oai.openapi+json"},
        )
        for made_up in (True, False)
    }


def seed_identity(request) -> None:
    from apps.accounts.models import Role, User

    for role in ROLES[1:]:
        user = User.objects.create_user(
            f"{role}@mercato.test", "a long demo password", id=SUBJECTS[role], full_name=role
        )
        user.roles.add(Role.objects.get(name=role))


def seed_catalog(request) -> None:
    from apps.catalog.models import ProductImport
    from apps.inventory.models import Stock
    from common.jobs import JobStatus
    from tests.catalog.factories import CategoryFactory, ProductFactory

    category = CategoryFactory(id=known_id("category"))
    CategoryFactory(id=known_id("empty-category"))
    product = ProductFactory(id=known_id("product"), category=category)
    Stock.objects.create(product=product, on_hand=10, reserved=2)
    ProductFactory(id=known_id("archived-product"), category=category, is_active=False)
    product_import = ProductImport.objects.create(
        id=known_id("import"),
        requested_by=SUBJECTS["catalog_manager"],
        source="sku,name,price,currency,category\nTEA-2,,1.00,EUR,tea\n",
        total_rows=1,
        processed_rows=1,
        status=JobStatus.SUCCEEDED,
    )
    product_import.errors.create(row=2, field="name", message="This field may not be blank.")


def seed_orders(request) -> None:
    from apps.orders.models import OrderExport, OrderStatus
    from common.clients.catalog import PRICES_PATH
    from common.jobs import JobStatus
    from tests.orders.conftest import order_in

    customer = SUBJECTS["customer"]
    order_in(OrderStatus.PENDING, customer_id=customer, order_id=known_id("pending-order"))
    order_in(OrderStatus.CONFIRMED, customer_id=customer, order_id=known_id("confirmed-order"))
    finance = str(SUBJECTS["finance"])
    OrderExport.objects.create(
        id=known_id("export"),
        requested_by=finance,
        status=JobStatus.SUCCEEDED,
        content="id\n",
        row_count=0,
    )
    OrderExport.objects.create(id=known_id("queued-export"), requested_by=finance)
    catalog = request.getfixturevalue("catalog_stub")

    def every_product_priced(stub_request):
        """Whatever products an order names exist, so that placing one can succeed."""
        for product_id in stub_request.query.get("ids", [""])[0].split(","):
            catalog.add(product_id)
        return catalog.prices(stub_request)

    catalog.stub.on("GET", PRICES_PATH, every_product_priced)


def seed_payments(request) -> None:
    from apps.payments.models import PaymentStatus
    from tests.payments.factories import PaymentFactory

    PaymentFactory(
        id=known_id("payment"),
        order_id=known_id("confirmed-order"),
        customer_id=SUBJECTS["customer"],
        status=PaymentStatus.SUCCEEDED,
    )


def seed_notifications(request) -> None:
    from django.utils import timezone

    from apps.notifications import targets
    from apps.notifications.models import Notification, WebhookDelivery
    from tests.notifications.factories import RecipientFactory, WebhookEndpointFactory

    customer = SUBJECTS["customer"]
    recipient = RecipientFactory(user_id=customer)
    Notification.objects.create(
        recipient=recipient,
        event_id=uuid.uuid4(),
        kind="welcome",
        email=recipient.email,
        subject="Welcome",
        body="Welcome to Mercato.",
        sent_at=timezone.now(),
    )
    # Webhooks reach only this test's receiver: every host name resolves to it, on loopback.
    receiver = request.getfixturevalue("http_stub")
    receiver.on("POST", None, (204, None))
    monkeypatch = request.getfixturevalue("monkeypatch")
    loopback = (ipaddress.ip_address("127.0.0.1"),)
    monkeypatch.setattr(targets, "resolve", lambda hostname, port: loopback)
    request.getfixturevalue("settings").WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    endpoint = WebhookEndpointFactory(
        id=known_id("webhook"), owner_id=str(customer), url=receiver.url("/hooks")
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=uuid.uuid4(),
        event_type="order.created",
        payload={"order_id": str(uuid.uuid4())},
        attempts=1,
        max_attempts=8,
        next_attempt_at=timezone.now(),
    )
    delivery.attempt_log.create(attempted_at=timezone.now(), error="timed out", duration_ms=5000)


SEEDS = {
    "identity": seed_identity,
    "catalog": seed_catalog,
    "orders": seed_orders,
    "payments": seed_payments,
    "notifications": seed_notifications,
}


@pytest.fixture
def seeded(db, request, settings) -> None:
    # Passwords are hashed on every sign-in and registration; Argon2 is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    SEEDS[settings.SERVICE_NAME](request)


def role_headers(token_minter, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    token = token_minter.token(
        subject=str(SUBJECTS[role]),
        roles=[role],
        scopes=sorted(DEFAULT_ROLES[role][1]),
        email=f"{role}@mercato.test",
    )
    return {"Authorization": f"Bearer {token}"}


def cases(operation) -> st.SearchStrategy:
    """Valid and invalid requests; a path id names a seeded record about half the time."""
    generated = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )
    names = [parameter.name for parameter in operation.path_parameters]
    known = {name: st.sampled_from(KNOWN_IDS[name]) for name in names if name in KNOWN_IDS}
    if not known:
        return generated
    return st.tuples(generated, st.booleans(), st.fixed_dictionaries(known)).map(with_ids)


def with_ids(drawn):
    case, use_known, ids = drawn
    if use_known:
        case.path_parameters = {**case.path_parameters, **{k: str(v) for k, v in ids.items()}}
    return case


class Enough(Exception):
    """Ends a test's examples early: Hypothesis stops for an exception only."""


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_is_declared_and_none_is_a_server_error(
    api_schemas, operation_key, role, seeded, token_minter
):
    method, path = operation_key
    operation = api_schemas[role == "anonymous"][path][method]
    headers = role_headers(token_minter, role)
    stop_at = time.monotonic() + FUZZ_SECONDS / (len(operations()) * len(ROLES))

    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=not FUZZ_EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation))
    def call(case):
        if FUZZ_EXAMPLES and time.monotonic() > stop_at:
            raise Enough("this test's share of FUZZ_SECONDS is spent")
        # Each request sees the seeded rows only: what an earlier one changed is rolled back.
        with transaction.atomic():
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            transaction.set_rollback(True)
        if response.status_code == (401 if role == "anonymous" else 403):
            raise Enough("refused before its input is read, as every other example would be")

    with contextlib.suppress(Enough):
        call()
