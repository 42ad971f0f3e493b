"""Identity's metrics: every refused sign-in, and an account locked counted once, on the failure
that reached the limit, however often it is tried while locked."""

from common.testing.metrics import metric_value
from tests.identity.conftest import DEMO_PASSWORD, TOKEN_URL

CUSTOMER = "customer@mercato.local"
FAILURES = "mercato_sign_in_failures_total"
LOCKOUTS = "mercato_sign_in_lockouts_total"


def attempt(api_client, password: str):
    return api_client.post(TOKEN_URL, {"email": CUSTOMER, "password": password})


def test_a_wrong_password_is_a_failure_and_a_right_one_is_not(api_client, demo_users):
    failures, lockouts = metric_value(FAILURES), metric_value(LOCKOUTS)

    assert attempt(api_client, "wrong").status_code == 401
    assert attempt(api_client, DEMO_PASSWORD).status_code == 200

    assert metric_value(FAILURES) == failures + 1
    assert metric_value(LOCKOUTS) == lockouts


def test_the_tenth_failure_locks_the_account_once_and_tries_while_locked_fail_again(
    api_client, demo_users
):
    failures, lockouts = metric_value(FAILURES), metric_value(LOCKOUTS)

    statuses = [attempt(api_client, f"wrong-{n}").status_code for n in range(9)]
    assert metric_value(LOCKOUTS) == lockouts
    statuses += [attempt(api_client, "wrong-9").status_code]
    assert metric_value(LOCKOUTS) == lockouts + 1
    statuses += [attempt(api_client, password).status_code for password in ("x", DEMO_PASSWORD)]

    assert statuses == [401] * 9 + [429] * 3
    assert metric_value(LOCKOUTS) == lockouts + 1
    assert metric_value(FAILURES) == failures + 12
