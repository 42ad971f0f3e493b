"""`/healthz/live`: the process can serve; `/healthz/ready`: its dependencies answer too."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from common.clients.http import SERVICE_CLIENTS
from common.health.checks import run_checks


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "OK", "service": settings.SERVICE_NAME})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """503 UNAVAILABLE when a dependency of the service's own (database, cache, broker) fails.
    Another service this process calls is reported by its circuit breaker under `dependencies`;
    an open one makes the service DEGRADED, still 200: what does not need it keeps serving, and
    taking this service out of rotation would not bring the other back."""
    outcome = run_checks(deadline_seconds=settings.DEPENDENCY_TIMEOUT_SECONDS)
    healthy = all(check["ok"] for check in outcome["checks"].values())
    dependencies = {client.service: client.state for client in SERVICE_CLIENTS}
    if not healthy:
        status = "UNAVAILABLE"
    elif "open" in dependencies.values():
        status = "DEGRADED"
    else:
        status = "OK"
    body = {"status": status, "service": settings.SERVICE_NAME, "dependencies": dependencies}
    return JsonResponse({**body, **outcome}, status=200 if healthy else 503)
