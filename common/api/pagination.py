"""Default pagination: numbered pages whose bad `page` is a 400 naming the parameter, counted by
the page's own query."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Model, QuerySet, Window
from rest_framework import exceptions, pagination
from rest_framework.request import Request

if TYPE_CHECKING:
    # At run time this import would be circular: DRF's views load this module by its settings.
    from rest_framework.views import APIView

    BasePaginator = Paginator[Any]
else:
    # Django's Paginator takes no type argument at run time.
    BasePaginator = Paginator

RowModel = TypeVar("RowModel", bound=Model)
Row = TypeVar("Row")
# The annotation each row of a page carries: how many rows the whole list has.
TOTAL = "pagination_total"
# PostgreSQL's OFFSET and LIMIT are bigints: a page beyond them is counted first, and refused.
LARGEST_OFFSET = 2**63 - 1


class CountingPaginator(BasePaginator):
    """Reads a page of a QuerySet (of instances or of `.values()` rows) and the list's count in
    one query (`COUNT(*) OVER ()`), instead of a `COUNT(*)` first and the page then. Only a page
    past the end costs the count's own query, to tell how many pages there are."""

    def page(self, number: Any) -> Page[Any]:
        if not isinstance(self.object_list, QuerySet) or self.orphans or "count" in self.__dict__:
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > LARGEST_OFFSET:
            return super().page(number)
        counted = self.object_list.annotate(**{TOTAL: Window(Count("*"))})
        rows = list(counted[bottom : bottom + self.per_page])
        if rows:
            first = rows[0]
            # A `.values()` queryset's rows are dicts, carrying the count as a key.
            self.__dict__["count"] = (
                first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
            )
        elif number == 1:
            self.__dict__["count"] = 0
        return Page(rows, self.validate_number(number), self)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CountingPaginator

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
