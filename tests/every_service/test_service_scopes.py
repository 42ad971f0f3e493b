"""Runs once per service's settings: the scopes it checks are those default roles grant it.

No check is out of every role's reach and no grant under the service's name is idle.

What a service checks is read from the service as it runs: `required_scopes` of every view its
URL conf reaches, every `*_scope` attribute of its admin classes and their inlines, the
`required_scope` of every admin action, and the admin sign-in's `<service>.admin.access`.
Selectors narrow rows with `_any` scopes the views already require, so they add none.
"""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admindocs.views import extract_views_from_urlpatterns
from django.urls import get_resolver

from apps.accounts.roles import DEFAULT_ROLES
from common.auth.permissions import AUTHENTICATED, PUBLIC
from common.auth.scopes import admin_access_scope
from services import SERVICE_NAMES


def view_scopes() -> set[str]:
    scopes = set()
    for view, *_ in extract_views_from_urlpatterns(get_resolver().url_patterns):
        view_class = getattr(view, "view_class", None)
        if not hasattr(view_class, "required_scopes"):
            continue
        # An instance: some views derive their map from their read and write scopes.
        required = view_class(**view.view_initkwargs).required_scopes
        for scope in required.values():
            scopes.update(scope if isinstance(scope, tuple) else (scope,))
    return scopes - {PUBLIC, AUTHENTICATED}


def admin_scopes() -> set[str]:
    # Every service's admin signs operators in with it (identity's through `User.is_staff`).
    scopes = {admin_access_scope(settings.SERVICE_NAME)}
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for checker in (model_admin, *inlines):
            names = (name for name in dir(checker) if name.endswith("_scope"))
            scopes.update(getattr(checker, name) for name in names)
        actions = (getattr(model_admin, name) for name in model_admin.actions or ())
        scopes.update(getattr(action, "required_scope", "") for action in actions)
    return scopes - {""}


def checked_scopes() -> set[str]:
    return view_scopes() | admin_scopes()


def granted_scopes() -> set[str]:
    return {scope for _, permissions in DEFAULT_ROLES.values() for scope in permissions}


def test_every_scope_this_service_checks_is_granted_by_a_default_role():
    assert checked_scopes() - granted_scopes() == set()


def test_every_scope_a_default_role_grants_under_this_service_is_checked_here():
    granted_here = {
        scope for scope in granted_scopes() if scope.split(".")[0] == settings.SERVICE_NAME
    }

    assert granted_here - checked_scopes() == set()


def test_every_scope_a_default_role_grants_is_named_after_a_service():
    """So that the test above, run in each service, covers every grant."""
    assert {
        scope for scope in granted_scopes() if scope.split(".")[0] not in SERVICE_NAMES
    } == set()


def test_the_scan_finds_the_scopes_of_views_and_of_the_admin():
    """Each service checks at least one scope through a view or an admin besides admin access."""
    assert view_scopes()
    assert admin_scopes() > {admin_access_scope(settings.SERVICE_NAME)}
