"""The user directory: who to notify, kept from identity's user events."""

from django.db import models


class Recipient(models.Model):
    user_id = models.UUIDField(primary_key=True)
    email = models.EmailField()
    full_name = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("email",)

    def __str__(self) -> str:
        return self.email
