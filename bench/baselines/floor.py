"""`floor`: Django with no apps and no middleware answering the very JSON Mercato answered, held
in memory; settings and URLconf in one module. BENCH_FLOOR_PAGES names a JSON file of
{"products": page, "product": detail, "etag": detail's ETag, "orders": page}."""

import json
import os
from pathlib import Path

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.urls import path

SECRET_KEY = "bench-floor-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
ROOT_URLCONF = __name__
USE_TZ = True

PAGES = json.loads(Path(os.environ["BENCH_FLOOR_PAGES"]).read_text())


def products(request: HttpRequest) -> HttpResponse:
    return JsonResponse(PAGES["products"])


def product(request: HttpRequest, product_id: str) -> HttpResponse:
    etag = PAGES["etag"]
    if etag and request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = JsonResponse(PAGES["product"])
    if etag:
        response["ETag"] = etag
    return response


def orders(request: HttpRequest) -> HttpResponse:
    return JsonResponse(PAGES["orders"])


urlpatterns = [
    path("products/", products),
    path("products/<str:product_id>/", product),
    path("orders/", orders),
]
