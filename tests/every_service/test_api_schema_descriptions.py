"""Runs once per service's settings: every operation of the served schema says in its own words
what it does, never in a base class's docstring, and then who may call it."""

import inspect
import re
import uuid

import pytest
from django.conf import settings
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from common.auth.permissions import AUTHENTICATED, PUBLIC
from common.testing.routes import api_views


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def base_docstrings() -> set[str]:
    """The docstring of every class an API view of this service inherits from (ServiceApi,
    ListCreateApi, DRF's generics, an app's own bases): none of them speaks to API clients."""
    return {
        inspect.cleandoc(base.__doc__)
        for view_class in api_views(service=settings.SERVICE_NAME).values()
        for base in view_class.__mro__[1:]
        if base.__doc__
    }


def operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_every_operation_describes_itself_and_then_who_may_call_it(schema):
    inherited = base_docstrings()
    problems = []
    for method, path, operation in operations(schema):
        *own, access = operation.get("description", "").split("\n\n")
        described = "\n\n".join(own).strip()
        if not described:
            problems.append(f"{method} {path}: no description")
        if any(docstring in described for docstring in inherited):
            problems.append(f"{method} {path}: a base class's docstring: {described!r}")
        if not access.startswith(("Required scope: ", "Public: ")):
            problems.append(f"{method} {path}: names no scope: {access!r}")

    assert problems == []


def test_the_scope_named_is_the_one_the_view_requires(schema):
    for method, path, operation in operations(schema):
        view_class = resolve(re.sub(r"\{\w+\}", str(uuid.uuid4()), path)).func.view_class
        scope = view_class().required_scopes[method]
        access = operation["description"].rsplit("\n\n", 1)[-1]
        if scope is PUBLIC:
            assert access.startswith("Public: "), f"{method} {path}"
        elif scope == AUTHENTICATED:
            assert access == "Required scope: none; any valid access token.", f"{method} {path}"
        else:
            scopes = scope if isinstance(scope, tuple) else (scope,)
            assert access.startswith("Required scope: "), f"{method} {path}"
            assert all(f"`{one}`" in access for one in scopes), f"{method} {path}"
