"""Runs once per service's settings, as production runs it behind a TLS-terminating proxy: browsers
are sent to HTTPS and get strict headers, cookies that scripts and plain HTTP never see, and admin
forms that only accept their own token; what calls over the cluster's plain HTTP is left alone."""

import pytest
from django.conf import settings
from django.test import Client

from common.auth.operators import ACCESS_COOKIE
from common.testing.fixtures import HTTPS_ONLY_SETTINGS

pytestmark = pytest.mark.usefixtures("https_only")

# What the proxy passes on from a browser that asked for the shop over TLS, or in clear.
OVER_HTTPS = {"HTTP_HOST": "testserver", "HTTP_X_FORWARDED_PROTO": "https"}
OVER_HTTP = {"HTTP_HOST": "testserver", "HTTP_X_FORWARDED_PROTO": "http"}


def admin_url() -> str:
    return f"/{settings.SERVICE_NAME}/admin/"


def shown(response) -> str:
    return f"{response.status_code}: {response.content.decode(errors='replace')[:500]}"


def test_a_browser_on_plain_http_is_sent_to_https(client):
    response = client.get(admin_url(), **OVER_HTTP)

    assert response.status_code == 301, shown(response)
    assert response["Location"] == f"https://testserver{admin_url()}"


def test_probes_metrics_and_service_calls_over_the_clusters_plain_http_are_not_redirected(
    client, db
):
    service = settings.SERVICE_NAME
    expected = {"/healthz/live": 200, "/metrics": 200, f"/{service}/api/v1/whoami/": 401}
    if service == "identity":
        expected["/identity/.well-known/jwks.json"] = 200

    answers = {path: client.get(path) for path in expected}

    assert {path: answer.status_code for path, answer in answers.items()} == expected, {
        path: shown(answer) for path, answer in answers.items()
    }


def test_an_admin_page_over_https_carries_the_security_headers(operator_client):
    response = operator_client().get(admin_url(), **OVER_HTTPS)

    assert response.status_code == 200, shown(response)
    assert response["Strict-Transport-Security"] == (
        f"max-age={HTTPS_ONLY_SETTINGS['SECURE_HSTS_SECONDS']}; includeSubDomains; preload"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    directives = response["Content-Security-Policy"].split(";")
    policy = dict(directive.strip().split(" ", 1) for directive in directives)
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_the_admins_csrf_cookie_is_secure_http_only_and_same_site(operator_client):
    response = operator_client().get(admin_url(), **OVER_HTTPS)

    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_an_admin_form_posted_without_its_csrf_token_is_refused(operator_client):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[ACCESS_COOKIE] = operator_client().cookies[ACCESS_COOKIE].value
    origin = {"HTTP_ORIGIN": "https://testserver", **OVER_HTTPS}
    page = browser.get(admin_url(), **OVER_HTTPS)
    log_out = f"{admin_url()}logout/"

    forged = browser.post(log_out, {}, **origin)
    genuine = browser.post(log_out, {"csrfmiddlewaretoken": page.context["csrf_token"]}, **origin)

    assert forged.status_code == 403, shown(forged)
    assert "CSRF verification failed" in forged.content.decode()
    # The log-out goes on to identity: the token was all that was missing.
    assert genuine.status_code == 307, shown(genuine)
