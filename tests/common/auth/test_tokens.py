"""Token verification loads PyJWT and cryptography at the first token, so a process that never
verifies one (a Celery worker, beat) never holds them in memory."""

import pytest

from common.testing.processes import printed_in_new_process

# What a worker goes through at start: Django, the Celery app with its tasks, a prefork child's
# start; then a token verified, as a web process verifies one per request.
WORKER_START_THEN_TOKEN = """
import json, sys
import django
django.setup()
from celery.signals import worker_process_init
import services.{service}.celery
worker_process_init.send(sender=None)
# redis-py imports cryptography's bare package (its version) to learn whether it is installed.
started = sorted(
    name for name in sys.modules if name.split(".")[0] == "jwt" or name.startswith("cryptography.h")
)
from common.auth.tokens import InvalidToken, verify_access_token
try:
    verify_access_token("not-a-token")
except InvalidToken as error:
    refused = str(error)
print(json.dumps({{"started": started, "refused": refused, "then": "jwt" in sys.modules}}))
"""


@pytest.mark.parametrize("service", ["catalog", "orders"])
def test_a_worker_loads_pyjwt_and_cryptography_only_once_it_verifies_a_token(service):
    outcome = printed_in_new_process(
        WORKER_START_THEN_TOKEN.format(service=service), service=service
    )

    assert outcome["started"] == []
    assert outcome["refused"] == "The token is malformed."
    assert outcome["then"] is True
