"""Default pagination: numbered pages whose bad `page` is a 400 naming the parameter."""

from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as error:
            raise exceptions.ValidationError({self.page_query_param: [str(error.detail)]}) from None
