"""Admin columns and read-only fields that name people by e-mail and link records across services.

A column is a function set on a ModelAdmin (`customer = person_column("customer_id", ...)`) and
named in `list_display` or `readonly_fields` like any admin method.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from common.operator_admin.people.selectors import emails_of

# Where a list page leaves the e-mails it read for its rows, so each row's column finds them.
PEOPLE_ATTRIBUTE = "_operator_admin_people"
EMPTY = "-"

Column = Callable[[Any, Model], str]


def person_column(field: str, *, description: str) -> Column:
    """`field`'s user id shown as that person's e-mail; an id the service has not heard of, or an
    actor that is no person ("system"), is shown as it is."""

    def column(model_admin: Any, obj: Model) -> str:
        user_id = getattr(obj, field)
        if user_id in (None, ""):
            return EMPTY
        # A list page read the whole page's e-mails at once; a change form reads its one record's.
        known = getattr(obj, PEOPLE_ATTRIBUTE, None)
        if known is None:
            known = emails_of([user_id])
        return known.get(str(user_id), str(user_id))

    column.person_field = field  # type: ignore[attr-defined]
    return admin.display(description=description, ordering=field)(column)


class PeopleChangeList(ChangeList):
    """Reads the e-mails of everyone its page shows in one query, whatever the page's size."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        fields = person_fields(self.model_admin, self.list_display)
        if not fields:
            return
        known = emails_of(getattr(row, field) for row in self.result_list for field in fields)
        for row in self.result_list:
            setattr(row, PEOPLE_ATTRIBUTE, known)


def person_fields(model_admin: Any, list_display: Sequence[Any]) -> list[str]:
    columns = (
        getattr(model_admin, item, None) if isinstance(item, str) else item for item in list_display
    )
    return [field for column in columns if (field := getattr(column, "person_field", None))]


class PeopleColumns:
    """A ModelAdmin mixin: its list pages read the people their `person_column`s show per page."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return PeopleChangeList


@dataclass(frozen=True)
class AdminLink:
    """Records of another service's admin that match an id: its list page, filtered by `lookup`.
    Gateway paths, so the link works from any service's admin."""

    label: str
    service: str
    model: str  # "<app_label>.<model_name>"
    lookup: str

    def path(self, value: object) -> str:
        app_label, model_name = self.model.split(".")
        query = urlencode({self.lookup: str(value)})
        return f"/{self.service}/admin/{app_label}/{model_name}/?{query}"


ORDER = AdminLink("order", "orders", "orders.order", "id")
PAYMENTS_OF_ORDER = AdminLink("payments", "payments", "payments.payment", "order_id")
NOTIFICATIONS_OF_ORDER = AdminLink(
    "notifications", "notifications", "notifications.notification", "order_id"
)
WEBHOOK_DELIVERIES_OF_ORDER = AdminLink(
    "webhook deliveries",
    "notifications",
    "notifications.webhookdelivery",
    "payload__data__order_id",
)
RESERVATIONS_OF_ORDER = AdminLink(
    "stock reservation", "catalog", "inventory.reservation", "order_id"
)
EVERYTHING_OF_ORDER = (
    PAYMENTS_OF_ORDER,
    NOTIFICATIONS_OF_ORDER,
    WEBHOOK_DELIVERIES_OF_ORDER,
    RESERVATIONS_OF_ORDER,
)


def links_column(field: str, *links: AdminLink, description: str) -> Column:
    """Links from a record to the records of other admins that share `field`'s id."""

    def column(model_admin: Any, obj: Model) -> SafeString | str:
        value = value_at(obj, field)
        if value in (None, ""):
            return EMPTY
        return format_html_join(
            " · ", '<a href="{}">{}</a>', ((link.path(value), link.label) for link in links)
        )

    return admin.display(description=description)(column)


def id_link_column(field: str, link: AdminLink, *, description: str) -> Column:
    """`field`'s id itself, linked to the other admin's records that match it."""

    def column(model_admin: Any, obj: Model) -> SafeString | str:
        value = value_at(obj, field)
        if value in (None, ""):
            return EMPTY
        return format_html('<a href="{}">{}</a>', link.path(value), value)

    return admin.display(description=description)(column)


def value_at(obj: Model, path: str) -> object:
    """The value at `path`: a field, or `field__key__key` inside a JSON field (a payload)."""
    field, *keys = path.split("__")
    value = getattr(obj, field)
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value
