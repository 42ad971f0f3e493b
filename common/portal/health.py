"""The platform as the portal shows it: each service's readiness, asked over HTTP all at once."""

from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass

import requests
from django.conf import settings
from django.core.cache import cache

from common.observability.correlation import correlation_headers

# What a service's /healthz/ready says (common/health/views.py), and DOWN when it says nothing in
# time: refused, or too slow.
UP_STATUSES = ("OK", "DEGRADED")
DOWN = "DOWN"
CACHE_KEY = "portal:health"
MEANINGS = {
    "OK": "ready",
    "DEGRADED": "ready; a service it calls is failing",
    "UNAVAILABLE": "not ready: its database, cache or broker does not answer",
    DOWN: "no answer",
}


@dataclass(frozen=True)
class ServiceHealth:
    name: str
    status: str

    @property
    def up(self) -> bool:
        return self.status in UP_STATUSES

    @property
    def meaning(self) -> str:
        return MEANINGS[self.status]

    @property
    def admin(self) -> str:
        return f"/{self.name}/admin/"

    @property
    def docs(self) -> str:
        return f"/{self.name}/api/docs/"


def readiness(*, url: str, timeout: float, headers: dict[str, str]) -> str:
    """The status `url`'s readiness probe answers; only the word: its detail (the errors of its
    checks) is for the service's own port, not for the public page."""
    try:
        response = requests.get(
            f"{url.rstrip('/')}/healthz/ready", timeout=timeout, headers=headers
        )
        status = response.json()["status"]
    except (requests.RequestException, ValueError, KeyError, TypeError):
        return DOWN
    return str(status) if status in (*UP_STATUSES, "UNAVAILABLE") else DOWN


def ask_every_service() -> list[ServiceHealth]:
    """Every service in PORTAL_SERVICE_URLS at once; one still silent at the timeout is DOWN."""
    urls: dict[str, str] = settings.PORTAL_SERVICE_URLS
    timeout = settings.PORTAL_HEALTH_TIMEOUT_SECONDS
    # Not a context manager: leaving it would wait for a hung service, which is what we avoid.
    executor = ThreadPoolExecutor(max_workers=len(urls), thread_name_prefix="portal")
    # Read here: the pool's threads do not see this request's context.
    headers = correlation_headers()
    futures = {
        name: executor.submit(readiness, url=url, timeout=timeout, headers=headers)
        for name, url in urls.items()
    }
    wait(futures.values(), timeout=timeout)
    executor.shutdown(wait=False, cancel_futures=True)
    return [
        ServiceHealth(name=name, status=future.result() if future.done() else DOWN)
        for name, future in futures.items()
    ]


def platform_health() -> list[ServiceHealth]:
    """What ask_every_service found at most PORTAL_HEALTH_MAX_AGE_SECONDS ago (asked afresh when
    the cache's Redis is down, as the cache fails open)."""
    max_age = settings.PORTAL_HEALTH_MAX_AGE_SECONDS
    kept = cache.get(CACHE_KEY) if max_age else None
    if kept is not None:
        return [ServiceHealth(**service) for service in kept]
    services = ask_every_service()
    if max_age:
        cache.set(CACHE_KEY, [asdict(service) for service in services], timeout=max_age)
    return services
