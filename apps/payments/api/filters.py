"""Query parameters of the payment list; a bad value is a 400 naming the parameter."""

import django_filters

from apps.payments.models import Payment, PaymentStatus


class PaymentFilter(django_filters.FilterSet):
    order_id = django_filters.UUIDFilter()
    status = django_filters.ChoiceFilter(choices=PaymentStatus.choices)

    class Meta:
        model = Payment
        fields = ("order_id", "status")
