"""`/<service>/api/v1/whoami/` on every service: the caller as this service understood its token."""

from typing import TypedDict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.views import ServiceApi
from common.auth.permissions import AUTHENTICATED
from common.auth.users import caller


class Caller(TypedDict):
    id: str
    email: str
    roles: list[str]
    scopes: list[str]


class CallerOutput(serializers.Serializer[Caller]):
    id = serializers.CharField()
    email = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    scopes = serializers.ListField(child=serializers.CharField())


class WhoAmIApi(ServiceApi):
    """Lets a client or an operator check which roles and scopes a token carries here."""

    required_scopes = {"get": AUTHENTICATED}

    @extend_schema(responses=CallerOutput)
    def get(self, request: Request) -> Response:
        user = caller(request)
        described: Caller = {
            "id": user.id,
            "email": user.email,
            "roles": sorted(user.roles),
            "scopes": sorted(user.scopes),
        }
        return Response(CallerOutput(described).data)
