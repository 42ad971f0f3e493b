"""How identity's records look to REST clients, and what its endpoints accept."""

from rest_framework import serializers

from apps.accounts.models import Role, User


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
