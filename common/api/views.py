"""The base of every endpoint: a scope map for access and one way to read validated input."""

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView


def validated(serializer_class: type[serializers.Serializer], request: Request, **kwargs) -> dict:
    """The request body validated by `serializer_class`; invalid input raises a 400."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ServiceApi(APIView):
    """Subclasses declare `required_scopes` (see common.auth.permissions.ScopePermission)."""

    required_scopes: dict[str, str | None] = {}

    def parse(self, serializer_class: type[serializers.Serializer], request: Request, **kwargs):
        return validated(serializer_class, request, **kwargs)
