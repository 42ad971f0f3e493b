"""Admin actions that change records: offered to the operators whose scopes allow them,
confirmed on a page of their own, run through the service function the API uses, and audited.

    @confirmed_action(
        action="orders.order.cancel", scope=ORDER_CANCEL_ANY, fields=("status",),
        description="Cancel the selected orders", done="cancelled", form=CancelForm,
    )
    def cancel(self, order, actor, *, reason):
        order_cancel(order_id=order.id, reason=reason, actor=actor.id)
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse

from common.audit.services import record
from common.auth.operators import ModelAdmin, operator_scopes
from common.errors import ApplicationError

CONFIRMATION_TEMPLATE = "admin/mercato/confirm_action.html"
# Posted by the confirmation page's button: without it, an action only shows that page.
CONFIRMED = "confirmed"

AdminAction = Callable[[ModelAdmin, HttpRequest, QuerySet[Any]], HttpResponseBase | None]


@dataclass(frozen=True)
class Actor:
    """The operator acting: identity's user id, which the services record as the actor."""

    id: str
    email: str


def actor_of(request: HttpRequest) -> Actor:
    """The signed-in operator, as the token the admin verified names them."""
    operator = request.operator  # type: ignore[attr-defined]
    return Actor(id=operator.id, email=operator.email)


def snapshot(target: Model, fields: tuple[str, ...]) -> dict[str, object]:
    return {field: getattr(target, field) for field in fields}


class NoArguments(forms.Form):
    """The confirmation of an action that asks for nothing more."""


Perform = Callable[..., Mapping[str, object] | None]


def confirmed_action(
    *,
    action: str,
    description: str,
    scope: str,
    fields: tuple[str, ...],
    done: str,
    form: type[forms.Form] = NoArguments,
) -> Callable[[Perform], AdminAction]:
    """Makes `perform(model_admin, target, actor, **form.cleaned_data)` an admin action that:

    - is offered only to an operator holding `scope` (ScopedPermissions.get_actions reads it off
      the action); a forged POST of it is refused by Django as "No action selected", and by the
      action itself with a 403;
    - shows CONFIRMATION_TEMPLATE, with `form`, until that page posts back confirmed and valid;
    - runs on each selected record, locked, in one transaction per record with its audit entry
      (`action`, `fields` before and after). A service's ApplicationError is shown and audited as
      the refusal; what the service kept despite it (an attempt counted) is kept. A mapping
      `perform` returns joins `after`: what the action made besides the target (a new key)."""

    def decorate(perform: Perform) -> AdminAction:
        def run(model_admin: ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
            if scope not in operator_scopes(request):
                raise PermissionDenied
            arguments = form(request.POST if CONFIRMED in request.POST else None)
            if not arguments.is_valid():
                return TemplateResponse(
                    request,
                    CONFIRMATION_TEMPLATE,
                    {
                        **model_admin.admin_site.each_context(request),
                        "title": f"{description}?",
                        "description": description,
                        "opts": model_admin.model._meta,
                        "targets": queryset,
                        "form": arguments,
                        "action_name": perform.__name__,
                        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                        "confirmed_name": CONFIRMED,
                    },
                )
            actor = actor_of(request)
            for target in queryset:
                refusal = audited(
                    perform,
                    model_admin,
                    target,
                    action=action,
                    fields=fields,
                    actor=actor,
                    request_id=getattr(request, "request_id", ""),
                    arguments=arguments.cleaned_data,
                )
                if refusal:
                    model_admin.message_user(request, f"{target}: {refusal}", messages.ERROR)
                else:
                    model_admin.message_user(request, f"{target}: {done}.", messages.SUCCESS)
            return None

        run.__name__ = perform.__name__
        run.__doc__ = perform.__doc__
        run.required_scope = scope  # type: ignore[attr-defined]
        run.short_description = description  # type: ignore[attr-defined]
        return run

    return decorate


def audited(
    perform: Perform,
    model_admin: ModelAdmin,
    target: Model,
    *,
    action: str,
    fields: tuple[str, ...],
    actor: Actor,
    request_id: str,
    arguments: dict[str, Any],
) -> str:
    """Performs the action on `target`, locked, and records it in the same transaction; returns
    the service's refusal, or "" when it ran."""
    with transaction.atomic():
        locked = type(target)._default_manager.select_for_update().get(pk=target.pk)
        before = snapshot(locked, fields)
        refusal = ""
        made: Mapping[str, object] | None = None
        try:
            made = perform(model_admin, locked, actor, **arguments)
        except ApplicationError as failure:
            refusal = refusal_text(failure)
        locked.refresh_from_db()
        record(
            actor_id=actor.id,
            actor_email=actor.email,
            action=action,
            target=locked,
            before=before,
            after={**snapshot(locked, fields), **(made or {})},
            request_id=request_id,
            arguments=arguments,
            refusal=refusal,
        )
    return refusal


def refusal_text(failure: ApplicationError) -> str:
    """The service's message and, when it named fields, what it said about them."""
    details = [said for about_field in (failure.errors or {}).values() for said in about_field]
    return " ".join([failure.message, *details])
