"""Scope maps: public, any token or a named scope; a method left out is closed; owners see own."""

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.urls import path
from rest_framework.response import Response

from common.api.views import ServiceApi
from common.auth.permissions import AUTHENTICATED, PUBLIC, get_owned_or_404, owned_or_any
from common.auth.users import TokenUser


class ScopedApi(ServiceApi):
    required_scopes = {
        "get": PUBLIC,
        "post": AUTHENTICATED,
        "put": "things.thing.write",
        "patch": ("things.thing.edit_own", "things.thing.edit_any"),
    }

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True})

    def put(self, request):
        return Response({"ok": True})

    def patch(self, request):
        return Response({"ok": True})

    def delete(self, request):  # implemented but left out of the map
        return Response({"ok": True})


urlpatterns = [path("scoped/", ScopedApi.as_view())]
pytestmark = pytest.mark.urls(__name__)


def test_each_method_needs_what_its_scope_map_says(api_client, token_minter):
    plain = token_minter.authorization()
    writer = token_minter.authorization(scopes=["things.thing.write"])

    assert api_client.get("/scoped/").status_code == 200
    assert api_client.post("/scoped/").status_code == 401
    assert api_client.post("/scoped/", **plain).status_code == 200
    assert api_client.put("/scoped/", **plain).status_code == 403
    assert api_client.put("/scoped/", **writer).status_code == 200


def test_a_method_missing_from_the_map_is_refused_even_with_every_scope(api_client, token_minter):
    assert api_client.delete("/scoped/", **token_minter.authorization()).status_code == 403


def test_a_tuple_of_scopes_lets_in_a_token_holding_any_one_of_them(api_client, token_minter):
    own = token_minter.authorization(scopes=["things.thing.edit_own"])
    any_ = token_minter.authorization(scopes=["things.thing.edit_any"])
    neither = token_minter.authorization(scopes=["things.thing.write"])

    assert api_client.patch("/scoped/", **own).status_code == 200
    assert api_client.patch("/scoped/", **any_).status_code == 200
    assert api_client.patch("/scoped/", **neither).status_code == 403


def test_a_method_the_view_lacks_is_still_a_405(api_client):
    assert api_client.generic("TRACE", "/scoped/").status_code == 405


def viewer(*scopes: str) -> TokenUser:
    return TokenUser(id="7", email="", roles=frozenset(), scopes=frozenset(scopes))


@pytest.mark.django_db
def test_another_customers_row_is_a_404_but_any_scope_sees_it():
    # Group stands in for an owned model: its `name` plays the owner id.
    mine, theirs = Group.objects.create(name="7"), Group.objects.create(name="8")
    rows = Group.objects.all()

    own = owned_or_any(rows, viewer=viewer(), any_scope="x.y.read_any", owner_field="name")
    assert list(own) == [mine]
    assert (
        get_owned_or_404(
            rows, viewer=viewer(), any_scope="x.y.read_any", owner_field="name", id=mine.id
        )
        == mine
    )
    with pytest.raises(Http404):
        get_owned_or_404(
            rows, viewer=viewer(), any_scope="x.y.read_any", owner_field="name", id=theirs.id
        )
    assert (
        get_owned_or_404(
            rows,
            viewer=viewer("x.y.read_any"),
            any_scope="x.y.read_any",
            owner_field="name",
            id=theirs.id,
        )
        == theirs
    )


@pytest.mark.django_db
def test_a_service_token_owns_no_rows_unless_it_holds_the_any_scope():
    # Its subject is no customer id (filtering a UUID owner field by it would be an error).
    Group.objects.create(name="service:orders")
    rows = Group.objects.all()

    def seen(*scopes: str) -> list[Group]:
        service = TokenUser(
            id="service:orders", email="", roles=frozenset(), scopes=frozenset(scopes)
        )
        return list(
            owned_or_any(rows, viewer=service, any_scope="x.y.read_any", owner_field="name")
        )

    assert seen() == []
    assert seen("x.y.read_any") == list(rows)
