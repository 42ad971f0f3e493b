"""Orders endpoints: place (with an Idempotency-Key), read, cancel, refund and export orders."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, renderers, serializers, status
from rest_framework.response import Response

from apps.orders import services
from apps.orders.api.filters import OrderFilter
from apps.orders.api.serializers import (
    OrderDetailOutput,
    OrderExportOutput,
    OrderOutput,
    order_detail_output,
    order_list_output,
)
from apps.orders.models import IdempotencyKey, Order, OrderStatus
from apps.orders.scopes import (
    ORDER_CANCEL,
    ORDER_CANCEL_ANY,
    ORDER_CREATE,
    ORDER_EXPORT,
    ORDER_READ,
    ORDER_READ_ANY,
    ORDER_REFUND,
)
from apps.orders.selectors import (
    order_export_file,
    order_export_get,
    order_get,
    order_list,
    order_rows_with_lines,
)
from common.api.idempotency import idempotent
from common.api.schema import IDEMPOTENCY_KEY
from common.api.views import ServiceApi, validated
from common.auth.permissions import AUTHENTICATED
from common.auth.users import caller

DUPLICATE_PRODUCTS = "Each product may appear on one line only."
DEFAULT_CANCEL_REASON = "cancelled on request"


def order_response(request, order_id, *, any_scope: str = ORDER_READ_ANY) -> Response:
    """The order as the caller may see it now, with its lines and history."""
    order = order_get(viewer=caller(request), order_id=order_id, any_scope=any_scope)
    return Response(order_detail_output(order))


class LineInput(serializers.Serializer):
    product_id = serializers.UUIDField()
    quantity = serializers.IntegerField(min_value=1, max_value=1000)


class OrderListApi(generics.ListAPIView):
    """The caller's orders (everyone's with `orders.order.read_any`); POST places one."""

    required_scopes = {"get": (ORDER_READ, ORDER_READ_ANY), "post": ORDER_CREATE}
    serializer_class = OrderOutput
    filterset_class = OrderFilter

    class InputSerializer(serializers.Serializer):
        lines = serializers.ListField(child=LineInput(), allow_empty=False, max_length=100)
        payment_method = serializers.CharField(max_length=64)

        def validate_lines(self, lines: list[dict]) -> list[dict]:
            product_ids = [line["product_id"] for line in lines]
            if len(set(product_ids)) != len(product_ids):
                raise serializers.ValidationError(DUPLICATE_PRODUCTS)
            return lines

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model
            return Order.objects.none()
        return order_list(viewer=caller(self.request))

    def list(self, request, *args, **kwargs):
        """The page as `serializer_class` (the schema's) renders it, from rows, not instances."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        orders = order_rows_with_lines(orders=page or [])
        return self.get_paginated_response([order_list_output(order) for order in orders])

    @extend_schema(
        request=InputSerializer,
        responses={201: OrderDetailOutput},
        parameters=[IDEMPOTENCY_KEY],
    )
    def post(self, request):
        """Places an order for the caller: its prices are read from catalog and frozen on its
        lines, and it moves on by itself (stock reserved, payment taken) to CONFIRMED or
        CANCELLED. A retry with the same Idempotency-Key and body gets the first answer again."""
        return idempotent(request, model=IdempotencyKey, action=lambda: self.place(request))

    def place(self, request) -> Response:
        data = validated(self.InputSerializer, request)
        order = services.order_place(customer_id=request.user.id, **data)
        return Response(order_detail_output(order), status=status.HTTP_201_CREATED)


class OrderDetailApi(ServiceApi):
    """One order with its lines and status history: the caller's own, or anyone's with
    `orders.order.read_any`."""

    required_scopes = {"get": (ORDER_READ, ORDER_READ_ANY)}

    @extend_schema(responses=OrderDetailOutput)
    def get(self, request, order_id):
        return order_response(request, order_id)


class OrderCancelApi(ServiceApi):
    """A customer cancels an own unpaid order; support (`orders.order.cancel_any`) anyone's."""

    required_scopes = {"post": (ORDER_CANCEL, ORDER_CANCEL_ANY)}
    conflicts = ("post",)  # the order is past the point where it can be cancelled

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=200, default=DEFAULT_CANCEL_REASON)

    @extend_schema(request=InputSerializer, responses=OrderDetailOutput)
    def post(self, request, order_id):
        data = self.parse(self.InputSerializer, request)
        order = order_get(viewer=caller(request), order_id=order_id, any_scope=ORDER_CANCEL_ANY)
        services.order_cancel(order_id=order.id, actor=request.user.id, **data)
        return order_response(request, order.id, any_scope=ORDER_CANCEL_ANY)


class OrderRefundApi(ServiceApi):
    """Refunds a CONFIRMED order: it is REFUND_PENDING until payments has refunded it, then
    REFUNDED, its stock returned."""

    required_scopes = {"post": ORDER_REFUND}
    conflicts = ("post",)  # only a CONFIRMED order is refunded

    @extend_schema(request=None, responses=OrderDetailOutput)
    def post(self, request, order_id):
        order = order_get(viewer=caller(request), order_id=order_id, any_scope=ORDER_REFUND)
        services.order_refund(order_id=order.id, actor=request.user.id)
        return order_response(request, order.id, any_scope=ORDER_REFUND)


class OrderExportListApi(ServiceApi):
    """Starts a CSV export of the orders matching the filters; a worker writes it, and its status
    and download are at `exports/{export_id}/`."""

    required_scopes = {"post": ORDER_EXPORT}

    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
        created_after = serializers.DateTimeField(required=False)
        created_before = serializers.DateTimeField(required=False)

    @extend_schema(request=InputSerializer, responses={202: OrderExportOutput})
    def post(self, request):
        filters = self.parse(self.InputSerializer, request)
        export = services.order_export_request(requested_by=request.user.id, filters=filters)
        return Response(OrderExportOutput(export).data, status=status.HTTP_202_ACCEPTED)


class OrderExportDetailApi(ServiceApi):
    """An export the caller requested: its status, and once SUCCEEDED, its download."""

    required_scopes = {"get": AUTHENTICATED}

    @extend_schema(responses=OrderExportOutput)
    def get(self, request, export_id):
        export = order_export_get(viewer=caller(request), export_id=export_id)
        return Response(OrderExportOutput(export).data)


class CsvRenderer(renderers.BaseRenderer):
    """Lets a client ask for `text/csv`; only error bodies pass through it, as JSON text."""

    media_type = "text/csv"
    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data)


class OrderExportDownloadApi(ServiceApi):
    """The CSV of a SUCCEEDED export the caller requested."""

    required_scopes = {"get": AUTHENTICATED}
    conflicts = ("get",)  # the export has not succeeded
    renderer_classes = (renderers.JSONRenderer, CsvRenderer)

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The orders as CSV.")
        }
    )
    def get(self, request, export_id):
        export = order_export_file(viewer=caller(request), export_id=export_id)
        response = HttpResponse(export.content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="orders-{export.id}.csv"'
        return response
