"""Service-to-service HTTP: per-call timeouts, bounded retries and one circuit breaker per target.

A dependency that is down must cost a caller at most a couple of seconds, and nothing at all once
its breaker has opened, so a dead catalog never ties up every worker of the services calling it.
"""

import threading
import weakref
from datetime import UTC, datetime, timedelta
from typing import Any

import pybreaker
import requests
import structlog
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from common.observability.correlation import correlation_headers
from common.observability.metrics import breaker_state_set

RETRY_STATUSES = (502, 503, 504)
# Every client of another service alive in this process, for readiness to report their breakers.
SERVICE_CLIENTS: "weakref.WeakSet[ServiceClient]" = weakref.WeakSet()

logger = structlog.get_logger(__name__)


class ServiceUnavailable(Exception):
    """`service` gave no usable answer: unreachable, too slow, a 5xx, or its breaker is open."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service} is unavailable: {reason}")
        self.service = service
        self.reason = reason


class BreakerLog(pybreaker.CircuitBreakerListener):
    def state_change(
        self,
        cb: pybreaker.CircuitBreaker,
        old_state: pybreaker.CircuitBreakerState | None,
        new_state: pybreaker.CircuitBreakerState,
    ) -> None:
        if old_state is not None and old_state.name == new_state.name:
            return
        breaker_state_set(target=str(cb.name), state=new_state.name)
        logger.warning(
            "circuit_breaker_state_changed",
            service=cb.name,
            old_state=old_state.name if old_state else None,
            new_state=new_state.name,
        )


class ServiceClient:
    """Calls to one service, whose base URL is the setting `url_setting` (read per call).

    Connection failures are retried `retries` times for any method (the request never left), and
    502/503/504 only for idempotent methods, with exponential backoff from `backoff_seconds`.
    Connection failures, timeouts and 5xx answers count against the breaker: after `fail_max` in
    a row it refuses every call for `reset_timeout` seconds, then lets one through to probe.
    Other answers (4xx included) are the caller's to read.
    """

    def __init__(
        self,
        *,
        service: str,
        url_setting: str,
        retries: int = 1,
        backoff_seconds: float = 0.1,
        fail_max: int = 5,
        reset_timeout: float = 30,
    ) -> None:
        self.service = service
        self.url_setting = url_setting
        self.retry = Retry(
            total=retries,
            connect=retries,
            read=0,
            status=retries,
            other=0,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_seconds,
            raise_on_status=False,
            respect_retry_after_header=False,
        )
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=fail_max, reset_timeout=reset_timeout, name=service, listeners=[BreakerLog()]
        )
        # requests does not promise that one Session is safe to share between threads.
        self.local = threading.local()
        SERVICE_CLIENTS.add(self)
        breaker_state_set(target=service, state="closed")

    @property
    def state(self) -> str:
        """The breaker as the next call meets it: `closed`, `open` while it refuses calls, or
        `half-open` once the next call may probe (pybreaker still says open until that call)."""
        state = self.breaker.current_state
        # pybreaker keeps when it opened only in its state storage.
        opened_at = self.breaker._state_storage.opened_at
        reopens_at = opened_at and opened_at + timedelta(seconds=self.breaker.reset_timeout)
        if state == "open" and reopens_at and datetime.now(UTC) >= reopens_at:
            return "half-open"
        return state

    @property
    def session(self) -> requests.Session:
        session = getattr(self.local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(max_retries=self.retry)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self.local.session = session
        return session

    def request(
        self, method: str, path: str, *, timeout: float | tuple[float, float], **kwargs: Any
    ) -> requests.Response:
        """The answer of `service` to `method path`; raises ServiceUnavailable when there is none.

        `timeout` is `(connect, read)` seconds, or one number for both, per attempt."""
        try:
            return self.breaker.call(self.send, method, path, timeout=timeout, **kwargs)
        except pybreaker.CircuitBreakerError:
            raise ServiceUnavailable(self.service, "its circuit breaker is open") from None

    def send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = getattr(settings, self.url_setting).rstrip("/") + path
        kwargs["headers"] = {**correlation_headers(), **kwargs.get("headers", {})}
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.RequestException as error:
            raise ServiceUnavailable(self.service, type(error).__name__) from error
        if response.status_code >= 500:
            raise ServiceUnavailable(self.service, f"it answered {response.status_code}")
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)
