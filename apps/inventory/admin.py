"""Inventory admin: operators see and adjust stock here, and follow reservations."""

from django import forms
from django.contrib import admin, messages

from apps.inventory.models import Reservation, ReservationLine, Stock, StockAdjustment
from apps.inventory.scopes import STOCK_READ, STOCK_WRITE
from apps.inventory.services import STOCK_MAXIMUM, stock_adjust
from common.audit.actions import Actor, actor_of, audited, confirmed_action
from common.auth.operators import ScopedModelAdmin, ScopedTabularInline
from common.operator_admin.columns import (
    NOTIFICATIONS_OF_ORDER,
    ORDER,
    PAYMENTS_OF_ORDER,
    WEBHOOK_DELIVERIES_OF_ORDER,
    PeopleColumns,
    id_link_column,
    links_column,
    person_column,
)

ADMIN_ADJUSTMENT_REASON = "Changed in the admin"


class StockForm(forms.ModelForm):
    class Meta:
        model = Stock
        fields = ("on_hand",)

    def clean_on_hand(self) -> int:
        on_hand = self.cleaned_data["on_hand"]
        if on_hand < self.instance.reserved:
            raise forms.ValidationError(
                f"{self.instance.reserved} units are reserved; on hand cannot be less."
            )
        return on_hand


class AdjustForm(forms.Form):
    delta = forms.IntegerField(
        min_value=-STOCK_MAXIMUM,
        max_value=STOCK_MAXIMUM,
        help_text="Units received (positive) or written off (negative).",
    )
    reason = forms.CharField(max_length=200, help_text="Kept with the adjustment.")

    def clean_delta(self) -> int:
        delta: int = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError("A change of zero units changes nothing.")
        return delta


@admin.register(Stock)
class StockAdmin(ScopedModelAdmin):
    read_scope = STOCK_READ
    write_scope = STOCK_WRITE
    form = StockForm
    list_display = ("product", "on_hand", "reserved", "available", "updated_at")
    list_select_related = ("product",)
    show_full_result_count = False
    search_fields = ("product__name", "product__sku")
    readonly_fields = ("product", "reserved")
    actions = ("adjust",)

    @confirmed_action(
        action="catalog.stock.adjust",
        description="Adjust the stock of the selected products",
        scope=STOCK_WRITE,
        fields=("on_hand", "reserved"),
        done="adjusted",
        form=AdjustForm,
    )
    def adjust(self, stock: Stock, actor: Actor, *, delta: int, reason: str) -> None:
        stock_adjust(product=stock.product, delta=delta, reason=reason, actor=actor.id)

    # Stock rows come with their products and go with them; reservations point at them.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Applied as an adjustment by the difference from the row as it is now, locked, so
        reservations made while the form was open are kept; audited as the actions are."""
        if "on_hand" not in form.changed_data:
            return
        refusal = audited(
            StockAdmin.on_hand_set,
            self,
            obj,
            action="catalog.stock.edit",
            fields=("on_hand", "reserved"),
            actor=actor_of(request),
            request_id=getattr(request, "request_id", ""),
            arguments={"on_hand": obj.on_hand},
        )
        if refusal:
            self.message_user(request, refusal, messages.ERROR)

    def on_hand_set(self, stock: Stock, actor: Actor, *, on_hand: int) -> None:
        # Someone else may have set the same figure since the form was opened.
        if on_hand == stock.on_hand:
            return
        stock_adjust(
            product=stock.product,
            delta=on_hand - stock.on_hand,
            reason=ADMIN_ADJUSTMENT_REASON,
            actor=actor.id,
        )


class ReservationLineInline(ScopedTabularInline):
    model = ReservationLine
    read_scope = STOCK_READ
    fields = ("product", "quantity")
    readonly_fields = fields
    extra = 0


@admin.register(Reservation)
class ReservationAdmin(ScopedModelAdmin):
    """Reservations change only through order events and expiry, never by hand."""

    read_scope = STOCK_READ
    list_display = ("order", "status", "expires_at", "release_reason", "created_at")
    list_filter = ("status",)
    search_fields = ("=order_id",)
    readonly_fields = (*list_display, "updated_at", "elsewhere")
    exclude = ("order_id",)
    order = id_link_column("order_id", ORDER, description="order")
    elsewhere = links_column(
        "order_id",
        ORDER,
        PAYMENTS_OF_ORDER,
        NOTIFICATIONS_OF_ORDER,
        WEBHOOK_DELIVERIES_OF_ORDER,
        description="its order",
    )
    inlines = (ReservationLineInline,)


@admin.register(StockAdjustment)
class StockAdjustmentAdmin(PeopleColumns, ScopedModelAdmin):
    read_scope = STOCK_READ
    list_display = ("product", "delta", "on_hand_after", "reason", "by", "created_at")
    list_select_related = ("product",)
    search_fields = ("product__sku", "product__name", "actor")
    readonly_fields = list_display
    exclude = ("actor",)
    by = person_column("actor", description="by")
