"""Two refreshes of one refresh token at the same moment: exactly one of them gets new tokens."""

from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from threading import Barrier

import pytest
from django.core.management import call_command
from django.db import connection

from apps.accounts.models import User
from apps.accounts.services import token_pair_for, token_refresh
from common.api.errors import ApplicationError


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_of_one_token_let_exactly_one_through(fast_password_hasher):
    call_command("load_demo_data", stdout=StringIO())
    refresh = token_pair_for(User.objects.get(email="customer@mercato.local"))["refresh"]
    start_together = Barrier(2)

    def refresh_once() -> str:
        start_together.wait()
        try:
            token_refresh(refresh=refresh)
            return "refreshed"
        except ApplicationError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(lambda _: refresh_once(), range(2)))

    assert outcomes == ["refreshed", "token_not_valid"]
