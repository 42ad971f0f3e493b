"""The base of every endpoint: a scope map for access and one way to read validated input."""

from typing import Any, Generic, TypeVar

from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.auth.permissions import PUBLIC

# Input serializers are never bound to an instance, so their instance type is left open.
InputSerializer = serializers.Serializer[Any]
RecordModel = TypeVar("RecordModel", bound=Model)


def validated(
    serializer_class: type[InputSerializer], request: Request, **kwargs: Any
) -> dict[str, Any]:
    """The request body validated by `serializer_class`; invalid input raises a 400."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    data: dict[str, Any] = serializer.validated_data
    return data


class ServiceApi(APIView):
    """Subclasses declare `required_scopes` (see common.auth.permissions.ScopePermission), and in
    `conflicts` the methods that may meet a state refusing them, a 409 (see common.api.schema)."""

    required_scopes: dict[str, str | tuple[str, ...] | None] = {}
    conflicts: tuple[str, ...] = ()

    def parse(
        self, serializer_class: type[InputSerializer], request: Request, **kwargs: Any
    ) -> dict[str, Any]:
        return validated(serializer_class, request, **kwargs)


class ListCreateApi(generics.ListCreateAPIView[RecordModel], Generic[RecordModel]):
    """A list: read with `read_scope`; added to (POST) with `write_scope`. Subclasses set
    `input_serializer` and the `add` hook, which calls the app's service; the new record is
    rendered with `serializer_class` and 201."""

    read_scope: str | None = PUBLIC
    write_scope: str
    input_serializer: type[InputSerializer]
    conflicts: tuple[str, ...] = ()

    @property
    def required_scopes(self) -> dict[str, str | None]:
        return {"get": self.read_scope, "post": self.write_scope}

    def add(self, data: dict[str, Any]) -> RecordModel:
        """Creates a record from the validated `data` and returns it."""
        raise NotImplementedError

    def post(self, request: Request, **kwargs: object) -> Response:
        record = self.add(validated(self.input_serializer, request))
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


class EditableDetailApi(generics.RetrieveAPIView[RecordModel], Generic[RecordModel]):
    """One record: read with `read_scope`; replaced (PUT), changed (PATCH) or removed (DELETE)
    with `write_scope`. Subclasses set `input_serializer` and the two hooks below, which call the
    app's services; the record is rendered with `serializer_class`."""

    read_scope: str | None = PUBLIC
    write_scope: str
    input_serializer: type[InputSerializer]
    conflicts: tuple[str, ...] = ()

    @property
    def required_scopes(self) -> dict[str, str | None]:
        write = self.write_scope
        return {"get": self.read_scope, "put": write, "patch": write, "delete": write}

    def save(self, instance: RecordModel, changes: dict[str, Any]) -> RecordModel:
        """Applies the validated `changes` to `instance` and returns it."""
        raise NotImplementedError

    def remove(self, instance: RecordModel) -> None:
        raise NotImplementedError

    def put(self, request: Request, **kwargs: object) -> Response:
        return self.change(request, partial=False)

    def patch(self, request: Request, **kwargs: object) -> Response:
        return self.change(request, partial=True)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, **kwargs: object) -> Response:
        self.remove(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def change(self, request: Request, *, partial: bool) -> Response:
        changes = validated(self.input_serializer, request, partial=partial)
        return Response(self.get_serializer(self.save(self.get_object(), changes)).data)
