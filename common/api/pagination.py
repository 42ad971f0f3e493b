"""Default pagination: numbered pages whose bad `page` is a 400 naming the parameter."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet
from rest_framework import exceptions, pagination
from rest_framework.request import Request

if TYPE_CHECKING:
    # At run time this import would be circular: DRF's views load this module by its settings.
    from rest_framework.views import APIView

RowModel = TypeVar("RowModel", bound=Model)
Row = TypeVar("Row")


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(
        self,
        queryset: QuerySet[RowModel, Row] | Sequence[Row],
        request: Request,
        view: "APIView | None" = None,
    ) -> list[Row] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as error:
            raise exceptions.ValidationError({self.page_query_param: [str(error.detail)]}) from None
