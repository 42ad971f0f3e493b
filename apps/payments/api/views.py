"""Payment reads: customers see their own payments, support and finance see every one."""

from rest_framework import generics

from apps.payments.api.filters import PaymentFilter
from apps.payments.api.serializers import PaymentOutput
from apps.payments.models import Payment
from apps.payments.scopes import PAYMENT_READ, PAYMENT_READ_ANY
from apps.payments.selectors import payment_list
from common.auth.users import caller


class PaymentReadApi(generics.GenericAPIView):
    """Either scope lets a caller in; which one it holds decides what it sees (the selector)."""

    required_scopes = {"get": (PAYMENT_READ, PAYMENT_READ_ANY)}
    serializer_class = PaymentOutput
    lookup_url_kwarg = "payment_id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular, with no caller
            return Payment.objects.none()
        return payment_list(viewer=caller(self.request))


class PaymentListApi(PaymentReadApi, generics.ListAPIView):
    filterset_class = PaymentFilter


class PaymentDetailApi(PaymentReadApi, generics.RetrieveAPIView):
    """Another customer's payment is a 404, like a missing one."""

    filter_backends = ()
