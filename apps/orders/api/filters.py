"""The order list's filters."""

from django_filters import rest_framework as filters

from apps.orders.models import Order


class OrderFilter(filters.FilterSet):
    """The list's `status` filter as `filterset_fields` declared it, built once: from
    `filterset_fields` django-filter builds a FilterSet class on every request."""

    class Meta:
        model = Order
        fields = ("status",)
