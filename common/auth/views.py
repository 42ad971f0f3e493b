"""`/<service>/api/v1/whoami/` on every service: the caller as this service understood its token."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from common.api.views import ServiceApi
from common.auth.permissions import AUTHENTICATED


class CallerOutput(serializers.Serializer):
    id = serializers.CharField()
    email = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    scopes = serializers.ListField(child=serializers.CharField())


class WhoAmIApi(ServiceApi):
    """Lets a client or an operator check which roles and scopes a token carries here."""

    required_scopes = {"get": AUTHENTICATED}

    @extend_schema(responses=CallerOutput)
    def get(self, request):
        user = request.user
        caller = {
            "id": user.id,
            "email": user.email,
            "roles": sorted(user.roles),
            "scopes": sorted(user.scopes),
        }
        return Response(CallerOutput(caller).data)
