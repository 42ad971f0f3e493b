"""The ownership matrix's checks pass a route that keeps to its row and fail one that shows another
person's record, or lets a query parameter widen a list; its gaps name every route without a
row."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.urls import include, path
from rest_framework import generics, serializers
from rest_framework.response import Response

from common.api.views import ServiceApi
from common.auth.permissions import get_owned_or_404, owned_or_any
from common.auth.users import caller
from common.testing.ownership import (
    ANONYMOUS,
    WIDENING_PARAMETERS,
    Access,
    Listing,
    Role,
    access_check,
    listing_check,
    matrix_gaps,
    narrowing_query,
    roles_of,
)

READ = "things.group.read"
READ_ANY = "things.group.read_any"


class GroupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def visible_groups(request):
    """Group stands in for an owned model: its `name` plays the owner id."""
    return owned_or_any(
        Group.objects.order_by("id"), viewer=caller(request), any_scope=READ_ANY, owner_field="name"
    )


class GroupListApi(generics.ListAPIView):
    required_scopes = {"get": (READ, READ_ANY)}
    serializer_class = GroupOutput
    filterset_fields = ("name",)

    def get_queryset(self):
        return visible_groups(self.request)


class WideningGroupListApi(GroupListApi):
    """Honours `?owner=` against every group: the mistake the matrix exists to catch."""

    def get_queryset(self):
        owner = self.request.query_params.get("owner")
        return Group.objects.filter(name=owner).order_by("id") if owner else super().get_queryset()


class GroupDetailApi(ServiceApi):
    required_scopes = {"get": (READ, READ_ANY)}

    def get(self, request, group_id):
        group = get_owned_or_404(
            Group.objects.all(),
            viewer=caller(request),
            any_scope=READ_ANY,
            owner_field="name",
            id=group_id,
        )
        return Response(GroupOutput(group).data)


class LeakingGroupDetailApi(GroupDetailApi):
    """Shows anyone's group to anyone with a read scope."""

    def get(self, request, group_id):
        return Response(GroupOutput(generics.get_object_or_404(Group, id=group_id)).data)


API = [
    path("groups/", GroupListApi.as_view()),
    path("widening/", WideningGroupListApi.as_view()),
    path("groups/<int:group_id>/", GroupDetailApi.as_view()),
    path("leaking/<int:group_id>/", LeakingGroupDetailApi.as_view()),
]
urlpatterns = [path("things/", include([path("api/v1/", include(API))]))]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

ROLES = roles_of(
    {
        "customer": ("Own groups.", [READ]),
        "support": ("Every group.", [READ, READ_ANY]),
        "catalog_manager": ("No groups.", ["things.other.read"]),
    }
)
ROLE = {role.name: role for role in ROLES}


def group(owner: str) -> Group:
    return Group.objects.create(name=owner)


def detail(route: str) -> Access:
    return Access(
        f"things/api/v1/{route}/<int:group_id>/",
        "get",
        group,
        allowed=frozenset({"support"}),
        hidden=frozenset({"customer"}),
    )


def listing(route: str) -> Listing:
    return Listing(
        f"things/api/v1/{route}/",
        group,
        everyone=frozenset({"support"}),
        own=frozenset({"customer"}),
    )


def test_roles_of_puts_anonymous_callers_first_and_they_send_no_token(token_minter):
    assert [(role.name, role.scopes) for role in ROLES[:2]] == [
        (ANONYMOUS, frozenset()),
        ("customer", frozenset({READ})),
    ]
    assert ROLE[ANONYMOUS].headers(token_minter, "nobody") == {}


def test_a_service_role_calls_as_its_service_and_a_person_as_a_new_id():
    assert Role("service_orders", frozenset()).new_subject() == "service:orders"
    assert uuid.UUID(Role("customer", frozenset()).new_subject())


def test_a_row_refuses_anonymous_with_401_hidden_roles_with_404_and_others_with_403():
    row = detail("groups")

    refusals = {name: row.refusal(name) for name in ROLE}

    assert refusals == {
        ANONYMOUS: 401,
        "customer": 404,
        "support": None,
        "catalog_manager": 403,
    }
    assert row.path(Group(pk=7)) == "/things/api/v1/groups/7/"
    assert row.missing_path() == "/things/api/v1/groups/2147483647/"


def test_a_nested_route_takes_what_its_row_names_from_the_record_and_the_key_for_the_rest():
    row = Access(
        "things/api/v1/owners/<str:owner>/groups/<int:group_id>/",
        "get",
        group,
        allowed=frozenset({"support"}),
        parameters={"owner": lambda record: record.name},
    )

    assert row.path(Group(pk=7, name="ada")) == "/things/api/v1/owners/ada/groups/7/"
    assert row.missing_path() == "/things/api/v1/owners/missing/groups/2147483647/"


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_a_route_that_keeps_to_its_row_passes_for_every_role(api_client, token_minter, role):
    access_check(client=api_client, minter=token_minter, access=detail("groups"), role=role)


def test_a_route_that_shows_another_persons_record_fails_its_row(api_client, token_minter):
    with pytest.raises(AssertionError, match="200"):
        access_check(
            client=api_client, minter=token_minter, access=detail("leaking"), role=ROLE["customer"]
        )


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_a_list_that_keeps_to_own_rows_passes_for_every_role(api_client, token_minter, role):
    listing_check(
        client=api_client,
        minter=token_minter,
        listing=listing("groups"),
        role=role,
        service="things",
    )


def test_a_list_that_a_query_parameter_widens_fails_its_row(api_client, token_minter):
    with pytest.raises(AssertionError):
        listing_check(
            client=api_client,
            minter=token_minter,
            listing=listing("widening"),
            role=ROLE["customer"],
            service="things",
        )


def test_the_gaps_name_routes_without_a_row_and_rows_without_a_route():
    stray = Access("things/api/v1/gone/<int:id>/", "get", group, allowed=frozenset())

    gaps = matrix_gaps(
        service="things", accesses=[detail("groups"), stray], listings=[listing("groups")]
    )

    assert gaps == {
        "endpoints without a row": {("things/api/v1/leaking/<int:group_id>/", "get")},
        "rows without an endpoint": {("things/api/v1/gone/<int:id>/", "get")},
        "lists without a row": {"things/api/v1/widening/"},
    }


def test_the_fishing_query_sets_every_widening_parameter_and_each_exact_filter_to_the_record():
    record = Group(id=3, name="someone")

    query = narrowing_query(GroupListApi, record, "someone")

    assert query == {**dict.fromkeys(WIDENING_PARAMETERS, "someone"), "name": "someone"}
