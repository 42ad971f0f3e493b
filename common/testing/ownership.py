"""The ownership matrix: every role, against records someone else owns, on every API route of a
service that names a record or lists them. Each service's suite holds its rows; this module checks
them and finds the routes that have none."""

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from rest_framework.test import APIClient

from common.api.errors import PROBLEM_CONTENT_TYPE
from common.auth.users import SERVICE_SUBJECT_PREFIX
from common.testing.routes import api_views, list_endpoints, object_endpoints
from common.testing.tokens import TokenMinter

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse as Response
    from rest_framework.views import APIView

ANONYMOUS = "anonymous"
# The default role of a service's own calls is `service_<service>`; its tokens name the service.
SERVICE_ROLE_PREFIX = "service_"
# Query parameters a caller might try to widen a list to someone else's rows with; no list
# filters on its owner, so each must be ignored or narrow, never widen.
WIDENING_PARAMETERS = (
    "customer",
    "customer_id",
    "user",
    "user_id",
    "owner",
    "owner_id",
    "recipient",
    "recipient_id",
    "requested_by",
)
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# An id no record has, by path converter (a string for `str`, `slug` and the default).
MISSING_IDS = {"uuid": "00000000-0000-4000-8000-000000000000", "int": "2147483647"}
MISSING_STRING = "missing"

# Makes a record owned by the subject it is given (records nobody owns ignore it).
RecordMaker = Callable[[str], Model]


@dataclass(frozen=True)
class Role:
    name: str
    scopes: frozenset[str]

    def new_subject(self) -> str:
        """The subject of a new caller in this role: a person's id, or the service's name."""
        if self.name.startswith(SERVICE_ROLE_PREFIX):
            return SERVICE_SUBJECT_PREFIX + self.name.removeprefix(SERVICE_ROLE_PREFIX)
        return str(uuid.uuid4())

    def headers(self, minter: TokenMinter, subject: str) -> dict[str, Any]:
        if self.name == ANONYMOUS:
            return {}
        return minter.authorization(subject=subject, roles=[self.name], scopes=sorted(self.scopes))

    def __str__(self) -> str:
        return self.name


def roles_of(default_roles: Mapping[str, tuple[str, Iterable[str]]]) -> tuple[Role, ...]:
    """Anonymous callers, then every default role (identity's `DEFAULT_ROLES`) with its scopes."""
    return (
        Role(ANONYMOUS, frozenset()),
        *(Role(name, frozenset(scopes)) for name, (_, scopes) in default_roles.items()),
    )


@dataclass(frozen=True)
class Access:
    """One method of a route naming a record someone else owns: `allowed` roles act on it (2xx),
    `hidden` roles get 404, anonymous callers 401 and every other role 403; each refusal is the
    very answer a missing record gets, and changes no row."""

    route: str
    method: str
    record: RecordMaker
    allowed: frozenset[str]
    hidden: frozenset[str] = frozenset()
    body: Mapping[str, Any] = field(default_factory=dict)
    # For a route nesting the record under another (`webhooks/<webhook_id>/deliveries/<id>/`):
    # what fills a route parameter, by its name, from the record; its key fills any other.
    parameters: Mapping[str, Callable[[Model], object]] = field(default_factory=dict)

    def refusal(self, role: str) -> int | None:
        """The status `role` is refused with, or None when it may act."""
        if role in self.allowed:
            return None
        if role == ANONYMOUS:
            return 401
        return 404 if role in self.hidden else 403

    def path(self, record: Model) -> str:
        def value(found: re.Match[str]) -> str:
            of_record = self.parameters.get(found["name"])
            return str(record.pk if of_record is None else of_record(record))

        return "/" + ROUTE_PARAMETER.sub(value, self.route)

    def missing_path(self) -> str:
        """The path naming a record that does not exist."""
        return "/" + ROUTE_PARAMETER.sub(
            lambda found: MISSING_IDS.get(found["converter"], MISSING_STRING), self.route
        )

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.route}"


@dataclass(frozen=True)
class Listing:
    """A list route with a row someone else owns: `everyone` roles see it, `own` roles see only
    their own rows whatever the query string asks, anonymous callers get 401, every other role
    403. `key` names the field that identifies a record, in the list and on the model."""

    route: str
    record: RecordMaker
    everyone: frozenset[str]
    own: frozenset[str] = frozenset()
    key: str = "id"

    def __str__(self) -> str:
        return f"GET {self.route}"


def matrix_gaps(
    *, service: str, accesses: Iterable[Access], listings: Iterable[Listing]
) -> dict[str, set[Any]]:
    """Endpoints of the service with no row, and rows naming no endpoint: empty when complete."""
    endpoints = object_endpoints(service=service)
    rows = {(access.route, access.method) for access in accesses}
    lists = list_endpoints(service=service)
    listed = {listing.route for listing in listings}
    gaps: dict[str, set[Any]] = {
        "endpoints without a row": endpoints - rows,
        "rows without an endpoint": rows - endpoints,
        "lists without a row": lists - listed,
        "list rows without a list": listed - lists,
    }
    return {gap: routes for gap, routes in gaps.items() if routes}


def shown(response: "Response") -> str:
    return f"{response.status_code} {response.content[:2000]!r}"


def send(
    client: APIClient, method: str, path: str, body: Mapping[str, Any], headers: dict[str, Any]
) -> "Response":
    if method == "get":
        return client.get(path, **headers)
    response: Response = getattr(client, method)(path, dict(body), format="json", **headers)
    return response


def problem_seen(response: "Response") -> tuple[int, str, dict[str, Any]]:
    """What a refusal tells the caller; the request id differs from one request to the next."""
    body = {key: value for key, value in response.json().items() if key != "request_id"}
    return response.status_code, response["Content-Type"], body


def own_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables of this service's apps and of common's, to show a refused request
    changed none."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model.__module__.startswith(("apps.", "common."))
    }


def access_check(*, client: APIClient, minter: TokenMinter, access: Access, role: Role) -> None:
    """`role` on `access`'s route against a record someone else owns gets what the row says."""
    owner = str(uuid.uuid4())
    record = access.record(owner)
    headers = role.headers(minter, role.new_subject())
    refusal = access.refusal(role.name)
    before = own_rows()
    response = send(client, access.method, access.path(record), access.body, headers)
    if refusal is None:
        assert 200 <= response.status_code < 300, shown(response)
        return
    missing = send(client, access.method, access.missing_path(), access.body, headers)
    assert response.status_code == refusal, shown(response)
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE, shown(response)
    assert problem_seen(response) == problem_seen(missing), (shown(response), shown(missing))
    assert owner not in response.content.decode(), shown(response)
    assert own_rows() == before


def narrowing_query(view_class: type["APIView"], record: Model, owner: str) -> dict[str, str]:
    """Every widening parameter set to `owner`, and each of the list's exact filters on a field of
    `record` set to `record`'s value, as a caller fishing for that row would send."""
    query = dict.fromkeys(WIDENING_PARAMETERS, owner)
    filterset = getattr(view_class, "filterset_class", None)
    if filterset is not None:
        filters = {
            name: one.field_name
            for name, one in filterset.base_filters.items()
            if one.lookup_expr == "exact"
        }
    else:
        filters = {name: name for name in getattr(view_class, "filterset_fields", ())}
    for name, field_name in filters.items():
        try:
            model_field = record._meta.get_field(field_name)
        except FieldDoesNotExist:
            continue
        if not model_field.is_relation:
            query[name] = str(getattr(record, field_name))
    return query


def listed(response: "Response", key: str) -> set[str]:
    return {str(row[key]) for row in response.json()["results"]}


def listing_check(
    *, client: APIClient, minter: TokenMinter, listing: Listing, role: Role, service: str
) -> None:
    """`role` lists `listing`'s route, plainly and with a query string fishing for a row someone
    else owns, and sees that row only if the row says so."""
    owner = str(uuid.uuid4())
    record = listing.record(owner)
    theirs = str(getattr(record, listing.key))
    subject = role.new_subject()
    mine = str(getattr(listing.record(subject), listing.key)) if role.name in listing.own else None
    headers = role.headers(minter, subject)
    view_class = api_views(service=service)[listing.route]
    path = f"/{listing.route}"
    plain = client.get(path, **headers)
    fishing = client.get(path, narrowing_query(view_class, record, owner), **headers)
    for response in (plain, fishing):
        if role.name in listing.everyone:
            assert response.status_code == 200, shown(response)
        elif role.name in listing.own:
            assert response.status_code == 200, shown(response)
            assert theirs not in listed(response, listing.key), shown(response)
            assert owner not in response.content.decode(), shown(response)
        else:
            assert response.status_code == (401 if role.name == ANONYMOUS else 403), shown(response)
    if role.name in listing.everyone:
        found = listed(plain, listing.key) & listed(fishing, listing.key)
        assert theirs in found, (shown(plain), shown(fishing))
    if mine is not None:
        assert mine in listed(plain, listing.key), shown(plain)
