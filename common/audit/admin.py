"""The audit log in each service's admin: every operator of the service reads it, nobody writes."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from common.audit.display import json_display
from common.audit.models import AuditEntry
from common.auth.operators import ScopedModelAdmin
from common.auth.scopes import admin_access_scope


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedModelAdmin):
    """Read by whoever may use this admin: what was done here is no secret among its operators.
    Entries are written only by common.audit.services.record."""

    list_display = ("at", "action", "target_type", "target_label", "actor_email", "refusal")
    list_filter = ("action", "target_type", "actor_email", "at")
    date_hierarchy = "at"
    search_fields = ("=target_id", "=actor_id", "actor_email", "=request_id", "target_label")
    fields = (
        "at",
        "actor_id",
        "actor_email",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "request_id",
        "refusal",
        "arguments_shown",
        "before_shown",
        "after_shown",
    )
    readonly_fields = fields
    arguments_shown = json_display("arguments", description="arguments")
    before_shown = json_display("before", description="before")
    after_shown = json_display("after", description="after")

    def __init__(self, model: type[Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)
        self.read_scope = admin_access_scope(settings.SERVICE_NAME)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
