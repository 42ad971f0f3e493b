"""Orders, their lines and status history; prices are copied from the catalog at placement."""

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models

from common.idempotency import IdempotencyRecord
from common.jobs import Job


class OrderStatus(models.TextChoices):
    PENDING = "PENDING"
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"
    REFUND_PENDING = "REFUND_PENDING"
    REFUNDED = "REFUNDED"


# The checkout saga (docs/architecture.md): every change of status must be one of these.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED}),
    OrderStatus.AWAITING_PAYMENT: frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset({OrderStatus.REFUND_PENDING}),
    OrderStatus.REFUND_PENDING: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}
# Before payment the customer may still walk away, and the saga deadline applies.
UNPAID_STATUSES = (OrderStatus.PENDING, OrderStatus.AWAITING_PAYMENT)


class TransitionNotAllowed(Exception):
    """The order's current status does not lead to the one asked for."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"an order in {current} cannot become {target}")
        self.current = current
        self.target = target


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer_id = models.UUIDField(db_index=True)
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    payment_method = models.CharField(max_length=64)
    cancel_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["customer_id", "-created_at"]),
            # The admin's list, newest first, and the dashboard's orders per hour.
            models.Index(fields=["-created_at"], name="orders_order_created"),
            # The saga deadline sweep reads only unpaid orders, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status__in=UNPAID_STATUSES),
                name="orders_order_unpaid",
            ),
        ]

    def __str__(self) -> str:
        return f"Order {self.id} ({self.status})"

    def can_transition_to(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[self.status]

    def transition(self, status: str, *, reason: str, actor: str) -> "OrderStatusChange":
        """The one way an order changes status: guarded, saved, and written to its history.

        Callers hold the row with `select_for_update`, so concurrent events see each other."""
        if not self.can_transition_to(status):
            raise TransitionNotAllowed(self.status, status)
        change = OrderStatusChange.objects.create(
            order=self, from_status=self.status, to_status=status, reason=reason, actor=actor
        )
        self.status = status
        if status == OrderStatus.CANCELLED:
            self.cancel_reason = reason
        self.save(update_fields=["status", "cancel_reason", "updated_at"])
        return change


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product_id = models.UUIDField()
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "product_id"], name="orders_line_product_once"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="orders_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class OrderStatusChange(models.Model):
    """One step of an order's history; `from_status` is empty for its placement."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    reason = models.CharField(max_length=200, blank=True)
    # A user id, "service:<name>" for another service's event, or "system" for the deadline.
    actor = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("at", "id")
        indexes = [
            # The dashboard's cancellations by reason read only the recent ones.
            models.Index(
                fields=["at"],
                condition=models.Q(to_status=OrderStatus.CANCELLED),
                name="orders_cancelled_at",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class IdempotencyKey(IdempotencyRecord):
    """A placed order's answer, replayed to a client retrying with the same key."""


class OrderExport(Job):
    """A CSV export of orders; the file lives in the row, so web and worker share no disk."""

    filters = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    content = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Export {self.id} ({self.status})"
