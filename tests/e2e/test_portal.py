"""The portal on the running platform: identity's root, which `make run`'s gateway serves at its
own, lists the five services up, shows one whose web processes are frozen down until they are
back; and Swagger UI's "Authorize" signs in through the gateway by the schema's token URL."""

import os
import signal

import pytest
import requests

from services import SERVICE_NAMES
from tests.e2e.shop import DEMO_PASSWORD, SECRETS_USED, answered, described, eventually

pytestmark = pytest.mark.e2e
# The portal keeps what it asked for PORTAL_HEALTH_MAX_AGE_SECONDS (5), and a frozen service
# costs a check its timeout: a change shows within seconds.
SHOWN_WITHIN_SECONDS = 30


def shown(platform) -> dict[str, str]:
    """Each service's status as the portal's JSON says it, asked at identity's own port."""
    response = requests.get(
        platform.url("identity", "/"), headers={"Accept": "application/json"}, timeout=10
    )
    body = answered(response, 200).json()
    return {service["name"]: service["status"] for service in body["services"]}


def test_the_portal_lists_every_service_up(platform):
    everyone_up = dict.fromkeys(SERVICE_NAMES, "OK")

    eventually(
        lambda: shown(platform) == everyone_up,
        timeout=SHOWN_WITHIN_SECONDS,
        what=lambda: f"every service up on the portal; it shows {shown(platform)}",
    )


def test_a_frozen_service_is_shown_down_and_up_again_once_it_is_back(platform):
    payments_web = platform.process_group("payments", "web")
    others_up = {name: "OK" for name in SERVICE_NAMES if name != "payments"}

    # Frozen, not killed: its port still takes connections that nothing answers, as a wedged
    # host's would, and no supervisor replaces it meanwhile.
    os.killpg(payments_web, signal.SIGSTOP)
    try:
        while_frozen = eventually(
            lambda: (now := shown(platform))["payments"] == "DOWN" and now,
            timeout=SHOWN_WITHIN_SECONDS,
            what=lambda: f"payments down on the portal; it shows {shown(platform)}",
        )
    finally:
        os.killpg(payments_web, signal.SIGCONT)

    assert {name: s for name, s in while_frozen.items() if name != "payments"} == others_up
    eventually(
        lambda: shown(platform)["payments"] == "OK",
        timeout=SHOWN_WITHIN_SECONDS,
        what=lambda: f"payments up again on the portal; it shows {shown(platform)}",
    )


def test_the_gateways_root_is_the_portal_page_with_its_stylesheet(gateway):
    page = requests.get(f"{gateway}/", timeout=10)

    answered(page, 200)
    assert page.headers["Content-Type"].startswith("text/html"), described(page)
    assert "Content-Security-Policy" in page.headers
    for name in SERVICE_NAMES:
        assert f'href="/{name}/admin/"' in page.text, described(page)
        assert f'href="/{name}/api/docs/"' in page.text, described(page)
    stylesheet = requests.get(f"{gateway}/identity/static/portal/portal.css", timeout=10)
    assert answered(stylesheet, 200).headers["Content-Type"].startswith("text/css")


def test_swagger_uis_authorize_signs_in_at_the_schemas_token_url_through_the_gateway(gateway):
    schema = requests.get(
        f"{gateway}/orders/api/schema/",
        headers={"Accept": "application/vnd.oai.openapi+json"},
        timeout=10,
    )
    flow = answered(schema, 200).json()["components"]["securitySchemes"]["oauth2"]["flows"]
    token_url = flow["password"]["tokenUrl"]

    # As Swagger UI posts it: a form, and empty client credentials in a Basic header.
    answer = requests.post(
        f"{gateway}{token_url}",
        data={
            "grant_type": "password",
            "username": "customer@mercato.local",
            "password": DEMO_PASSWORD,
            "scope": "",
        },
        auth=("", ""),
        timeout=10,
    )
    token = answered(answer, 200).json()
    SECRETS_USED.update({token["access_token"], token["refresh_token"]})
    whoami = requests.get(
        f"{gateway}/orders/api/v1/whoami/",
        headers={"Authorization": f"{token['token_type']} {token['access_token']}"},
        timeout=10,
    )

    assert token["token_type"] == "Bearer"
    assert answered(whoami, 200).json()["roles"] == ["customer"]
