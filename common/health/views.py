"""`/healthz/live`: the process can serve; `/healthz/ready`: its dependencies answer too."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from common.health.checks import run_checks


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "OK", "service": settings.SERVICE_NAME})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    outcome = run_checks(deadline_seconds=settings.DEPENDENCY_TIMEOUT_SECONDS)
    healthy = all(check["ok"] for check in outcome["checks"].values())
    body = {"status": "OK" if healthy else "UNAVAILABLE", "service": settings.SERVICE_NAME}
    return JsonResponse({**body, **outcome}, status=200 if healthy else 503)
