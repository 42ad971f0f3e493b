"""Fixtures of the suites every service runs."""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from apps.accounts.roles import ADMIN


@pytest.fixture
def everything_client(operator_client: Callable[..., Client]) -> Client:
    """The test client signed in to this service's admin with every scope of the admin role;
    outside identity the operator is also a Django superuser, for the users and groups admin
    Django registers itself."""
    signed_in = operator_client(*ADMIN)
    if settings.SERVICE_NAME != "identity":
        # The operator's row is the only staff row yet.
        get_user_model().objects.filter(is_staff=True).update(is_superuser=True)
    return signed_in
