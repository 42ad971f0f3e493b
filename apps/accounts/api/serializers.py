"""How identity's records look to REST clients, and what its endpoints accept."""

from rest_framework import serializers

from apps.accounts.models import Role, User

# Checked before any hash is computed: hashers take a password of any length, so without a cap
# the sender chooses how much work each registration, sign-in or password change costs.
MAXIMUM_PASSWORD_LENGTH = 128
MAXIMUM_EMAIL_LENGTH = User._meta.get_field("email").max_length


def password_field() -> serializers.CharField:
    """A password or client secret as the API accepts it."""
    return serializers.CharField(write_only=True, max_length=MAXIMUM_PASSWORD_LENGTH)


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
