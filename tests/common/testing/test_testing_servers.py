"""The HTTP stub answers as scripted, in turn, with any headers, and keeps what it received; a free
port is free."""

import socket

import pytest
import requests

from common.testing.servers import free_port


def test_a_free_port_refuses_connections():
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", free_port()), timeout=1)


def test_answers_come_in_turn_and_the_last_one_repeats(http_stub):
    http_stub.on("POST", "/hooks", (500, None), (204, None))

    statuses = [requests.post(http_stub.url("/hooks"), timeout=5).status_code for _ in range(3)]

    assert statuses == [500, 204, 204]


def test_a_route_matches_its_method_and_path_before_a_catch_all(http_stub):
    http_stub.on(None, None, (503, {"detail": "down"}))
    http_stub.on("GET", "/prices/", lambda request: (200, {"ids": request.query["ids"]}))

    answered = requests.get(http_stub.url("/prices/?ids=a,b"), timeout=5)
    refused = requests.post(http_stub.url("/prices/"), timeout=5)

    assert (answered.status_code, answered.json()) == (200, {"ids": ["a,b"]})
    assert (refused.status_code, refused.json()) == (503, {"detail": "down"})


def test_an_unscripted_request_is_answered_404(http_stub):
    assert requests.get(http_stub.url("/anything"), timeout=5).status_code == 404


def test_each_request_is_kept_with_lower_case_header_names(http_stub):
    http_stub.on("POST", None, (204, None))

    requests.post(http_stub.url("/in?shop=1"), json={"a": 1}, headers={"X-Tag": "t"}, timeout=5)

    (request,) = http_stub.received("/in")
    assert (request.method, request.target, request.path) == ("POST", "/in?shop=1", "/in")
    assert (request.headers["x-tag"], request.json()) == ("t", {"a": 1})
    assert http_stub.received("/elsewhere") == []


def test_an_answer_may_carry_headers_such_as_a_redirects_location(http_stub):
    http_stub.on("GET", "/old", (302, None, {"Location": "/new"}))

    response = requests.get(http_stub.url("/old"), allow_redirects=False, timeout=5)

    assert (response.status_code, response.headers["Location"]) == (302, "/new")
