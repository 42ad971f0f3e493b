"""Notifications admin: operators look recipients up here."""

from django.contrib import admin

from apps.notifications.models import Recipient


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ("email", "full_name", "user_id", "updated_at")
    search_fields = ("email", "full_name", "user_id")
