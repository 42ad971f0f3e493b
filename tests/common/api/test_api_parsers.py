"""The JSON request parser: malformed, too deep or unstorable bodies are 400s, other types 415."""

import json

import pytest
from django.urls import path
from rest_framework.response import Response

from common.api.parsers import MAXIMUM_DEPTH
from common.api.views import ServiceApi
from common.auth.permissions import PUBLIC

PROBLEM = "application/problem+json"


class EchoApi(ServiceApi):
    """Answers the body it read, as no serializer checks it: what the parser lets through."""

    required_scopes = {"post": PUBLIC}

    def post(self, request):
        return Response({"read": request.data})


urlpatterns = [path("echo/", EchoApi.as_view())]

pytestmark = pytest.mark.urls(__name__)


def post_json(api_client, text: str):
    return api_client.post("/echo/", text, content_type="application/json")


def nested(depth: int) -> str:
    """A JSON object whose `lines` holds lists: `depth` levels of nesting in all."""
    return '{"lines": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


def test_malformed_json_is_a_400_parse_error(api_client):
    response = post_json(api_client, '{"lines": [1, 2')

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "urn:mercato:problem:parse_error"


def test_a_body_of_another_content_type_is_a_415(api_client):
    response = api_client.post(
        "/echo/", "lines=1", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "urn:mercato:problem:unsupported_media_type"


@pytest.mark.parametrize(
    "depth",
    [
        pytest.param(MAXIMUM_DEPTH + 1, id="one level past the limit"),
        pytest.param(1_000, id="a thousand levels"),
        pytest.param(100_000, id="past Python's recursion limit"),
    ],
)
def test_json_nested_too_deep_is_a_400_parse_error(api_client, depth):
    response = post_json(api_client, nested(depth))

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert (
        response.json()["detail"] == f"The JSON body is nested deeper than {MAXIMUM_DEPTH} levels."
    )


def test_json_as_deep_as_the_limit_is_read(api_client):
    response = post_json(api_client, nested(MAXIMUM_DEPTH))

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"category": "cof\x00fee"}, "category", id="a value"),
        pytest.param({"category": {"id": "\x00"}}, "category.id", id="a nested value"),
        pytest.param({"lines": [{"note": "ok"}, {"note": "a\x00"}]}, "lines.1.note", id="a line"),
        pytest.param({"na\x00me": "tea"}, "na\x00me", id="a key"),
        pytest.param(["\x00"], "0", id="a list body"),
        pytest.param("\x00", "non_field_errors", id="a string body"),
    ],
)
def test_a_nul_character_anywhere_is_a_400_naming_its_field(api_client, body, field):
    response = post_json(api_client, json.dumps(body))

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {field: ["Null characters are not allowed."]}


def test_an_unpaired_surrogate_is_a_400_naming_its_field(api_client):
    response = post_json(api_client, '{"name": "tea", "category": "\\ud83c"}')

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {
        "category": ["Surrogate characters are not allowed: U+D83C."]
    }


def test_unicode_outside_the_basic_plane_is_read_unchanged(api_client):
    text = "Sencha 🍵 — 煎茶 " * 700

    response = post_json(api_client, json.dumps({"name": text}))

    assert response.status_code == 200, response.content
    assert response.json() == {"read": {"name": text}}
