"""Runs once per service's settings: the admin is titled with the service, its bar links the five
admins, their API docs and the portal by gateway path, marks this one and names the operator, its
look comes from a same-origin style sheet, and it shows times to the second in the operator's
time zone, named; it offers no Django groups or local user rows."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import display_for_value
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from services import SERVICE_NAMES

pytestmark = pytest.mark.django_db

SERVICE = settings.SERVICE_NAME
A_MOMENT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


@pytest.fixture
def admin_page(everything_client) -> str:
    response = everything_client.get(f"/{SERVICE}/admin/")
    assert response.status_code == 200, response.content.decode()[-2000:]
    return response.content.decode()


def test_the_admin_is_titled_with_its_service(admin_page):
    assert f"<title>{SERVICE} administration | Mercato · {SERVICE}</title>" in admin_page
    assert f">Mercato · {SERVICE}</a>" in admin_page


def test_the_bar_links_every_admin_every_api_docs_and_the_portal_and_marks_this_one(admin_page):
    links = set(re.findall(r'href="([^"]+)"', admin_page))

    assert {f"/{service}/admin/" for service in SERVICE_NAMES} <= links
    assert {f"/{service}/api/docs/" for service in SERVICE_NAMES} <= links
    assert "/" in links
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', admin_page) == [
        f"/{SERVICE}/admin/"
    ]


def test_the_look_is_one_same_origin_style_sheet_and_nothing_inline(admin_page):
    assert f'<link rel="stylesheet" href="/{SERVICE}/static/operator_admin/mercato.css">' in (
        admin_page
    )
    assert finders.find("operator_admin/mercato.css")
    assert "style=" not in admin_page
    assert "<style" not in admin_page


def test_the_bar_names_the_signed_in_operator_and_their_roles(everything_client):
    request = RequestFactory().get(f"/{SERVICE}/admin/")
    request.user = get_user_model().objects.get(is_active=True)
    request.session = {}
    # As the operator sign-in leaves it on every admin request.
    request.operator = SimpleNamespace(
        id=str(request.user.pk),
        email="ops@mercato.test",
        roles=("support", "finance"),
        scopes=frozenset(),
        timezone="UTC",
    )

    bar = render_to_string("admin/base_site.html", admin.site.each_context(request), request)

    assert '<span class="mercato-operator-email">ops@mercato.test</span>' in bar
    assert '<span class="mercato-operator-roles">support, finance</span>' in bar


def test_times_are_shown_to_the_second_in_the_active_time_zone_named():
    with timezone.override("UTC"):
        assert display_for_value(A_MOMENT, "-") == "2026-03-04 05:06:07 UTC"
    with timezone.override("Europe/Berlin"):
        assert display_for_value(A_MOMENT, "-") == "2026-03-04 06:06:07 CET"


def test_no_admin_offers_djangos_groups_or_a_services_local_user_rows():
    """Operators' roles and scopes come from identity's token: only identity's own users show."""
    assert not admin.site.is_registered(Group)
    assert not admin.site.is_registered(User)
    assert admin.site.is_registered(get_user_model()) == (SERVICE == "identity")
