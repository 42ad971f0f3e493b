"""Notifications admin: operators look recipients up here."""

from django.contrib import admin

from apps.notifications.models import Recipient
from common.auth.operators import ScopedModelAdmin


@admin.register(Recipient)
class RecipientAdmin(ScopedModelAdmin):
    """Read-only: the directory is a copy of identity's users."""

    read_scope = "notifications.notification.read_any"
    list_display = ("email", "full_name", "user_id", "updated_at")
    search_fields = ("email", "full_name", "user_id")
