"""Stock endpoints: anyone reads a product's stock; `catalog.stock.write` adjusts it."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from apps.inventory.api.serializers import StockOutput
from apps.inventory.scopes import STOCK_WRITE
from apps.inventory.selectors import product_stock_list, stock_of
from apps.inventory.services import stock_adjust
from common.api.views import ServiceApi
from common.auth.permissions import PUBLIC

# Far beyond any real delivery or write-off, and far from the column's limit.
MAXIMUM_DELTA = 1_000_000


class StockDetailApi(ServiceApi):
    """A product's units on hand, reserved by open orders, and available to order."""

    required_scopes = {"get": PUBLIC}

    @extend_schema(responses=StockOutput)
    def get(self, request, product_id):
        product = generics.get_object_or_404(product_stock_list(), id=product_id)
        return Response(StockOutput(stock_of(product)).data)


class StockAdjustApi(ServiceApi):
    """Receives deliveries (positive `delta`) and write-offs (negative); on hand never drops
    below what open orders hold (409 naming `delta`)."""

    required_scopes = {"post": STOCK_WRITE}
    conflicts = ("post",)  # on hand would drop below what is reserved, or pass the maximum

    class InputSerializer(serializers.Serializer):
        delta = serializers.IntegerField(min_value=-MAXIMUM_DELTA, max_value=MAXIMUM_DELTA)
        reason = serializers.CharField(max_length=200)

        def validate_delta(self, value: int) -> int:
            if value == 0:
                raise serializers.ValidationError("A change of zero units changes nothing.")
            return value

    @extend_schema(request=InputSerializer, responses=StockOutput)
    def post(self, request, product_id):
        data = self.parse(self.InputSerializer, request)
        # Archived products too, so their count can be right before they are brought back.
        products = product_stock_list(include_archived=True)
        product = generics.get_object_or_404(products, id=product_id)
        stock = stock_adjust(product=product, actor=request.user.id, **data)
        return Response(StockOutput(stock).data)
