"""identity's endpoints: registration, tokens, users, roles and the public keys."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser
from rest_framework.response import Response

from apps.accounts import services
from apps.accounts.api.serializers import (
    MAXIMUM_SECRET_LENGTH,
    AccessTokenOutput,
    OAuth2TokenOutput,
    RefreshInput,
    RoleOutput,
    TokenPairOutput,
    UserOutput,
    email_field,
    oauth2_token,
    password_field,
    timezone_field,
)
from apps.accounts.keys import jwks
from apps.accounts.models import Role
from apps.accounts.scopes import ROLE_READ, USER_READ, USER_WRITE
from apps.accounts.selectors import role_list, user_list
from common.api.errors import PROBLEM_CONTENT_TYPE
from common.api.schema import problem_response
from common.api.views import ServiceApi
from common.auth.permissions import AUTHENTICATED, PUBLIC

SIGN_IN_THROTTLE = "sign_in"


class SignInApi(ServiceApi):
    """An endpoint that takes credentials: anyone may call it, each client at the sign-in rate."""

    required_scopes = {"post": PUBLIC}
    throttle_scope = SIGN_IN_THROTTLE


class RegisterApi(SignInApi):
    """Creates a customer account from an e-mail and a password; sign in afterwards for tokens."""

    class InputSerializer(serializers.Serializer):
        email = email_field()
        password = password_field()
        full_name = serializers.CharField(max_length=200, required=False, default="")

    @extend_schema(request=InputSerializer, responses={201: UserOutput})
    def post(self, request):
        user = services.user_register(**self.parse(self.InputSerializer, request))
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class TokenObtainApi(SignInApi):
    """Signs a person in: their e-mail and password for an access token and a refresh token,
    both carrying their roles' scopes. After ten failed sign-ins the account is locked for a while
    (429 with Retry-After)."""

    class InputSerializer(serializers.Serializer):
        email = email_field()
        password = password_field()

    @extend_schema(request=InputSerializer, responses=TokenPairOutput)
    def post(self, request):
        data = self.parse(self.InputSerializer, request)
        return Response(services.token_pair_obtain(request=request._request, **data))


class OAuth2TokenApi(SignInApi):
    """Signs a person in by OAuth 2.0's password grant (RFC 6749, 4.3), as Swagger UI's
    "Authorize" and other OAuth2 clients do: a form with `grant_type=password`, the e-mail as
    `username`, and `password`. The same sign-in as `auth/token/`, lockout included; the client
    id and secret and `scope` are not used (the token carries the person's roles' scopes)."""

    parser_classes = (FormParser,)

    class InputSerializer(serializers.Serializer):
        grant_type = serializers.ChoiceField(choices=["password"])
        username = email_field()
        password = password_field()

    @extend_schema(request=InputSerializer, responses=OAuth2TokenOutput)
    def post(self, request):
        data = self.parse(self.InputSerializer, request)
        pair = services.token_pair_obtain(
            request=request._request, email=data["username"], password=data["password"]
        )
        # RFC 6749, 5.1: a token answer is never stored by a cache.
        return Response(oauth2_token(pair), headers={"Cache-Control": "no-store"})


class TokenRefreshApi(SignInApi):
    """A new token pair for a refresh token, with the person's roles as they are now; the refresh
    token sent is spent, so a second use of it is refused."""

    @extend_schema(request=RefreshInput, responses=TokenPairOutput)
    def post(self, request):
        return Response(services.token_refresh(**self.parse(RefreshInput, request)))


class TokenRevokeApi(ServiceApi):
    """Signs out: the refresh token can no longer be used. Access tokens already issued live on
    until they expire (minutes)."""

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


NO_SIGNED_IN_USER = {
    (404, PROBLEM_CONTENT_TYPE): problem_response(
        "The token names no user here: it is a service's, or its account is gone."
    )
}


class MeApi(ServiceApi):
    required_scopes = {"get": AUTHENTICATED, "patch": AUTHENTICATED}

    class InputSerializer(serializers.Serializer):
        full_name = serializers.CharField(max_length=200)
        timezone = timezone_field()

    @extend_schema(responses={200: UserOutput, **NO_SIGNED_IN_USER})
    def get(self, request):
        """The caller's own account, with its roles."""
        return Response(UserOutput(signed_in_user(request)).data)

    @extend_schema(request=InputSerializer, responses={200: UserOutput, **NO_SIGNED_IN_USER})
    def patch(self, request):
        """Changes the caller's own full name."""
        data = self.parse(self.InputSerializer, request, partial=True)
        user = services.user_update(user=signed_in_user(request), **data)
        return Response(UserOutput(user).data)


def signed_in_user(request):
    """The caller's own row; a service token names no person, so it finds none (404)."""
    if request.user.is_service:
        raise Http404
    return generics.get_object_or_404(user_list(), id=request.user.id)


class MyPasswordApi(ServiceApi):
    """Changes the caller's password, given the current one."""

    required_scopes = {"post": AUTHENTICATED}

    class InputSerializer(serializers.Serializer):
        current_password = password_field()
        new_password = password_field()

    @extend_schema(request=InputSerializer, responses={204: None, **NO_SIGNED_IN_USER})
    def post(self, request):
        data = self.parse(self.InputSerializer, request)
        services.user_password_change(user=signed_in_user(request), **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserListApi(generics.ListAPIView):
    """Every account, filtered by `email` or `is_active`."""

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
        timezone = timezone_field()
        roles = serializers.SlugRelatedField(
            slug_field="name", many=True, queryset=Role.objects.all()
        )

    @extend_schema(responses=UserOutput)
    def get(self, request, user_id):
        """One account, with its roles."""
        return Response(UserOutput(self.user(user_id)).data)

    @extend_schema(request=InputSerializer, responses=UserOutput)
    def patch(self, request, user_id):
        """Changes an account's name, whether it is active, or its roles; the new roles are in
        the tokens it gets from its next sign-in or refresh."""
        data = self.parse(self.InputSerializer, request, partial=True)
        return Response(UserOutput(services.user_update(user=self.user(user_id), **data)).data)

    def user(self, user_id):
        return generics.get_object_or_404(user_list(), id=user_id)


class RoleListApi(generics.ListAPIView):
    """Every role, with the scopes it grants."""

    required_scopes = {"get": ROLE_READ}
    serializer_class = RoleOutput
    filter_backends = ()

    def get_queryset(self):
        return role_list()


@cache_control(public=True, max_age=60)
def jwks_view(request):
    """Every key that may still verify a live token; clients cache it and refetch on a new kid."""
    return JsonResponse(jwks())
