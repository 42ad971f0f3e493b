"""The platform as `make run` starts it: probes, metrics, schemas, the catalog, stop and restart."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from services import SERVICE_NAMES
from tests.e2e.shop import Shop, answered, described

pytestmark = pytest.mark.e2e


def all_products(http, platform) -> list[dict]:
    products, url = [], platform.url("catalog", "/catalog/api/v1/products/?page_size=10")
    while url:
        page = answered(http.get(url, timeout=5), 200).json()
        products += page["results"]
        url = page["next"]
    return products


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_service_is_ready_live_and_documented(platform, http, service):
    ready = answered(http.get(platform.url(service, "/healthz/ready"), timeout=5), 200)
    live = http.get(platform.url(service, "/healthz/live"), timeout=5)
    schema = http.get(
        platform.url(service, f"/{service}/api/schema/"),
        headers={"Accept": "application/vnd.oai.openapi+json"},
        timeout=5,
    )
    assert all(check["ok"] for check in ready.json()["checks"].values()), described(ready)
    assert live.status_code == 200, described(live)
    assert answered(schema, 200).json()["openapi"].startswith("3.")


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_service_exports_valid_prometheus_text(platform, http, service):
    metrics = answered(http.get(platform.url(service, "/metrics"), timeout=5), 200)
    families = {family.name for family in text_string_to_metric_families(metrics.text)}
    assert "django_http_requests_before_middlewares" in families


def test_the_catalog_lists_every_demo_product_across_pages(platform, http):
    products = all_products(http, platform)
    assert len(products) >= 24
    assert len({product["id"] for product in products}) == len(products)
    assert len({product["category"]["slug"] for product in products}) >= 4


def test_requests_served_by_different_workers_all_show_in_metrics(platform, http):
    def count() -> float:
        return Shop(platform, http).metric(
            "catalog",
            "django_http_responses_total_by_status_view_method_total",
            view="category-list",
        )

    before = count()
    url = platform.url("catalog", "/catalog/api/v1/categories/")
    # Separate connections from several threads reach both gunicorn workers.
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: requests.get(url, timeout=5), range(40)))
    assert [described(answer) for answer in answers if answer.status_code != 200] == []
    metric_files = list((platform.home / "metrics" / "catalog").glob("counter_*.db"))
    assert len(metric_files) >= 2, "both workers should have served and counted requests"
    assert count() - before == 40


def test_ctrl_c_stops_every_process_and_a_restart_keeps_the_data(platform, http):
    products_before = all_products(http, platform)
    platform.stop()
    assert platform.process.returncode == 0
    assert platform.leftover_processes() == []
    platform.start()
    products_after = all_products(http, platform)
    assert sorted(p["id"] for p in products_after) == sorted(p["id"] for p in products_before)
