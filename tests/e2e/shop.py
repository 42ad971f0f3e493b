"""A REST client of the platform, as a shop's app or an operator's script would be: HTTP only."""

import threading
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import requests
from prometheus_client.parser import text_string_to_metric_families

if TYPE_CHECKING:
    from tests.e2e.conftest import Platform

# load_demo_data's password; the suite runs under catalog's settings, so it cannot import it.
DEMO_PASSWORD = "mercato-demo"
# The field an admin action's confirmation page posts (common/audit/actions.py): named here, as the
# benchmark imports this client without Django set up.
CONFIRMED_FIELD = "confirmed"
TERMINAL = {"CONFIRMED", "CANCELLED", "REFUNDED"}
DEMO_CATEGORY = "coffee"
# Every password, token and webhook secret a Shop used or was given in this session: the log
# scan (tests/e2e/test_logs.py) looks for each of them.
SECRETS_USED: set[str] = set()


def eventually(
    check: Callable, *, timeout: float, every: float = 0.2, what: str | Callable[[], str] = ""
):
    """`check()`'s first truthy answer within `timeout` seconds; fails saying what it awaited
    (`what`, or what `what()` says then, so a failure can show what it saw instead)."""
    deadline = time.monotonic() + timeout
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"not within {timeout} s: {said or check}")
        time.sleep(every)


def described(response: requests.Response) -> str:
    """What a failing assertion on an HTTP answer shows: the request, its status and its body."""
    request = response.request
    return f"{request.method} {request.url} answered {response.status_code}: {response.text[:4000]}"


def answered(response: requests.Response, status: int) -> requests.Response:
    """`response`, once it is `status`; anything else fails the test showing the whole answer."""
    assert response.status_code == status, described(response)
    return response


class Shop:
    def __init__(self, platform: "Platform", http: requests.Session) -> None:
        self.platform = platform
        self.http = http

    def call(self, method: str, service: str, path: str, *, token: str = "", timeout=30, **options):
        headers = options.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(
            method,
            self.platform.url(service, f"/{service}/api/v1/{path}"),
            headers=headers,
            timeout=timeout,
            **options,
        )

    def token_pair(self, email: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
        response = self.call(
            "POST", "identity", "auth/token/", json={"email": email, "password": password}
        )
        pair = answered(response, 200).json()
        SECRETS_USED.update({password, pair["access"], pair["refresh"]})
        return pair

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> str:
        return self.token_pair(email, password)["access"]

    def new_customer(self) -> dict:
        """Registers a new person and signs them in: {id, email, token}."""
        email, password = f"shopper-{uuid.uuid4().hex[:12]}@mercato.test", "a-long-passphrase-7"
        registered = self.call(
            "POST",
            "identity",
            "auth/register/",
            json={"email": email, "password": password, "full_name": "E2E Shopper"},
        )
        return {**answered(registered, 201).json(), "token": self.sign_in(email, password)}

    def new_product(self, *, on_hand: int, price: str = "9.90") -> str:
        """A product of its own for one test (the e2e databases outlive runs), with stock."""
        manager = self.sign_in("manager@mercato.local")
        sku = f"E2E-{uuid.uuid4().hex[:10]}"
        created = self.call(
            "POST",
            "catalog",
            "products/",
            token=manager,
            json={"sku": sku, "name": f"Test {sku}", "price": price, "category": DEMO_CATEGORY},
        )
        product_id = answered(created, 201).json()["id"]
        adjusted = self.call(
            "POST",
            "catalog",
            f"stock/{product_id}/adjust/",
            token=manager,
            json={"delta": on_hand, "reason": "e2e stock"},
        )
        answered(adjusted, 200)
        return product_id

    def metric(self, service: str, name: str, **labels: str) -> float:
        """The sum of `service`'s samples `name` with `labels` on /metrics, where every process of
        the service adds up (a counter that has not moved yet reads 0)."""
        scraped = answered(self.http.get(self.platform.url(service, "/metrics"), timeout=5), 200)
        return sum(
            sample.value
            for family in text_string_to_metric_families(scraped.text)
            for sample in family.samples
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
        )

    def stock(self, product_id: str) -> dict:
        return answered(self.call("GET", "catalog", f"stock/{product_id}/"), 200).json()

    def place(
        self, token: str, lines: list[tuple[str, int]], payment_method: str, key=None, **options
    ):
        return self.call(
            "POST",
            "orders",
            "orders/",
            token=token,
            headers={"Idempotency-Key": key or str(uuid.uuid4()), **options.pop("headers", {})},
            json={
                "lines": [{"product_id": p, "quantity": q} for p, q in lines],
                "payment_method": payment_method,
            },
            **options,
        )

    def placed(self, token: str, lines: list[tuple[str, int]], payment_method: str) -> str:
        """The id of a new order for `lines`; the test fails showing the answer unless it is 201."""
        return answered(self.place(token, lines, payment_method), 201).json()["id"]

    def order(self, token: str, order_id: str) -> dict:
        return answered(self.call("GET", "orders", f"orders/{order_id}/", token=token), 200).json()

    def settled(self, token: str, order_id: str, *, timeout: float = 30, into=TERMINAL) -> dict:
        """The order once its status is one of `into`."""
        return eventually(
            lambda: (order := self.order(token, order_id))["status"] in into and order,
            timeout=timeout,
            what=lambda: (
                f"order {order_id} reaching {sorted(into)}, seen as {self.order(token, order_id)}"
            ),
        )

    def payments(self, token: str, order_id: str) -> list[dict]:
        response = self.call("GET", "payments", f"payments/?order_id={order_id}", token=token)
        return answered(response, 200).json()["results"]

    def webhook(self, token: str, url: str, event_types: list[str]) -> dict:
        response = self.call(
            "POST",
            "notifications",
            "webhooks/",
            token=token,
            json={"url": url, "event_types": event_types},
        )
        endpoint = answered(response, 201).json()
        SECRETS_USED.add(endpoint["secret"])
        return endpoint


class StockWatch:
    """Reads a product's stock every `every` seconds while a test runs, keeping every reading,
    and every failed read as what was seen (a fault test reads through outages)."""

    def __init__(self, shop: Shop, product_id: str, *, every: float = 0.02) -> None:
        self.readings: list[dict] = []
        self.failures: list[str] = []
        self.running = True
        self.every = every
        self.thread = threading.Thread(target=self._watch, args=(shop, product_id))

    def _watch(self, shop: Shop, product_id: str) -> None:
        with requests.Session() as http:
            reader = Shop(shop.platform, http)
            while self.running:
                try:
                    response = reader.call("GET", "catalog", f"stock/{product_id}/")
                except requests.RequestException as error:
                    self.failures.append(repr(error))
                else:
                    if response.status_code == 200:
                        self.readings.append(response.json())
                    else:
                        self.failures.append(f"{response.status_code} {response.text[:300]}")
                time.sleep(self.every)

    def __enter__(self) -> "StockWatch":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.running = False
        self.thread.join()


def admin_login(
    http: requests.Session, platform: "Platform", service: str, email: str, password: str
) -> requests.Response:
    """Posts identity's operator sign-in form as a browser would, asking to go on to `service`'s
    admin (on its own port, which shares identity's cookies); returns the last answer."""
    sign_in = platform.url("identity", "/identity/operator/sign-in/")
    http.get(sign_in, timeout=10)
    return http.post(
        sign_in,
        data={
            "username": email,
            "password": password,
            "csrfmiddlewaretoken": http.cookies["identity_csrftoken"],
            "next": platform.url(service, f"/{service}/admin/"),
        },
        headers={"Referer": sign_in},
        timeout=10,
    )


class AdminSession:
    """A person signed in through identity's sign-in page, using one service's Django admin."""

    def __init__(self, platform: "Platform", service: str, email: str) -> None:
        self.platform, self.service = platform, service
        self.http = requests.Session()
        signed_in = answered(admin_login(self.http, platform, service, email, DEMO_PASSWORD), 200)
        assert signed_in.url.endswith(f"/{service}/admin/"), described(signed_in)

    def url(self, path: str) -> str:
        return self.platform.url(self.service, f"/{self.service}/admin/{path}")

    def csrf_token(self) -> str:
        return self.http.cookies[f"{self.service}_csrftoken"]

    def get(self, path: str) -> requests.Response:
        return answered(self.http.get(self.url(path), timeout=10), 200)

    def act(self, path: str, action: str, selected: list[str]) -> requests.Response:
        """Runs an admin action on the selected rows of the changelist at `path`, answering yes on
        its confirmation page."""
        return self.http.post(
            self.url(path),
            data={
                "action": action,
                "_selected_action": selected,
                CONFIRMED_FIELD: "yes",
                "csrfmiddlewaretoken": self.csrf_token(),
            },
            headers={"Referer": self.url(path)},
            timeout=30,
        )
