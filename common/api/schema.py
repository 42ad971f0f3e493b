"""OpenAPI generation: what drf-spectacular cannot infer about our endpoints."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import Direction
from rest_framework.serializers import Serializer


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


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "common.auth.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: SpectacularAutoSchema) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
