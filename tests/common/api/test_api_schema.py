"""The OpenAPI schema declares every error an operation can answer, as one Problem component."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from common.api.errors import PROBLEM_CONTENT_TYPE, Problem
from common.api.idempotency import KEY_PATTERN
from common.api.schema import IDEMPOTENCY_KEY

PRODUCTS = "/catalog/api/v1/products/"
PRODUCT = "/catalog/api/v1/products/{product_id}/"
CATEGORY = "/catalog/api/v1/categories/{category_id}/"


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def statuses(schema: dict, path: str, method: str) -> set[str]:
    return set(schema["paths"][path][method]["responses"])


def test_the_problem_component_has_every_member_the_api_renders(schema):
    component = schema["components"]["schemas"]["Problem"]

    assert set(component["properties"]) == set(Problem.__annotations__)
    assert set(component["required"]) == Problem.__required_keys__
    assert component["properties"]["request_id"]["nullable"] is True


def test_every_error_is_problem_json_with_the_shared_component(schema):
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"] == {
                        PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    }


def test_a_public_read_declares_what_any_caller_can_meet(schema):
    assert statuses(schema, PRODUCT, "get") == {"200", "401", "404", "429", "503"}
    assert schema["paths"][PRODUCT]["get"]["security"] == [{"bearerAuth": []}, {"oauth2": []}, {}]


def test_a_list_declares_400_for_its_query_parameters(schema):
    assert statuses(schema, PRODUCTS, "get") == {"200", "400", "401", "429", "503"}


def test_a_scoped_write_with_a_body_declares_scope_body_and_conflict_errors(schema):
    assert statuses(schema, PRODUCT, "patch") == {
        "200",
        *("400", "401", "403", "404", "409", "413", "415", "429", "503"),
    }
    assert schema["paths"][PRODUCT]["patch"]["security"] == [{"bearerAuth": []}, {"oauth2": []}]


def test_only_the_methods_a_view_names_in_conflicts_declare_409(schema):
    assert "409" in statuses(schema, CATEGORY, "delete")
    assert "409" not in statuses(schema, PRODUCT, "delete")


def test_throttling_and_an_unavailable_dependency_say_when_to_retry(schema):
    responses = schema["paths"][PRODUCTS]["post"]["responses"]

    assert set(responses["429"]["headers"]) == {"Retry-After"}
    assert set(responses["503"]["headers"]) == {"Retry-After"}
    assert set(responses["401"]["headers"]) == {"WWW-Authenticate"}


@pytest.mark.parametrize(
    ("key", "accepted"),
    [
        ("a", True),
        ("retry 2", True),
        ("~" * 255, True),
        ("", False),
        ("   ", False),
        ("é", False),
        ("x" * 256, False),
    ],
)
def test_the_idempotency_key_pattern_accepts_what_the_server_accepts(key, accepted):
    pattern = re.compile(IDEMPOTENCY_KEY.pattern)

    assert bool(pattern.fullmatch(key)) is accepted
    assert bool(KEY_PATTERN.fullmatch(key) and key.strip()) is accepted
