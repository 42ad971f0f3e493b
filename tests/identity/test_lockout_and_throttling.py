"""Brute force: an account locks after ten wrong passwords; too many requests get a 429."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessLog
from django.utils import timezone

from apps.accounts.models import User
from tests.identity.conftest import DEMO_PASSWORD, THROTTLED_ADDRESS, TOKEN_URL

CUSTOMER = "customer@mercato.local"


def attempt(api_client, password: str, email: str = CUSTOMER):
    return api_client.post(TOKEN_URL, {"email": email, "password": password})


def test_ten_wrong_passwords_lock_the_account_even_against_the_right_one(api_client, demo_users):
    failures = [attempt(api_client, f"wrong-{n}").status_code for n in range(10)]

    locked = attempt(api_client, DEMO_PASSWORD)

    assert failures == [401] * 9 + [429]  # the tenth failure already answers with the lock
    assert locked.status_code == 429
    assert locked.json()["type"] == "urn:mercato:problem:account_locked"
    assert locked.json()["detail"] == (
        "This account is locked after 10 failed sign-ins. Try again in 15 minutes."
    )
    assert locked["Retry-After"] == "900"


def test_the_lock_is_per_account(api_client, demo_users):
    for n in range(10):
        attempt(api_client, f"wrong-{n}")

    assert attempt(api_client, DEMO_PASSWORD, email="support@mercato.local").status_code == 200


def test_the_lock_lifts_when_the_cool_off_has_passed(api_client, demo_users, settings):
    for n in range(10):
        attempt(api_client, f"wrong-{n}")

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert attempt(api_client, DEMO_PASSWORD).status_code == 200


def test_a_successful_sign_in_clears_the_failures_before_it(api_client, demo_users):
    for n in range(9):
        attempt(api_client, f"wrong-{n}")

    signed_in = attempt(api_client, DEMO_PASSWORD)
    after = [attempt(api_client, f"again-{n}").status_code for n in range(9)]

    assert signed_in.status_code == 200
    assert after == [401] * 9
    assert not AccessAttempt.objects.filter(username=CUSTOMER, failures_since_start__gte=10)


def test_a_successful_sign_in_is_logged_and_sets_the_last_login(api_client, demo_users):
    assert attempt(api_client, DEMO_PASSWORD).status_code == 200

    assert AccessLog.objects.filter(username=CUSTOMER).count() == 1
    assert User.objects.get(email=CUSTOMER).last_login is not None


def test_exceeding_a_throttle_rate_is_a_429_problem_with_retry_after(
    api_client, demo_users, strict_sign_in_rate
):
    address = {"REMOTE_ADDR": THROTTLED_ADDRESS}
    answers = [
        api_client.post(TOKEN_URL, {"email": CUSTOMER, "password": "x"}, **address)
        for _ in range(4)
    ]

    throttled = answers[-1]
    assert [answer.status_code for answer in answers] == [401, 401, 401, 429]
    assert throttled.json()["type"] == "urn:mercato:problem:throttled"
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_a_failed_sign_in_is_recorded_with_the_address_the_throttles_see(
    api_client, demo_users, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    api_client.post(
        TOKEN_URL,
        {"email": CUSTOMER, "password": "x"},
        HTTP_X_FORWARDED_FOR=f"203.0.113.9, {THROTTLED_ADDRESS}",
        REMOTE_ADDR="10.0.0.5",
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [THROTTLED_ADDRESS]
