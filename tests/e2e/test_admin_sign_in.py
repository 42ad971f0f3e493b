"""Operators in a real browser behind the gateway: one sign-in at identity opens all five admins
and their dashboards, signing out of one signs out of all, a form saved after the access cookie
expired is kept through the renewal, and roles decide what each admin allows, down to who may
refund an order."""

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from common.auth.operators import ACCESS_COOKIE
from services import SERVICES
from tests.e2e.shop import DEMO_PASSWORD, answered, eventually

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SIGN_IN_FORM = "#login-form"
# Where the dashboards' screenshots are kept for a person to look at after the run.
SCREENSHOTS = Path(os.environ.get("E2E_ARTIFACTS", ".mercato/e2e-artifacts")) / "dashboards"


@pytest.fixture(scope="module")
def browser():
    if not shutil.which("chromium"):
        pytest.skip("chromium is not installed (make browser installs it where apt-get can)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def sign_in(page, gateway: str, service: str, email: str) -> None:
    """Opens `service`'s admin, which sends the browser to identity's form, and signs in there."""
    page.goto(f"{gateway}/{service}/admin/")
    assert "/identity/operator/" in page.url
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():  # the next goto must not cancel the sign-in's own request
        page.click("input[type=submit]")
    refusals = page.locator(f"{SIGN_IN_FORM}, .errornote")
    assert "/identity/operator/" not in page.url, refusals.all_inner_texts() or page.content()


def a_product(http, platform) -> dict:
    url = platform.url("catalog", "/catalog/api/v1/products/?search=Kenya")
    return answered(http.get(url, timeout=5), 200).json()["results"][0]


def product_admin_url(gateway: str, product: dict) -> str:
    return f"{gateway}/catalog/admin/catalog/product/{product['id']}/change/"


def test_one_sign_in_opens_all_five_admins(gateway, page):
    sign_in(page, gateway, "catalog", "admin@mercato.local")
    assert page.url == f"{gateway}/catalog/admin/"

    opened = {}
    for service in SERVICES:
        answer = page.goto(f"{gateway}/{service.name}/admin/")
        opened[service.name] = (answer.status, page.url, page.locator(SIGN_IN_FORM).count())

    assert opened == {
        service.name: (200, f"{gateway}/{service.name}/admin/", 0) for service in SERVICES
    }


def test_one_sign_in_shows_every_admins_dashboard_which_is_kept_as_a_screenshot(gateway, page):
    sign_in(page, gateway, "identity", "admin@mercato.local")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    panels = {}
    for service in SERVICES:
        page.goto(f"{gateway}/{service.name}/admin/")
        panels[service.name] = page.locator(".dashboard-panel").count()
        page.screenshot(path=SCREENSHOTS / f"{service.name}.png", full_page=True)

    assert all(panels.values()), f"panels per dashboard: {panels}"
    assert sorted(path.name for path in SCREENSHOTS.glob("*.png")) == sorted(
        f"{service.name}.png" for service in SERVICES
    )


def confirmed_order(shop) -> str:
    customer = shop.new_customer()
    product_id = shop.new_product(on_hand=5)
    order_id = shop.placed(customer["token"], [(product_id, 1)], "pm_card_ok")
    shop.settled(customer["token"], order_id, into={"CONFIRMED"})
    return order_id


def run_action(page, changelist: str, record_id: str, action: str) -> None:
    """Ticks the record in the admin's list, picks the action, and says yes on its confirmation."""
    page.goto(f"{changelist}?q={record_id}")
    page.check(f"input[name=_selected_action][value='{record_id}']")
    page.select_option("select[name=action]", action)
    with page.expect_navigation():
        page.click("button[name=index]")
    confirm = page.locator(".mercato-confirm-action input[type=submit]")
    assert confirm.count() == 1, page.inner_text("#content")
    with page.expect_navigation():
        confirm.click()


def test_finance_refunds_an_order_in_the_orders_admin_and_sees_it_refunded_in_payments(
    gateway, shop, page
):
    order_id = confirmed_order(shop)
    sign_in(page, gateway, "orders", "finance@mercato.local")

    run_action(page, f"{gateway}/orders/admin/orders/order/", order_id, "refund")

    assert "refund requested" in page.inner_text(".messagelist")

    def payment_status() -> str:
        page.goto(f"{gateway}/payments/admin/payments/payment/?order_id={order_id}")
        return page.inner_text("#result_list td.field-status")

    eventually(
        lambda: payment_status() == "Refunded",
        timeout=30,
        what=lambda: f"the payment refunded, seen as {payment_status()!r}",
    )


def test_support_is_refused_the_refund(gateway, shop, page):
    order_id = confirmed_order(shop)
    sign_in(page, gateway, "orders", "support@mercato.local")

    page.goto(f"{gateway}/orders/admin/orders/order/?q={order_id}")
    offered = page.locator("select[name=action] option").all_inner_texts()
    forged = page.request.post(
        f"{gateway}/orders/admin/orders/order/",
        form={
            "action": "refund",
            "_selected_action": order_id,
            "confirmed": "yes",
            "csrfmiddlewaretoken": page.input_value("input[name=csrfmiddlewaretoken]"),
        },
        headers={"Referer": f"{gateway}/orders/admin/orders/order/"},
    )

    assert not any("Refund" in option for option in offered), offered
    assert forged.status in (200, 403), forged.text()[:500]
    assert "refund requested" not in forged.text()
    assert shop.order(shop.sign_in("support@mercato.local"), order_id)["status"] == "CONFIRMED"


def test_signing_out_of_one_admin_signs_out_of_all(gateway, page):
    sign_in(page, gateway, "orders", "admin@mercato.local")
    page.goto(f"{gateway}/payments/admin/")

    with page.expect_navigation():
        page.click("#logout-form [type=submit]")

    assert "/identity/operator/sign-in/" in page.url
    for service in SERVICES:
        page.goto(f"{gateway}/{service.name}/admin/")
        assert page.locator(SIGN_IN_FORM).count() == 1, service.name
        assert "/identity/operator/" in page.url


def test_a_customer_is_refused_with_a_reason(gateway, page):
    sign_in(page, gateway, "catalog", "customer@mercato.local")

    assert page.url == f"{gateway}/catalog/admin/"
    assert "This account may not use this admin." in page.inner_text(".errornote")


def test_a_catalog_manager_edits_a_price_in_the_catalog_admin(gateway, platform, http, page):
    product = a_product(http, platform)
    new_price = str(Decimal(product["price"]) + Decimal("1.00"))

    sign_in(page, gateway, "catalog", "manager@mercato.local")
    page.goto(product_admin_url(gateway, product))
    page.fill("#id_price", new_price)
    page.click("input[name=_save]")

    assert "was changed successfully" in page.inner_text(".messagelist")
    assert a_product(http, platform)["price"] == new_price


def test_a_form_saved_after_the_access_cookie_expired_is_saved_through_the_renewal(
    gateway, platform, http, page
):
    product = a_product(http, platform)
    new_price = str(Decimal(product["price"]) + Decimal("2.00"))

    sign_in(page, gateway, "catalog", "manager@mercato.local")
    page.goto(product_admin_url(gateway, product))
    page.fill("#id_price", new_price)
    # What the browser does once the cookie's max-age, the access token's lifetime, has passed.
    page.context.clear_cookies(name=ACCESS_COOKIE)
    page.click("input[name=_save]")

    shown = messages_shown(page)
    assert "was changed successfully" in shown, shown
    assert a_product(http, platform)["price"] == new_price


def messages_shown(page) -> str:
    """The admin's messages once the page has them, else where the browser is and what it shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return page.inner_text(".messagelist", timeout=15_000)
    except PlaywrightTimeout:
        return f"no messages at {page.url}: {page.content()[:2000]}"


def test_support_sees_a_product_but_has_no_save_button(gateway, platform, http, page):
    product = a_product(http, platform)

    sign_in(page, gateway, "catalog", "support@mercato.local")
    page.goto(product_admin_url(gateway, product))

    assert product["name"] in page.inner_text("#content")
    assert page.locator("input[name=_save]").count() == 0


def test_the_manager_signed_in_once_is_greeted_in_the_orders_admin(gateway, page):
    sign_in(page, gateway, "catalog", "manager@mercato.local")
    page.goto(f"{gateway}/orders/admin/")

    assert page.locator("#site-name").count() == 1
    assert "MANAGER@MERCATO.LOCAL" in page.inner_text("#user-tools").upper()


def test_the_admin_works_within_its_content_security_policy(gateway, platform, http, page):
    """Every admin page is sent with the policy, and nothing on one is refused by it: a refusal
    would leave a script, a style or an icon out."""
    refusals = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    product = a_product(http, platform)

    sign_in(page, gateway, "catalog", "manager@mercato.local")
    pages = [
        page.goto(f"{gateway}{path}")
        for path in (
            "/catalog/admin/",
            "/catalog/admin/catalog/product/?q=Kenya",
            f"/catalog/admin/catalog/product/{product['id']}/change/",
        )
    ]

    assert all("'self'" in shown.headers["content-security-policy"] for shown in pages)
    assert page.locator("#id_price").count() == 1
    assert refusals == []
