"""Orders admin: operators look orders, their history and export jobs up here; support cancels
and finance refunds through the same services as the API."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.orders.models import Order, OrderExport, OrderLine, OrderStatusChange
from apps.orders.scopes import ORDER_CANCEL_ANY, ORDER_EXPORT, ORDER_READ_ANY, ORDER_REFUND
from apps.orders.services import order_cancel, order_refund
from common.audit.actions import Actor, confirmed_action
from common.auth.operators import ScopedModelAdmin, ScopedTabularInline
from common.job_admin import JobAdmin, JobDownload
from common.jobs import JobStatus
from common.operator_admin.columns import (
    EVERYTHING_OF_ORDER,
    PeopleColumns,
    links_column,
    person_column,
)

# What an audit entry keeps of an order before and after an action.
ORDER_AUDITED = ("status", "cancel_reason")


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=200, help_text="Recorded in the order's history and told to the customer."
    )


class OrderLineInline(ScopedTabularInline):
    read_scope = ORDER_READ_ANY
    model = OrderLine
    extra = 0
    readonly_fields = ("unit_price",)


class OrderStatusChangeInline(ScopedTabularInline):
    read_scope = ORDER_READ_ANY
    model = OrderStatusChange
    extra = 0
    fields = ("from_status", "to_status", "reason", "by", "at")
    readonly_fields = fields
    by = person_column("actor", description="by")


@admin.register(Order)
class OrderAdmin(PeopleColumns, ScopedModelAdmin):
    """Changed only by the checkout saga and by the actions below, never by hand."""

    read_scope = ORDER_READ_ANY
    list_display = ("id", "customer", "status", "total", "currency", "created_at", "elsewhere")
    list_filter = ("status",)
    search_fields = ("=id", "=customer_id")
    exclude = ("customer_id",)
    readonly_fields = ("status", "total", "currency", "cancel_reason", "customer", "elsewhere")
    # Counting every order for the page's "of N" is a scan of the table; the pages do not need it.
    show_full_result_count = False
    customer = person_column("customer_id", description="customer")
    elsewhere = links_column("id", *EVERYTHING_OF_ORDER, description="elsewhere")
    inlines = (OrderLineInline, OrderStatusChangeInline)
    actions = ("cancel", "refund")

    @confirmed_action(
        action="orders.order.cancel",
        description="Cancel the selected orders",
        scope=ORDER_CANCEL_ANY,
        fields=ORDER_AUDITED,
        done="cancelled",
        form=CancelForm,
    )
    def cancel(self, order: Order, actor: Actor, *, reason: str) -> None:
        order_cancel(order_id=order.id, reason=reason, actor=actor.id)

    @confirmed_action(
        action="orders.order.refund",
        description="Refund the selected orders",
        scope=ORDER_REFUND,
        fields=ORDER_AUDITED,
        done="refund requested from payments",
    )
    def refund(self, order: Order, actor: Actor) -> None:
        order_refund(order_id=order.id, actor=actor.id)


@admin.register(OrderExport)
class OrderExportAdmin(PeopleColumns, JobAdmin[OrderExport]):
    read_scope = ORDER_EXPORT
    list_display = (
        "id",
        "requester",
        "status",
        "progress",
        "row_count",
        "created_at",
        "finished_at",
        "download",
    )
    requester = person_column("requested_by", description="requested by")
    list_filter = ("status",)
    exclude = ("content",)
    readonly_fields = ("progress", "download")

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderExport]:
        # The CSV is read only when it is downloaded, not for every row of a page.
        return OrderExport.objects.defer("content")

    def has_download(self, job: OrderExport) -> bool:
        return job.status == JobStatus.SUCCEEDED

    def job_download(self, job: OrderExport) -> JobDownload | None:
        if not self.has_download(job):
            return None
        return JobDownload(f"orders-{job.id}.csv", job.content)
