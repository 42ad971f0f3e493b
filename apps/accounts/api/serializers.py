"""How identity's records look to REST clients, and what its endpoints accept."""

from rest_framework import serializers

from apps.accounts.models import Role, User
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
        fields = ("id", "email", "full_name", "is_active", "date_joined", "roles")


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class AccessTokenOutput(serializers.Serializer):
    access = serializers.CharField()


class RefreshInput(serializers.Serializer):
    refresh = serializers.CharField()
