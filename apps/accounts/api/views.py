"""identity's endpoints: registration, tokens, users, roles and the public keys."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from apps.accounts import services
from apps.accounts.api.serializers import (
    MAXIMUM_SECRET_LENGTH,
    AccessTokenOutput,
    RefreshInput,
    RoleOutput,
    TokenPairOutput,
    UserOutput,
    email_field,
    password_field,
)
from apps.accounts.keys import jwks
from apps.accounts.models import Role
from apps.accounts.scopes import ROLE_READ, USER_READ, USER_WRITE
from apps.accounts.selectors import role_list, user_list
from common.api.views import ServiceApi
from common.auth.permissions import AUTHENTICATED, PUBLIC

SIGN_IN_THROTTLE = "sign_in"


class SignInApi(ServiceApi):
    """An endpoint that takes credentials: anyone may call it, each client at the sign-in rate."""

    required_scopes = {"post": PUBLIC}
    throttle_scope = SIGN_IN_THROTTLE


class RegisterApi(SignInApi):
    class InputSerializer(serializers.Serializer):
        email = email_field()
        password = password_field()
        full_name = serializers.CharField(max_length=200, required=False, default="")

    @extend_schema(request=InputSerializer, responses={201: UserOutput})
    def post(self, request):
        user = services.user_register(**self.parse(self.InputSerializer, request))
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class TokenObtainApi(SignInApi):
    """A person's email and password for an access token and a refresh token; Django's backends
    check the password, so a locked account is refused."""

    class InputSerializer(serializers.Serializer):
        email = email_field()
        password = password_field()

    @extend_schema(request=InputSerializer, responses=TokenPairOutput)
    def post(self, request):
        data = self.parse(self.InputSerializer, request)
        return Response(services.token_pair_obtain(request=request._request, **data))


class TokenRefreshApi(SignInApi):
    @extend_schema(request=RefreshInput, responses=TokenPairOutput)
    def post(self, request):
        return Response(services.token_refresh(**self.parse(RefreshInput, request)))


class TokenRevokeApi(ServiceApi):
    required_scopes = {"post": PUBLIC}

    @extend_schema(request=RefreshInput, responses={204: None})
    def post(self, request):
        services.token_revoke(**self.parse(RefreshInput, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ServiceTokenApi(SignInApi):
    """A service account's name and secret for an access token with its roles, never refreshed."""

    class InputSerializer(serializers.Serializer):
        client_id = serializers.SlugField()
        client_secret = password_field(max_length=MAXIMUM_SECRET_LENGTH)

    @extend_schema(request=InputSerializer, responses=AccessTokenOutput)
    def post(self, request):
        return Response(services.service_token_obtain(**self.parse(self.InputSerializer, request)))


class MeApi(ServiceApi):
    required_scopes = {"get": AUTHENTICATED, "patch": AUTHENTICATED}

    class InputSerializer(serializers.Serializer):
        full_name = serializers.CharField(max_length=200)

    @extend_schema(responses=UserOutput)
    def get(self, request):
        return Response(UserOutput(signed_in_user(request)).data)

    @extend_schema(request=InputSerializer, responses=UserOutput)
    def patch(self, request):
        data = self.parse(self.InputSerializer, request, partial=True)
        user = services.user_update(user=signed_in_user(request), **data)
        return Response(UserOutput(user).data)


def signed_in_user(request):
    """The caller's own row; a service token names no person, so it finds none (404)."""
    if request.user.is_service:
        raise Http404
    return generics.get_object_or_404(user_list(), id=request.user.id)


class MyPasswordApi(ServiceApi):
    required_scopes = {"post": AUTHENTICATED}

    class InputSerializer(serializers.Serializer):
        current_password = password_field()
        new_password = password_field()

    @extend_schema(request=InputSerializer, responses={204: None})
    def post(self, request):
        data = self.parse(self.InputSerializer, request)
        services.user_password_change(user=signed_in_user(request), **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserListApi(generics.ListAPIView):
    required_scopes = {"get": USER_READ}
    serializer_class = UserOutput
    filterset_fields = ("email", "is_active")

    def get_queryset(self):
        return user_list()


class UserDetailApi(ServiceApi):
    required_scopes = {"get": USER_READ, "patch": USER_WRITE}

    class InputSerializer(serializers.Serializer):
        full_name = serializers.CharField(max_length=200)
        is_active = serializers.BooleanField()
        roles = serializers.SlugRelatedField(
            slug_field="name", many=True, queryset=Role.objects.all()
        )

    @extend_schema(responses=UserOutput)
    def get(self, request, user_id):
        return Response(UserOutput(self.user(user_id)).data)

    @extend_schema(request=InputSerializer, responses=UserOutput)
    def patch(self, request, user_id):
        data = self.parse(self.InputSerializer, request, partial=True)
        return Response(UserOutput(services.user_update(user=self.user(user_id), **data)).data)

    def user(self, user_id):
        return generics.get_object_or_404(user_list(), id=user_id)


class RoleListApi(generics.ListAPIView):
    required_scopes = {"get": ROLE_READ}
    serializer_class = RoleOutput
    filter_backends = ()

    def get_queryset(self):
        return role_list()


@cache_control(public=True, max_age=60)
def jwks_view(request):
    """Every key that may still verify a live token; clients cache it and refetch on a new kid."""
    return JsonResponse(jwks())
