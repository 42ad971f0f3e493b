"""Bearer-token authentication: once a request's token is verified, its lines name the caller."""

import pytest

pytestmark = pytest.mark.django_db

PRODUCTS = "/catalog/api/v1/products/"


def request_lines(caplog) -> list[dict]:
    return [record.msg for record in caplog.records if isinstance(record.msg, dict)]


def test_the_lines_after_authentication_carry_the_tokens_sub(client, token_minter, caplog):
    response = client.get(PRODUCTS, **token_minter.authorization(subject="user-5b1e"))

    assert response.status_code == 200
    (finished,) = [line for line in request_lines(caplog) if line["event"] == "request_finished"]
    assert finished["sub"] == "user-5b1e"


def test_an_anonymous_request_names_no_sub(client, caplog):
    response = client.get(PRODUCTS)

    assert response.status_code == 200
    assert all("sub" not in line for line in request_lines(caplog))


def test_a_rejected_token_names_no_sub(client, token_minter, caplog):
    response = client.get(PRODUCTS, **token_minter.authorization(exp=1))

    assert response.status_code == 401
    assert all("sub" not in line for line in request_lines(caplog))
