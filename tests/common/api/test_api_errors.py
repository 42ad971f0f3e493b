"""problem+json at the API edge: application, validation and unexpected errors in one shape."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404
from django.urls import path
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from common.api.errors import (
    DATABASE_UNAVAILABLE_DETAIL,
    RETRY_AFTER_SECONDS,
    SERVER_ERROR_DETAIL,
)
from common.api.views import ServiceApi
from common.auth.permissions import PUBLIC
from common.errors import ApplicationError

LEAKY_MESSAGE = "password=hunter2 at db.internal"


class PublicApi(ServiceApi):
    required_scopes = {"get": PUBLIC, "post": PUBLIC}


class LineInput(serializers.Serializer):
    product_id = serializers.UUIDField()
    quantity = serializers.IntegerField(min_value=1)


class OrderInput(serializers.Serializer):
    email = serializers.EmailField()
    lines = LineInput(many=True)


class OutOfStockApi(PublicApi):
    def get(self, request):
        raise ApplicationError(
            "Not enough stock for every line.",
            status=409,
            code="out_of_stock",
            errors={"lines.0.quantity": ["Only 2 left."]},
            extra={"available": 2},
        )


class PlainApplicationErrorApi(PublicApi):
    def get(self, request):
        raise ApplicationError("This cannot be done.")


class OrderInputApi(PublicApi):
    def post(self, request):
        serializer = OrderInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"ok": True})


class UploadApi(PublicApi):
    parser_classes = [MultiPartParser]

    def post(self, request):
        return Response({"fields": len(request.data)})


class CrashingApi(PublicApi):
    def get(self, request):
        raise RuntimeError(LEAKY_MESSAGE)


class DjangoNotFoundApi(PublicApi):
    def get(self, request):
        raise Http404(LEAKY_MESSAGE)


class DjangoPermissionDeniedApi(PublicApi):
    def get(self, request):
        raise PermissionDenied(LEAKY_MESSAGE)


HALF_WRITTEN = "written before the error"


class HalfWrittenApi(PublicApi):
    """Writes a row, then fails the way `failure` says."""

    failure: Exception | None = None

    def get(self, request):
        Group.objects.create(name=HALF_WRITTEN)
        raise self.failure


class DatabaseGoneApi(PublicApi):
    failure: Exception | None = None

    def get(self, request):
        raise self.failure


def database_gone_page(request):
    """A page outside DRF (as the admin's are) whose database is gone."""
    raise OperationalError(LEAKY_MESSAGE)


urlpatterns = [
    path(
        "database-gone/refused/", DatabaseGoneApi.as_view(failure=OperationalError(LEAKY_MESSAGE))
    ),
    path("database-gone/closed/", DatabaseGoneApi.as_view(failure=InterfaceError(LEAKY_MESSAGE))),
    path("database-gone/page/", database_gone_page),
    path(
        "half-written/application-error/",
        HalfWrittenApi.as_view(failure=ApplicationError("Conflict.", status=409)),
    ),
    path("half-written/crash/", HalfWrittenApi.as_view(failure=RuntimeError(LEAKY_MESSAGE))),
    path("out-of-stock/", OutOfStockApi.as_view()),
    path("plain/", PlainApplicationErrorApi.as_view()),
    path("orders/", OrderInputApi.as_view()),
    path("upload/", UploadApi.as_view()),
    path("crash/", CrashingApi.as_view()),
    path("django-404/", DjangoNotFoundApi.as_view()),
    path("django-403/", DjangoPermissionDeniedApi.as_view()),
]

pytestmark = pytest.mark.urls(__name__)


def test_an_application_error_renders_as_problem_json(api_client):
    response = api_client.get("/out-of-stock/", HTTP_X_REQUEST_ID="req-409")

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:mercato:problem:out_of_stock",
        "title": "Conflict",
        "status": 409,
        "detail": "Not enough stock for every line.",
        "request_id": "req-409",
        "errors": {"lines.0.quantity": ["Only 2 left."]},
        "available": 2,
    }


def test_an_application_error_defaults_to_a_400_without_field_errors(api_client):
    response = api_client.get("/plain/")

    body = response.json()
    assert response.status_code == 400
    assert body["type"] == "urn:mercato:problem:invalid"
    assert body["title"] == "Bad Request"
    assert body["detail"] == "This cannot be done."
    assert "errors" not in body


def test_nested_validation_errors_are_flattened_to_dotted_field_names(api_client):
    response = api_client.post(
        "/orders/",
        {
            "email": "not-an-email",
            "lines": [
                {"product_id": "8a1c9b52-2f0e-4d47-9d4e-4f1a5a0e8c11", "quantity": 1},
                {"product_id": "nope", "quantity": 0},
            ],
        },
        format="json",
    )

    body = response.json()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert body["type"] == "urn:mercato:problem:validation_error"
    assert body["detail"] == "The request has invalid fields."
    assert set(body["errors"]) == {"email", "lines.1.product_id", "lines.1.quantity"}
    assert all(isinstance(message, str) for message in body["errors"]["lines.1.quantity"])


def test_a_missing_required_list_is_named_by_its_field(api_client):
    response = api_client.post("/orders/", {"email": "cleo@mercato.local"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["lines"]


def test_an_unexpected_exception_is_a_500_problem_that_does_not_leak_its_message(api_client):
    response = api_client.get("/crash/", HTTP_X_REQUEST_ID="req-500")

    body = response.json()
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert body["type"] == "urn:mercato:problem:server_error"
    assert body["title"] == "Internal Server Error"
    assert body["detail"] == SERVER_ERROR_DETAIL
    assert body["request_id"] == "req-500"
    assert "hunter2" not in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/database-gone/refused/", "/database-gone/closed/", "/database-gone/page/"]
)
def test_a_database_outage_is_a_503_problem_saying_when_to_retry(api_client, url):
    response = api_client.get(url, HTTP_X_REQUEST_ID="req-503")

    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "type": "urn:mercato:problem:database_unavailable",
        "title": "Service Unavailable",
        "status": 503,
        "detail": DATABASE_UNAVAILABLE_DETAIL,
        "request_id": "req-503",
    }


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [("/django-404/", 404, "not_found"), ("/django-403/", 403, "permission_denied")],
)
def test_djangos_own_http_errors_become_problems_without_their_message(
    api_client, url, status, code
):
    response = api_client.get(url)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == f"urn:mercato:problem:{code}"
    assert "hunter2" not in response.content.decode()


def test_a_method_the_view_lacks_is_a_405_problem(api_client):
    response = api_client.delete("/plain/")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:mercato:problem:method_not_allowed"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/half-written/application-error/", "/half-written/crash/"])
def test_an_error_after_a_write_leaves_nothing_behind_in_an_atomic_request(api_client, path):
    connection.settings_dict["ATOMIC_REQUESTS"] = True
    try:
        response = api_client.get(path)
    finally:
        connection.settings_dict["ATOMIC_REQUESTS"] = False

    assert response.status_code in (409, 500)
    assert not Group.objects.filter(name=HALF_WRITTEN).exists()


def test_a_json_body_over_the_size_limit_is_a_413_problem(api_client, settings):
    twenty_megabytes = '{"email": "' + "x" * 20_000_000 + '"}'

    response = api_client.post("/orders/", twenty_megabytes, content_type="application/json")

    assert response.status_code == 413, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:mercato:problem:request_too_large"
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in response.json()["detail"]


def test_a_form_with_more_fields_than_django_reads_is_a_400_problem(api_client, settings):
    fields = {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = api_client.post("/upload/", fields, format="multipart")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:mercato:problem:parse_error"
