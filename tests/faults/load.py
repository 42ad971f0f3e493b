"""A steady order load through the HTTP API while a fault is injected, and the checks that follow
it: every accepted order terminal in time, none charged or reserved twice, stock never negative,
nothing accepted lost, every refusal a fast 503 problem+json with Retry-After."""

import json
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import requests

from tests.e2e.shop import TERMINAL, Shop, StockWatch, described, eventually

# A placement not answered within this long counts as hung: a dependency that is down must cost
# a request a couple of seconds at most (common/clients/http.py, the database's connect_timeout).
REQUEST_TIMEOUT_SECONDS = 10
# The checks' reads are made as the platform catches up after the fault: each is tried again for
# this long before it fails, showing what it saw.
READ_PATIENCE_SECONDS = 30
PROBLEM_CONTENT_TYPE = "application/problem+json"
QUANTITY = 1


@dataclass
class Placement:
    """One order placement as the client saw it; `status` None means no answer at all."""

    key: str
    sent_at: float
    answered_at: float = 0.0
    status: int | None = None
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    order_id: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status == 201

    def __str__(self) -> str:
        return f"{self.key} sent at {self.sent_at:.1f}: {self.status} {self.body[:300]}"


@dataclass
class Outcome:
    """What verify() found, in the figures docs/reliability.md reports."""

    placed: int
    accepted: int
    refused: int
    in_flight: int
    lost: int
    duplicated: int
    recovery_seconds: float
    statuses: Counter
    problems: list[str]


class SteadyLoad:
    """`rate` orders a second for `seconds` seconds, each of one unit of `product_id` by one new
    customer, sent on schedule from a thread pool (a slow answer does not slow the load), every
    answer kept. Use as a context manager around the fault; `wait()` lets it finish."""

    def __init__(
        self,
        shop: Shop,
        *,
        product_id: str,
        rate: float = 2,
        seconds: float = 20,
        payment_method: str = "pm_card_ok",
    ) -> None:
        self.shop = shop
        self.product_id = product_id
        self.rate = rate
        self.seconds = seconds
        self.payment_method = payment_method
        self.customer = shop.new_customer()
        self.placements: list[Placement] = []
        self.started_at = 0.0
        self.pool = ThreadPoolExecutor(max_workers=int(rate * REQUEST_TIMEOUT_SECONDS) + 2)
        self.scheduler = threading.Thread(target=self._schedule)

    def __enter__(self) -> "SteadyLoad":
        self.started_at = time.time()
        self.scheduler.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.wait()

    def wait(self) -> None:
        self.scheduler.join()
        self.pool.shutdown(wait=True)

    def _schedule(self) -> None:
        for number in range(round(self.rate * self.seconds)):
            time.sleep(max(0.0, self.started_at + number / self.rate - time.time()))
            placement = Placement(key=str(uuid.uuid4()), sent_at=time.time())
            self.placements.append(placement)
            self.pool.submit(self._place, placement)

    def _place(self, placement: Placement) -> None:
        with requests.Session() as http:
            try:
                response = Shop(self.shop.platform, http).place(
                    self.customer["token"],
                    [(self.product_id, QUANTITY)],
                    self.payment_method,
                    key=placement.key,
                    timeout=REQUEST_TIMEOUT_SECONDS,
                )
            except requests.RequestException as error:
                placement.body = repr(error)
            else:
                placement.status = response.status_code
                placement.body = response.text
                placement.headers = dict(response.headers)
                if response.status_code == 201:
                    placement.order_id = response.json()["id"]
        placement.answered_at = time.time()


def read(shop: Shop, service: str, path: str, *, token: str = "") -> dict:
    """The JSON of `GET path` from `service` once answered 200, tried again for up to
    READ_PATIENCE_SECONDS: the checks pin the platform's state after the fault, which a read made
    while it still catches up (a reused connection it dropped, a slow answer) does not change."""
    seen: list[str] = []

    def answered_ok() -> requests.Response | None:
        try:
            response = shop.call("GET", service, path, token=token, timeout=REQUEST_TIMEOUT_SECONDS)
        except requests.RequestException as error:
            seen.append(repr(error))
            return None
        if response.status_code != 200:
            seen.append(described(response))
            return None
        return response

    return eventually(
        answered_ok, timeout=READ_PATIENCE_SECONDS, every=0.5, what=lambda: " | ".join(seen[-3:])
    ).json()


def customer_orders(shop: Shop, token: str) -> dict[str, dict]:
    """Every order of the customer whose `token` this is, by id."""
    orders: dict[str, dict] = {}
    page = 1
    while True:
        body = read(shop, "orders", f"orders/?page_size=100&page={page}", token=token)
        orders.update((order["id"], order) for order in body["results"])
        if not body.get("next"):
            return orders
        page += 1


def customer_payments(shop: Shop, token: str) -> list[dict]:
    payments: list[dict] = []
    page = 1
    while True:
        body = read(shop, "payments", f"payments/?page_size=100&page={page}", token=token)
        payments += body["results"]
        if not body.get("next"):
            return payments
        page += 1


def timestamp(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def verify(
    load: SteadyLoad,
    *,
    watch: StockWatch,
    on_hand_before: int,
    fault_started_at: float,
    fault_ended_at: float,
    settle_within: float,
    refusals: frozenset[str] = frozenset(),
) -> Outcome:
    """Checks the load's orders once every fault is over; `Outcome.problems` says what it saw
    wrong (empty when all held), so a failing fault is still reported with its figures.

    - every placement answered within REQUEST_TIMEOUT_SECONDS: 201, or (only for the problem
      `type`s in `refusals`) a 503 problem+json with Retry-After;
    - every accepted order, and any other order of the customer, terminal within `settle_within`
      seconds of now;
    - none charged twice, every CONFIRMED order charged, no CANCELLED order left charged;
    - the stock exact (on hand down by what was confirmed, nothing left reserved: a reservation
      applied twice or never released shows here) and never negative while the load ran.
    """
    shop, token = load.shop, load.customer["token"]
    placements = load.placements
    problems = [f"no answer in time: {p}" for p in placements if p.status is None]
    refused = [p for p in placements if p.status is not None and not p.accepted]
    problems += [
        f"not a 503 {sorted(refusals)} with Retry-After: {p}"
        for p in refused
        if not is_refusal(p, refusals)
    ]
    accepted = {p.order_id: p for p in placements if p.accepted}

    deadline = time.monotonic() + settle_within
    while True:
        orders = customer_orders(shop, token)
        lost = {order_id: "missing" for order_id in accepted if order_id not in orders}
        lost |= {i: o["status"] for i, o in orders.items() if o["status"] not in TERMINAL}
        if not lost or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    problems += [
        f"order {order_id} not terminal within {settle_within} s: {status}; placed as "
        f"{accepted.get(order_id, 'an order the load did not see accepted')}"
        for order_id, status in lost.items()
    ]
    statuses = Counter(order["status"] for order in orders.values())

    charges = Counter(
        payment["order_id"]
        for payment in customer_payments(shop, token)
        if payment["status"] in ("SUCCEEDED", "REFUNDED")
    )
    charged_twice = {order_id: count for order_id, count in charges.items() if count > 1}
    problems += [f"order {i} charged {count} times" for i, count in charged_twice.items()]
    confirmed = {i for i, o in orders.items() if o["status"] == "CONFIRMED"}
    problems += [f"CONFIRMED order {i} has no charge" for i in confirmed - set(charges)]
    problems += [
        f"CANCELLED order {i} kept its charge"
        for i in set(charges) - confirmed
        if orders.get(i, {}).get("status") == "CANCELLED"
    ]

    stock = read(shop, "catalog", f"stock/{load.product_id}/")
    while stock["reserved"] and time.monotonic() < deadline:
        time.sleep(0.5)
        stock = read(shop, "catalog", f"stock/{load.product_id}/")
    expected_on_hand = on_hand_before - QUANTITY * len(confirmed)
    if stock["reserved"] or stock["on_hand"] != expected_on_hand:
        problems.append(
            f"stock {stock}, expected {expected_on_hand} on hand and none reserved after "
            f"{len(confirmed)} confirmed orders of {QUANTITY}"
        )
    if not watch.readings:
        problems.append(f"the stock was never read: {watch.failures[-5:]}")
    negative = [r for r in watch.readings if min(r["on_hand"], r["available"]) < 0]
    problems += [f"negative stock seen: {reading}" for reading in negative[:5]]

    in_flight = [
        order
        for order in orders.values()
        if timestamp(order["created_at"]) <= fault_ended_at
        and timestamp(order["updated_at"]) >= fault_started_at
    ]
    last_settled = max((timestamp(order["updated_at"]) for order in in_flight), default=0.0)
    # Placements again accepted after the fault count too: a fault may refuse rather than delay.
    accepting_again = min(
        (p.answered_at for p in placements if p.accepted and p.sent_at >= fault_ended_at),
        default=0.0,
    )
    return Outcome(
        placed=len(placements),
        accepted=len(accepted),
        refused=len(refused),
        in_flight=len(in_flight),
        lost=len(lost),
        duplicated=len(charged_twice) + abs(stock["on_hand"] - expected_on_hand),
        recovery_seconds=max(0.0, last_settled - fault_ended_at, accepting_again - fault_ended_at),
        statuses=statuses,
        problems=problems,
    )


def is_refusal(placement: Placement, refusals: frozenset[str]) -> bool:
    """A well-formed 503 of one of the expected problem types, saying when to retry."""
    if placement.status != 503 or "Retry-After" not in placement.headers:
        return False
    if placement.headers.get("Content-Type") != PROBLEM_CONTENT_TYPE:
        return False
    problem_type = json.loads(placement.body).get("type", "")
    return problem_type.removeprefix("urn:mercato:problem:") in refusals


def readiness_while(shop: Shop, service: str, *, seconds: float) -> list[str]:
    """`service`'s /healthz/ready every half second for `seconds`: each answer's code and status."""
    answers = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            response = shop.http.get(
                shop.platform.url(service, "/healthz/ready"), timeout=REQUEST_TIMEOUT_SECONDS
            )
        except requests.RequestException as error:
            answers.append(repr(error))
        else:
            answers.append(f"{response.status_code} {response.json()['status']}")
        time.sleep(0.5)
    return answers
