"""Two refreshes of one refresh token at the same moment: exactly one of them gets new tokens.

The race is staged, not hoped for: one transaction blacklists the token and holds its commit
until the other refresh, having already passed the blacklist check, waits on PostgreSQL's lock
for the same row. Only the database's unique constraint can then tell the second one apart.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from apps.accounts.models import User
from apps.accounts.services import token_pair_for, token_refresh
from apps.accounts.tokens import RefreshToken
from common.errors import ApplicationError
from common.testing.races import start_late


@pytest.mark.django_db(transaction=True)
def test_a_refresh_that_loses_the_race_for_the_blacklist_is_refused(fast_password_hasher):
    call_command("load_demo_data", stdout=StringIO())
    refresh = token_pair_for(User.objects.get(email="customer@mercato.local"))["refresh"]
    outcome = {}

    def late_refresh() -> None:
        try:
            token_refresh(refresh=refresh)
            outcome["late"] = "refreshed"
        except ApplicationError as error:
            outcome["late"] = error.code

    with transaction.atomic():
        RefreshToken(refresh).blacklist()  # the winner's write, not committed yet
        late = start_late(late_refresh)
    late.join()

    assert outcome == {"late": "token_not_valid"}
