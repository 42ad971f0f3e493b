"""Payment reads."""

from django.db.models import QuerySet

from apps.payments.models import Payment
from apps.payments.scopes import PAYMENT_READ_ANY
from common.auth.permissions import owned_or_any
from common.auth.users import TokenUser


def payment_list(*, viewer: TokenUser) -> QuerySet[Payment]:
    """Every payment for a holder of `read_any`, otherwise the viewer's own."""
    return owned_or_any(Payment.objects.all(), viewer=viewer, any_scope=PAYMENT_READ_ANY)
