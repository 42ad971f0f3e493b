"""An audit entry: one operator action on one record, with the record before and after it."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AuditEntry(models.Model):
    """Written in the transaction of the change it describes, so there is one exactly when the
    change committed. `refusal` holds why the service refused the action; the record may still
    have changed then (a failed dead-letter replay counts its attempt)."""

    actor_id = models.CharField(max_length=200, help_text="The operator's identity user id.")
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, help_text="<service>.<resource>.<verb>")
    target_type = models.CharField(max_length=100, help_text="<app label>.<model>")
    target_id = models.CharField(max_length=200)
    target_label = models.CharField(max_length=200, blank=True)
    arguments = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    refusal = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=128, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "audit entries"
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_entry_target")]

    def __str__(self) -> str:
        actor = self.actor_email or self.actor_id
        return f"{self.action} {self.target_type} {self.target_id} by {actor}"
