"""Payment reads: customers see their own payments, support and finance see every one; finance
retries a stalled one."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from apps.payments.api.filters import PaymentFilter
from apps.payments.api.serializers import PaymentOutput
from apps.payments.models import Payment
from apps.payments.scopes import PAYMENT_READ, PAYMENT_READ_ANY, PAYMENT_RETRY
from apps.payments.selectors import payment_list
from apps.payments.services import payment_retry
from common.api.views import ServiceApi
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
    """The caller's payments (everyone's with `payments.payment.read_any`), newest first."""

    filterset_class = PaymentFilter


class PaymentDetailApi(PaymentReadApi, generics.RetrieveAPIView):
    """One payment with its provider attempts and refunds: the caller's own, or anyone's with
    `payments.payment.read_any` (another customer's is a 404, like a missing one)."""

    filter_backends = ()


class PaymentRetryApi(ServiceApi):
    """Queues again, now, the charge of a payment still pending or the refund orders asked for
    and the provider has not made (declined or lost); the payments admin's retry does the same.
    409 for a payment with nothing left to do."""

    required_scopes = {"post": PAYMENT_RETRY}
    conflicts = ("post",)  # the payment is settled: nothing to charge or refund

    @extend_schema(request=None, responses=PaymentOutput)
    def post(self, request, payment_id):
        payment = generics.get_object_or_404(payment_list(viewer=caller(request)), id=payment_id)
        return Response(PaymentOutput(payment_retry(payment_id=payment.id)).data)
