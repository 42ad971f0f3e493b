"""A stand-in for catalog (and identity's service-token endpoint) on a real local HTTP port."""

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from common.clients.catalog import PRICES_PATH, catalog
from common.clients.identity import SERVICE_TOKEN_PATH, identity


@dataclass
class CatalogStub:
    """Answers GET PRICES_PATH from `products` and POST SERVICE_TOKEN_PATH with `token`.

    `failures` are statuses answered first, one per request; `delay` holds every answer back."""

    token: str
    products: dict[str, dict] = field(default_factory=dict)
    failures: list[int] = field(default_factory=list)
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)
    url: str = ""

    def add(
        self, product_id, *, price="10.00", currency="EUR", is_active=True, sku=None, name=None
    ):
        self.products[str(product_id)] = {
            "product_id": str(product_id),
            "sku": sku or f"SKU-{str(product_id)[:8]}",
            "name": name or f"Product {str(product_id)[:8]}",
            "price": str(Decimal(price)),
            "currency": currency,
            "is_active": is_active,
        }

    def price_requests(self) -> list[dict]:
        return [request for request in self.requests if request["path"] == PRICES_PATH]

    def answer(self, method: str, raw_path: str, headers: dict) -> tuple[int, dict]:
        parts = urlsplit(raw_path)
        self.requests.append({"method": method, "path": parts.path, "headers": headers})
        if self.delay:
            time.sleep(self.delay)
        if method == "POST" and parts.path == SERVICE_TOKEN_PATH:
            return 200, {"access": self.token}
        if self.failures:
            return self.failures.pop(0), {"detail": "scripted failure"}
        if method == "GET" and parts.path == PRICES_PATH:
            ids = parse_qs(parts.query).get("ids", [""])[0].split(",")
            return 200, {"results": [self.products[i] for i in ids if i in self.products]}
        return 404, {"detail": "not found"}


def closed_port() -> int:
    """A port nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Clients that time out hang up mid-answer on purpose; that is not worth a traceback."""


def serve(stub: CatalogStub) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def respond(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            status, body = stub.answer(self.command, self.path, dict(self.headers))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = respond

        def log_message(self, format, *args) -> None:
            pass

    server = QuietServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture
def catalog_stub(settings, token_minter):
    """A running CatalogStub that CATALOG_URL and IDENTITY_URL point at; breakers start closed."""
    token = token_minter.token(subject="service:orders", scopes=["catalog.price.read_internal"])
    stub = CatalogStub(token=token)
    server = serve(stub)
    stub.url = f"http://127.0.0.1:{server.server_port}"
    settings.CATALOG_URL = settings.IDENTITY_URL = stub.url
    catalog.breaker.close()
    identity.breaker.close()
    yield stub
    server.shutdown()
    server.server_close()
    catalog.breaker.close()
    identity.breaker.close()
