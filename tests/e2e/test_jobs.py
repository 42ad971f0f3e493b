"""Background jobs on the real platform: an import and an export asked for while the broker is
down are accepted, wait QUEUED, and finish once it is back (the beat sweep sends them again)."""

import uuid

import pytest

from tests.e2e.shop import DEMO_CATEGORY, Shop, eventually

pytestmark = pytest.mark.e2e


def job_of(shop: Shop, token: str, service: str, path: str) -> dict:
    response = shop.call("GET", service, path, token=token)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_import_and_an_export_asked_for_while_the_broker_is_down_finish_once_it_is_back(
    shop, broker
):
    manager = shop.sign_in("manager@mercato.local")
    finance = shop.sign_in("finance@mercato.local")
    sku = f"E2E-{uuid.uuid4().hex[:10]}"
    csv = f"sku,name,price,currency,category\n{sku},Imported {sku},3.50,EUR,{DEMO_CATEGORY}\n"

    broker.cut()
    try:
        imported = shop.call(
            "POST",
            "catalog",
            "imports/",
            token=manager,
            files={"file": ("products.csv", csv.encode(), "text/csv")},
        )
        exported = shop.call("POST", "orders", "orders/exports/", token=finance, json={})
        assert imported.status_code == 202, imported.text
        assert exported.status_code == 202, exported.text
        import_path = f"imports/{imported.json()['id']}/"
        export_path = f"orders/exports/{exported.json()['id']}/"
        assert job_of(shop, manager, "catalog", import_path)["status"] == "QUEUED"
        assert job_of(shop, finance, "orders", export_path)["status"] == "QUEUED"
    finally:
        broker.restore()

    finished = {"SUCCEEDED", "FAILED"}
    product_import = eventually(
        lambda: (
            (job := job_of(shop, manager, "catalog", import_path))["status"] in finished and job
        ),
        timeout=90,
        what="the import to finish",
    )
    export = eventually(
        lambda: (job := job_of(shop, finance, "orders", export_path))["status"] in finished and job,
        timeout=90,
        what="the export to finish",
    )
    assert (product_import["status"], product_import["created"]) == ("SUCCEEDED", 1), product_import
    assert export["status"] == "SUCCEEDED", export
    listed = job_of(shop, manager, "catalog", "imports/")["results"]
    assert listed[0]["id"] == imported.json()["id"], listed
