"""The viewsets and serializers, the URLconf, and the router sending orders' tables to orders'
database."""

from rest_framework import permissions, routers, serializers, viewsets
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication

from bench.baselines.naive.models import Category, Order, OrderLine, Product


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ("id", "name", "slug", "description")


class ProductSerializer(serializers.ModelSerializer):
    category = CategorySerializer()

    class Meta:
        model = Product
        fields = (
            "id",
            "sku",
            "name",
            "slug",
            "description",
            "price",
            "currency",
            "category",
            "created_at",
            "updated_at",
        )


class ProductViewSet(viewsets.ModelViewSet):
    queryset = Product.objects.filter(is_active=True)
    serializer_class = ProductSerializer


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ("product_id", "sku", "name", "unit_price", "quantity")


class OrderSerializer(serializers.ModelSerializer):
    lines = OrderLineSerializer(many=True)

    class Meta:
        model = Order
        fields = (
            "id",
            "customer_id",
            "status",
            "currency",
            "total",
            "payment_method",
            "cancel_reason",
            "lines",
            "created_at",
            "updated_at",
        )


class OrderViewSet(viewsets.ModelViewSet):
    """The caller's orders: identity's users live in identity's database, so the token's user is
    taken as it is (simplejwt's stateless user) instead of looked up."""

    serializer_class = OrderSerializer
    authentication_classes = [JWTStatelessUserAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Order.objects.filter(customer_id=self.request.user.id)


class OrdersDatabaseRouter:
    def db_for_read(self, model, **hints):
        return "orders" if model._meta.db_table.startswith("orders_") else None

    db_for_write = db_for_read


router = routers.DefaultRouter()
router.register("products", ProductViewSet)
router.register("orders", OrderViewSet, basename="order")
urlpatterns = router.urls
