"""A free port, and one scriptable HTTP server standing in for whatever a service talks to."""

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on once this returns: connections to it are
    refused until someone binds it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class StubRequest:
    """One request the stub received; header names in lower case."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)

    def json(self) -> Any:
        return json.loads(self.body)


# An answer is a status, a body sent as JSON (None: no body) and optionally headers (a redirect's
# Location), or a function of the request returning one.
Answer = tuple[int, Any] | tuple[int, Any, dict[str, str]]
Script = Answer | Callable[[StubRequest], Answer]
NOT_SCRIPTED: Answer = (404, {"detail": "nothing scripted for this request"})


@dataclass
class HttpStub:
    """An HTTP server on 127.0.0.1 that keeps every request and answers as the test scripts it.

    `on(method, path, *answers)` answers requests to that route with `answers` in turn, the last
    one repeating (`None` matches any method or path); `delay` holds every answer back."""

    delay: float = 0.0
    requests: list[StubRequest] = field(default_factory=list)
    routes: dict[tuple[str | None, str | None], list[Script]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", 0), handler_for(self))
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, target: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{target}"

    def on(self, method: str | None, path: str | None, *answers: Script) -> None:
        self.routes[(method, path)] = list(answers)

    def received(self, path: str | None = None) -> list[StubRequest]:
        """The requests received so far (to `path` only, if given), oldest first."""
        return [request for request in self.requests if path in (None, request.path)]

    def answer(self, request: StubRequest) -> Answer:
        with self.lock:
            self.requests.append(request)
            for route in (
                (request.method, request.path),
                (request.method, None),
                (None, request.path),
                (None, None),
            ):
                if route in self.routes:
                    answers = self.routes[route]
                    script = answers.pop(0) if len(answers) > 1 else answers[0]
                    break
            else:
                script = NOT_SCRIPTED
        if self.delay:
            time.sleep(self.delay)
        return script(request) if callable(script) else script

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that time out hang up mid-answer on purpose; that is not worth a traceback."""


def handler_for(stub: HttpStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def respond(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, payload, *more = stub.answer(
                StubRequest(self.command, self.path, headers, body)
            )
            content = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            for name, value in (more[0] if more else {}).items():
                self.send_header(name, value)
            if payload is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = respond

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: pytest shows what matters."""

    return Handler


@pytest.fixture
def http_stub() -> Iterator[HttpStub]:
    """A running HttpStub with nothing scripted, stopped after the test."""
    stub = HttpStub()
    yield stub
    stub.stop()
