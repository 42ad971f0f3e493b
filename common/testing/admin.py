"""Admin actions as an operator runs them: the confirmation page, then the confirmed POST."""

from collections.abc import Callable
from dataclasses import dataclass

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Model
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common.audit.actions import CONFIRMED
from common.auth.operators import ACCESS_COOKIE


@dataclass(frozen=True)
class ActionRun:
    confirmation: HttpResponseBase
    done: HttpResponseBase


def action_run(
    client: Client,
    changelist_url: str,
    action: str,
    targets: list[Model],
    *,
    request_id: str = "",
    **arguments: str,
) -> ActionRun:
    """Selects `targets` in the list, picks `action`, then confirms it with `arguments`; the
    confirmed POST carries `request_id` as its X-Request-ID."""
    chosen = {"action": action, "_selected_action": [str(target.pk) for target in targets]}
    confirmation = client.post(changelist_url, chosen)
    headers = {"X-Request-ID": request_id} if request_id else {}
    done = client.post(
        changelist_url, {**chosen, CONFIRMED: "yes", **arguments}, headers=headers, follow=True
    )
    return ActionRun(confirmation=confirmation, done=done)


def signed_in_user(client: Client) -> Model:
    """The local user row of the operator the client's access cookie names."""
    claims = jwt.decode(client.cookies[ACCESS_COOKIE].value, options={"verify_signature": False})
    user_model = get_user_model()
    key = "username" if user_model.USERNAME_FIELD == "username" else "pk"
    return user_model._default_manager.get(**{key: claims["sub"]})


def admin_index(client: Client) -> tuple[int, str]:
    """The service's admin index, its dashboard, as `client` sees it: the number of queries it
    cost, which the dashboards' tests pin whatever their rows, and the page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/{settings.SERVICE_NAME}/admin/")
    assert response.status_code == 200, response.status_code
    return len(captured), response.content.decode()


def dashboard_with_more_rows(
    operator_client: Callable[..., Client],
    read_scope: str,
    *,
    more_rows: Callable[[], object],
    panel_queries: int,
) -> str:
    """The admin index as an operator holding `read_scope` sees it once `more_rows()` has added
    rows, after checking that, with the rows there were and with the more, it cost exactly its
    panels' queries over what the index costs an operator without the scope."""
    access = f"{settings.SERVICE_NAME}.admin.access"
    without_panels, _ = admin_index(operator_client(access))
    client = operator_client(access, read_scope)
    few, _ = admin_index(client)
    more_rows()
    many, page = admin_index(client)
    assert few == many == without_panels + panel_queries, (without_panels, few, many)
    return page
