"""OpenAPI generation: what drf-spectacular cannot infer about our endpoints, and every error."""

import inspect
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import Direction, OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.serializers import Serializer
from rest_framework.settings import api_settings

from common.api.errors import PROBLEM_CONTENT_TYPE, Problem
from common.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from common.api.idempotency import KEY_INVALID
from common.auth.permissions import AUTHENTICATED, PUBLIC

RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": "Seconds to wait before trying again.",
    }
}
# What each error means; an operation lists those it can give (see AutoSchema.problems).
PROBLEMS = {
    400: "The request is malformed or has invalid fields; `errors` names each one.",
    401: "No valid access token: none where one is needed, or a malformed, expired or forged one.",
    403: "The token does not grant the scope this operation needs.",
    404: "No such resource, or one the caller may not see.",
    409: "The resource's current state refuses this request.",
    413: "The request body is larger than the service accepts.",
    415: "The request body's Content-Type is not one this operation reads.",
    422: "This Idempotency-Key was already used with a different request body.",
    429: "Too many requests from this client, or a locked account.",
    503: "The service's database, or a service it calls, is unavailable.",
}
PROBLEM_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "description": "The scheme to authenticate with: Bearer.",
        }
    },
    429: RETRY_AFTER,
    503: RETRY_AFTER,
}


# What common.api.idempotency accepts: printable ASCII, not only spaces (the first character is
# not one here; a space after it is allowed).
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=True,
    pattern=r"^[!-~][ -~]{0,254}$",
    description=f"{KEY_INVALID} A retry with the same key and body gets the first answer again.",
)


class ProblemSerializer(serializers.Serializer[Problem]):
    """An RFC 9457 problem, as common.api.errors renders every error; some carry more members
    (e.g. `order_status`), which clients may read."""

    type = serializers.CharField(
        help_text="`urn:mercato:problem:<code>`: what went wrong, stable for clients to branch on."
    )
    title = serializers.CharField(help_text="The status's reason phrase.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, for people.")
    request_id = serializers.CharField(
        allow_null=True, help_text="The request's X-Request-ID, to quote when reporting it."
    )
    # DRF's metaclass takes declared fields off the class, so this does not replace the
    # serializer's `errors` property; the stubs cannot know that.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by field: a dotted path into the body (`lines.0.quantity`), a query "
        "parameter or a header; `non_field_errors` for the body as a whole.",
    )


def problem_response(description: str) -> OpenApiResponse:
    """A view's own error answer, for a case the rules in AutoSchema.problems cannot see; the view
    declares it under `(status, PROBLEM_CONTENT_TYPE)`."""
    return OpenApiResponse(ProblemSerializer, description=description)


class AutoSchema(SpectacularAutoSchema):
    def get_serializer_name(self, serializer: Serializer[Any], direction: Direction) -> str:
        """Nested `InputSerializer`s (one per endpoint) get their endpoint's name, e.g.
        `RegisterApiInput`, instead of all colliding as `Input`."""
        name = super().get_serializer_name(serializer, direction)
        outer = type(serializer).__qualname__.rpartition(".")[0]
        return outer + name

    def get_request_serializer(self) -> Any:
        """A view's `input_serializer` (see common.api.views) describes what its writes accept."""
        return getattr(self.view, "input_serializer", None) or super().get_request_serializer()

    def required_scope(self) -> str | tuple[str, ...] | None:
        """What ScopePermission asks of this operation; a method it does not name is refused to
        every token, which "" stands for."""
        scopes: dict[str, str | tuple[str, ...] | None] = getattr(self.view, "required_scopes", {})
        return scopes.get(self.method.lower(), "")

    def get_description(self) -> str:  # type: ignore[override]
        """The view's own words for this operation: the handler's docstring where the view itself
        defines the handler, else the view class's docstring; never one inherited, which is
        drf-spectacular's default and let ServiceApi's note to developers stand as fifteen
        operations' description. get_operation adds who may call it."""
        view_class = type(self.view)
        handler = view_class.__dict__.get(self.method.lower())
        own = getattr(handler, "__doc__", None) or view_class.__dict__.get("__doc__")
        return inspect.cleandoc(own) if own else ""

    def access(self) -> str:
        """Who may call this operation, as ScopePermission decides it."""
        scope = self.required_scope()
        if scope is PUBLIC:
            return "Public: no token needed (one sent is still checked)."
        if scope == AUTHENTICATED:
            return "Required scope: none; any valid access token."
        if isinstance(scope, tuple):
            return "Required scope: one of " + ", ".join(f"`{one}`" for one in scope) + "."
        if scope:
            return f"Required scope: `{scope}`."
        return "Refused to every token: the view grants this method to no scope."

    def get_auth(self) -> list[dict[str, list[Any]]]:
        """A public operation also takes no token (`{}`); a token sent to it is still checked."""
        auths: list[dict[str, list[Any]]] = super().get_auth()
        if self.required_scope() is PUBLIC and {} not in auths:
            auths.append({})
        return auths

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        # After the description, whichever wrote it (the view's docstrings or extend_schema).
        described = operation.get("description", "").strip()
        operation["description"] = f"{described}\n\n{self.access()}".strip()
        responses = operation["responses"]
        for status in self.problems(operation):
            # What a view declares itself (e.g. a more telling description) stays.
            responses.setdefault(str(status), self.problem(status))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def problems(self, operation: dict[str, Any]) -> list[int]:
        """The errors this operation can answer, read from what it takes and how it is guarded;
        a view names in `conflicts` the methods that may meet a state refusing them (409)."""
        # `?format=` picks a renderer; an unknown one is a 404, not a 400.
        parameters = [
            parameter
            for parameter in operation.get("parameters", [])
            if parameter["name"] != api_settings.URL_FORMAT_OVERRIDE
        ]
        locations = {parameter["in"] for parameter in parameters}
        headers = {parameter["name"] for parameter in parameters if parameter["in"] == "header"}
        has_body = "requestBody" in operation
        scope = self.required_scope()
        rules = {
            400: has_body or bool(locations & {"query", "header"}),
            # A token is checked wherever one is sent, so even public operations refuse a bad one.
            401: bool(self.view.get_authenticators()),
            403: scope not in (PUBLIC, AUTHENTICATED),
            404: "path" in locations,
            409: self.method.lower() in getattr(self.view, "conflicts", ()),
            413: has_body,
            415: has_body,
            422: IDEMPOTENCY_HEADER in headers,
            429: bool(self.view.get_throttles()),
            # Every operation reads the service's database but whoami outside identity (whose
            # token checks read its signing keys); declared there too rather than special-cased.
            503: True,
        }
        return [status for status, applies in rules.items() if applies]

    def problem(self, status: int) -> dict[str, Any]:
        response: dict[str, Any] = self._get_response_for_code(  # type: ignore[no-untyped-call]
            problem_response(PROBLEMS[status]), str(status), media_types=[PROBLEM_CONTENT_TYPE]
        )
        if status in PROBLEM_HEADERS:
            response["headers"] = PROBLEM_HEADERS[status]
        return response


# identity's OAuth2 password grant (apps/accounts/api/urls.py), as the gateway routes it: every
# service's Swagger UI is behind the same gateway, so "Authorize" signs in there.
OAUTH2_TOKEN_URL = "/identity/api/v1/auth/oauth2/token/"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """One token, two ways to give it: pasted (bearerAuth), or got by signing in with an e-mail
    and password through the OAuth2 password flow (oauth2). Either one will do."""

    target_class = "common.auth.authentication.BearerTokenAuthentication"
    name = ["bearerAuth", "oauth2"]

    def get_security_requirement(
        self, auto_schema: SpectacularAutoSchema
    ) -> list[dict[str, list[Any]]]:
        return [{"bearerAuth": []}, {"oauth2": []}]

    def get_security_definition(self, auto_schema: SpectacularAutoSchema) -> list[dict[str, Any]]:
        return [
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "An access token from identity, pasted.",
            },
            {
                "type": "oauth2",
                # No scopes to pick: a token carries those of the person's roles.
                "description": "Sign in with your e-mail (as the username) and password; the "
                "client id and secret are not used. The token carries your roles' scopes and "
                "expires within minutes: authorize again then.",
                "flows": {"password": {"tokenUrl": OAUTH2_TOKEN_URL, "scopes": {}}},
            },
        ]
