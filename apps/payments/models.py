"""Payments taken for orders through a provider, and the sandbox provider's own ledger."""

import uuid

from django.db import models


class PaymentStatus(models.TextChoices):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    REFUNDED = "REFUNDED"


class Payment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order_id = models.UUIDField(unique=True)
    customer_id = models.UUIDField(db_index=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    payment_method = models.CharField(max_length=64)
    status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    provider = models.CharField(max_length=32, default="sandbox")
    provider_reference = models.CharField(max_length=128, blank=True)
    # Committed before each provider call, so it counts calls that raised too.
    attempts = models.PositiveIntegerField(default=0)
    failure_reason = models.CharField(max_length=64, blank=True)
    # Set when orders asks for the money back, even before the charge has settled.
    refund_requested_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    refund_reference = models.CharField(max_length=128, blank=True)
    refund_failure_reason = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["status", "updated_at"], name="payments_status_updated"),
            # The admin's list, newest first.
            models.Index(fields=["-created_at"], name="payments_created"),
            # The dashboard's refunds per day read only the recent refunds.
            models.Index(
                fields=["refunded_at"],
                condition=models.Q(refunded_at__isnull=False),
                name="payments_refunded_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Payment {self.id} ({self.status})"


class SandboxOperation(models.Model):
    """What the sandbox provider did, one row per idempotency key and kind, as a real provider
    remembers keys: a retried call gets the first answer back instead of charging twice."""

    class Kind(models.TextChoices):
        CHARGE = "charge"
        REFUND = "refund"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    idempotency_key = models.CharField(max_length=64)
    succeeded = models.BooleanField()
    reference = models.CharField(max_length=128, blank=True)
    decline_reason = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "idempotency_key"], name="payments_sandbox_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"sandbox {self.kind} {self.idempotency_key}"
