"""Runs once per service's settings: a Celery worker or beat, which never answers a request,
starts without loading the API edge (DRF's views with every class REST_FRAMEWORK names, its
responses, the problem+json mapping, drf-spectacular's schema generation); a web process loads
them with its URL configuration. DRF's serializers are not among them: the catalog's worker
validates CSV rows with them."""

from common.testing.processes import printed_in_new_process

API_EDGE = [
    "common.api.errors",
    "common.api.views",
    "drf_spectacular.openapi",
    "rest_framework.authentication",
    "rest_framework.response",
    "rest_framework.views",
]

# What a worker and beat go through at start: Django, the Celery app, every app's tasks, the beat
# scheduler, a prefork child's start; then the URL configuration, as a web process loads it.
WORKER_START_THEN_URLS = """
import json, sys
import django
django.setup()
from celery.signals import worker_process_init
from celery.utils.imports import symbol_by_name
from services.{service}.celery import app
app.loader.import_default_modules()
symbol_by_name(app.conf.beat_scheduler)
worker_process_init.send(sender=None)
api_edge = {api_edge!r}
started = [name for name in api_edge if name in sys.modules]
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps({{"started": started, "web": [name for name in api_edge if name in sys.modules]}}))
"""


def test_a_worker_or_beat_starts_without_the_api_edge_a_web_process_loads(settings):
    service = settings.SERVICE_NAME
    outcome = printed_in_new_process(
        WORKER_START_THEN_URLS.format(service=service, api_edge=API_EDGE), service=service
    )

    assert outcome["started"] == []
    assert outcome["web"] == API_EDGE
