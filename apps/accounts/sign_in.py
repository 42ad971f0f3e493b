"""Operators' one sign-in: a form that sets the access-token cookie every service's admin reads.

The password is checked by the token endpoint's own service function, so django-axes counts and
locks the same way, and the form shares the endpoint's `sign_in` throttle. The refresh token
stays in a cookie only these pages receive; renewing rotates it, signing out revokes it.
"""

from contextlib import suppress
from datetime import timedelta
from typing import cast
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.request import Request
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from apps.accounts import services
from apps.accounts.api.serializers import MAXIMUM_EMAIL_LENGTH
from apps.accounts.api.views import SignInApi
from apps.accounts.passwords import MAXIMUM_PASSWORD_LENGTH
from common.api.throttling import ScopedRateThrottle
from common.auth.operators import (
    ACCESS_COOKIE,
    OPERATOR_PATH,
    REFRESH_COOKIE,
    SIGN_IN_PATH,
    RedirectKeepingMethod,
)
from common.errors import ApplicationError

# Where a sign-in without a usable `next` lands.
DEFAULT_DESTINATION = "/identity/admin/"
THROTTLED = "Too many sign-in attempts from this address. Try again in {seconds} seconds."
FROM_ANOTHER_SITE = "Mercato's operator pages take a POST from its own pages only."


class SignInForm(forms.Form):
    # Named as Django's admin login form names them, so its template renders this one.
    username = forms.EmailField(label="E-mail", max_length=MAXIMUM_EMAIL_LENGTH)
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=MAXIMUM_PASSWORD_LENGTH,
        widget=forms.PasswordInput,
    )


def destination(request: HttpRequest) -> str:
    """The `next` asked for, when it leads back to this site: a path here, or this host name at
    another port (a service reached on its own port, which shares the cookies); else the default.
    Anything else would make the sign-in an open redirect."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    try:
        parts = urlsplit(candidate)
    except ValueError:  # an unclosed IPv6 bracket
        return DEFAULT_DESTINATION
    allowed_hosts = {request.get_host()}
    if parts.scheme:
        if parts.username is not None or parts.password is not None:
            return DEFAULT_DESTINATION
        if parts.hostname == urlsplit(f"//{request.get_host()}").hostname:
            allowed_hosts.add(parts.netloc)
    elif not candidate.startswith("/"):
        return DEFAULT_DESTINATION
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts=allowed_hosts, require_https=request.is_secure()
    ):
        return candidate
    return DEFAULT_DESTINATION


def sign_in_page(
    request: HttpRequest, *, form: SignInForm | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    form = form or SignInForm(request.POST or None)
    if error:
        form.add_error(None, error)
    context = {
        **admin.site.each_context(request),
        "title": "Sign in",
        "site_header": "Mercato operators",
        "form": form,
        "app_path": SIGN_IN_PATH,
        "next": destination(request),
    }
    return render(request, "admin/login.html", context, status=status)


def signed_in(
    request: HttpRequest, tokens: dict[str, str], *, keep_method: bool = False
) -> HttpResponse:
    """Back to where the operator was going, holding both tokens in HttpOnly cookies; as the same
    request again (a 307, a POST with its body) when `keep_method`."""
    redirect = RedirectKeepingMethod if keep_method else HttpResponseRedirect
    response = redirect(destination(request))
    cookies: tuple[tuple[str, str, timedelta, str], ...] = (
        (ACCESS_COOKIE, tokens["access"], jwt_settings.ACCESS_TOKEN_LIFETIME, "/"),
        (REFRESH_COOKIE, tokens["refresh"], jwt_settings.REFRESH_TOKEN_LIFETIME, OPERATOR_PATH),
    )
    for name, value, lifetime, path in cookies:
        response.set_cookie(
            name,
            value,
            max_age=int(lifetime.total_seconds()),
            path=path,
            secure=settings.HTTPS_ONLY,
            httponly=True,
            samesite="Lax",
        )
    return response


def throttled_for(request: HttpRequest) -> int | None:
    """Seconds this address must wait, counted against the token endpoint's `sign_in` rate."""
    throttle = ScopedRateThrottle()
    # The throttle reads only the address and whether a user is signed in, as a Django request has.
    if throttle.allow_request(cast(Request, request), SignInApi()):
        return None
    return int(throttle.wait() or 1)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return sign_in_page(request)
    seconds = throttled_for(request)
    if seconds is not None:
        response = sign_in_page(request, error=THROTTLED.format(seconds=seconds), status=429)
        response["Retry-After"] = str(seconds)
        return response
    form = SignInForm(request.POST)
    if not form.is_valid():
        return sign_in_page(request, form=form)
    try:
        tokens = services.token_pair_obtain(
            request=request,
            email=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
    except ApplicationError as refusal:
        # A locked account is refused here too; django-axes' middleware then answers for it.
        return sign_in_page(request, form=form, error=refusal.message)
    return signed_in(request, tokens)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest) -> HttpResponse:
    """A fresh access cookie from the refresh cookie, rotating it; without a valid one the form.

    An admin's form posted once its access cookie had expired arrives as a POST (a 307 keeps its
    body) and goes back the same way, to be posted again with the new cookie: the operator's input
    is not lost. The body and its CSRF token are that admin's, which checks them; a POST another
    site started is refused, as at sign-out."""
    posted = request.method == "POST"
    if posted and request.headers.get("Sec-Fetch-Site") == "cross-site":
        return HttpResponse(FROM_ANOTHER_SITE, status=403)
    refresh = request.COOKIES.get(REFRESH_COOKIE)
    if refresh:
        try:
            tokens = services.token_refresh(refresh=refresh)
        except ApplicationError:
            pass
        else:
            return signed_in(request, tokens, keep_method=posted)
    # A posted body is the admin's form, not this one's.
    return signed_out(sign_in_page(request, form=SignInForm()))


@csrf_exempt
@never_cache
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Revokes the refresh token and clears both cookies: every admin is signed out at once.

    Every admin's "Log out" arrives here as its own form's POST, carrying that admin's CSRF token,
    not identity's; a POST another site started is refused instead."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return HttpResponse(FROM_ANOTHER_SITE, status=403)
    refresh = request.COOKIES.get(REFRESH_COOKIE)
    if refresh:
        # One already revoked or expired leaves nothing to revoke.
        with suppress(ApplicationError):
            services.token_revoke(refresh=refresh)
    return signed_out(HttpResponseRedirect(f"{SIGN_IN_PATH}?{request.GET.urlencode()}"))


def signed_out(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(ACCESS_COOKIE, path="/", samesite="Lax")
    response.delete_cookie(REFRESH_COOKIE, path=OPERATOR_PATH, samesite="Lax")
    return response
