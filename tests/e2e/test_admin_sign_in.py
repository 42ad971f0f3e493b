"""Operators in a real browser: one identity account signs in to every admin, roles decide."""

import shutil
from decimal import Decimal

import pytest

from tests.e2e.shop import DEMO_PASSWORD, answered

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


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


def sign_in(page, platform, service: str, email: str) -> None:
    page.goto(platform.url(service, f"/{service}/admin/"))
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():  # the next goto must not cancel the sign-in's own request
        page.click("input[type=submit]")


def a_product(http, platform) -> dict:
    url = platform.url("catalog", "/catalog/api/v1/products/?search=Kenya")
    return answered(http.get(url, timeout=5), 200).json()["results"][0]


def product_admin_url(platform, product: dict) -> str:
    return platform.url("catalog", f"/catalog/admin/catalog/product/{product['id']}/change/")


def test_a_catalog_manager_edits_a_price_in_the_catalog_admin(platform, http, page):
    product = a_product(http, platform)
    new_price = str(Decimal(product["price"]) + Decimal("1.00"))

    sign_in(page, platform, "catalog", "manager@mercato.local")
    page.goto(product_admin_url(platform, product))
    page.fill("#id_price", new_price)
    page.click("input[name=_save]")

    assert "was changed successfully" in page.inner_text(".messagelist")
    assert a_product(http, platform)["price"] == new_price


def test_support_sees_a_product_but_has_no_save_button(platform, http, page):
    product = a_product(http, platform)

    sign_in(page, platform, "catalog", "support@mercato.local")
    page.goto(product_admin_url(platform, product))

    assert product["name"] in page.inner_text("#content")
    assert page.locator("input[name=_save]").count() == 0


def test_a_customer_is_refused_with_a_reason(platform, page):
    sign_in(page, platform, "catalog", "customer@mercato.local")

    assert "This account may not use this admin." in page.inner_text(".errornote")
    assert page.url.endswith("/catalog/admin/login/?next=/catalog/admin/")


def test_the_same_manager_account_signs_in_to_the_orders_admin(platform, page):
    sign_in(page, platform, "orders", "manager@mercato.local")

    assert page.locator("#site-name").count() == 1
    assert "/orders/admin/login/" not in page.url
    assert "MANAGER@MERCATO.LOCAL" in page.inner_text("#user-tools").upper()


def test_the_admin_works_within_its_content_security_policy(platform, http, page):
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

    sign_in(page, platform, "catalog", "manager@mercato.local")
    pages = [
        page.goto(platform.url("catalog", path))
        for path in (
            "/catalog/admin/",
            "/catalog/admin/catalog/product/?q=Kenya",
            f"/catalog/admin/catalog/product/{product['id']}/change/",
        )
    ]

    assert all("'self'" in shown.headers["content-security-policy"] for shown in pages)
    assert page.locator("#id_price").count() == 1
    assert refusals == []
