"""How identity's records look to REST clients, and what its endpoints accept."""

from datetime import timedelta

from rest_framework import serializers
from rest_framework_simplejwt.settings import api_settings

from apps.accounts.models import Role, User, validate_timezone
from apps.accounts.passwords import MAXIMUM_PASSWORD_LENGTH

# Client secrets are generated, not typed: room for any length a deployment picks, and still
# bounded before the secret is hashed.
MAXIMUM_SECRET_LENGTH = 1024
MAXIMUM_EMAIL_LENGTH = User._meta.get_field("email").max_length


def password_field(*, max_length: int = MAXIMUM_PASSWORD_LENGTH) -> serializers.CharField:
    """A password (or a client secret) as the API accepts it: refused past `max_length` before
    anything hashes it."""
    return serializers.CharField(write_only=True, max_length=max_length)


def email_field() -> serializers.EmailField:
    return serializers.EmailField(max_length=MAXIMUM_EMAIL_LENGTH)


def timezone_field() -> serializers.CharField:
    """An IANA time zone name (`Europe/Paris`), the one the admins show times in."""
    return serializers.CharField(
        max_length=User._meta.get_field("timezone").max_length, validators=[validate_timezone]
    )


class RoleOutput(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ("name", "description", "permissions")


class UserOutput(serializers.ModelSerializer):
    roles: serializers.SlugRelatedField[Role] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )

    class Meta:
        model = User
        fields = ("id", "email", "full_name", "is_active", "date_joined", "timezone", "roles")


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class OAuth2TokenOutput(serializers.Serializer):
    """A token pair as OAuth 2.0 names its members (RFC 6749, 5.1)."""

    access_token = serializers.CharField()
    token_type = serializers.ChoiceField(choices=["Bearer"])
    expires_in = serializers.IntegerField(help_text="Seconds the access token is valid for.")
    refresh_token = serializers.CharField()


def oauth2_token(pair: dict[str, str]) -> dict[str, str | int]:
    """`pair` (services.token_pair_obtain's) as OAuth2TokenOutput says."""
    lifetime: timedelta = api_settings.ACCESS_TOKEN_LIFETIME
    return {
        "access_token": pair["access"],
        "token_type": "Bearer",
        "expires_in": int(lifetime.total_seconds()),
        "refresh_token": pair["refresh"],
    }


class AccessTokenOutput(serializers.Serializer):
    access = serializers.CharField()


class RefreshInput(serializers.Serializer):
    refresh = serializers.CharField()
