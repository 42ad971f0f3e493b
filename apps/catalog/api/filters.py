"""Query parameters of the product list; a bad value is a 400 naming the parameter."""

import django_filters
from django.db.models import Q, QuerySet

from apps.catalog.models import Category, Product


class StableOrderingFilter(django_filters.OrderingFilter):
    """The fields asked for, then the id, so that pages neither repeat nor skip products of equal
    price; asked for none (`?ordering=,` too), the model's own order stays."""

    def filter(self, qs, value):
        fields = [self.get_ordering_value(param) for param in value or () if param]
        return qs.order_by(*fields, "id") if fields else qs


class ProductFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        field_name="category", to_field_name="slug", queryset=Category.objects.all()
    )
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte")
    search = django_filters.CharFilter(method="filter_search", max_length=100)
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("price", "price"), ("created_at", "created_at"))
    )

    class Meta:
        model = Product
        fields = ("category", "min_price", "max_price", "search")

    def filter_search(self, queryset: QuerySet[Product], name: str, value: str):
        return queryset.filter(
            Q(name__icontains=value) | Q(description__icontains=value) | Q(sku__iexact=value)
        )
