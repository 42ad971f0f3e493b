"""factory-boy factories for payments' models."""

import uuid
from decimal import Decimal

import factory

from apps.payments.models import Payment


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    order_id = factory.LazyFunction(uuid.uuid4)
    customer_id = factory.LazyFunction(uuid.uuid4)
    amount = Decimal("12.50")
    currency = "EUR"
    payment_method = "pm_card_ok"
