"""Sign-in counts are shared by every process: gunicorn with several workers on a fresh database,
failures sent on fresh connections, and the server killed and started again between them. A count
kept in a per-process cache (as it was) would start again from nothing in the new process."""

import re

import pytest
import requests

from tests.reliability.harness import VENDORS, Database, Server

PASSWORD = "Shared-counts-everywhere-42"
SETUP = f"""
from cas.accounts.services import create_user
from cas.core.roles import Role
from cas.reference.models import ProbationRegion
create_user(None, username="many.workers", first_name="M", last_name="W", email="m@justice.gov.uk",
    roles=[Role.REPORTER], region=ProbationRegion.objects.get(delius_code="NA"), password="{PASSWORD}")
"""
LOCKED = "Your account is locked after too many failed sign-in attempts"
THROTTLED = "Too many failed sign-in attempts from your network"
FAILED = "Enter a correct username and password"
# Through a proxy on 127.0.0.1 that the service trusts: each attempt says which client it came from.
SETTINGS = {
    "CAS_LOCKOUT_THRESHOLD": "3",
    "CAS_IP_THROTTLE_ATTEMPTS": "4",
    "TRUSTED_PROXIES": "127.0.0.1",
}


@pytest.fixture(params=VENDORS)
def fresh_db(request, tmp_path):
    database = Database.fresh(request.param, tmp_path, **SETTINGS)
    try:
        database.manage("migrate", "--no-input")
        database.shell(SETUP)
        yield database
    finally:
        database.drop()


def attempt(base: str, username: str, password: str, client: str) -> str:
    """One sign-in on a new connection (and so, as often as not, another worker); the page's message."""
    with requests.Session() as session:
        headers = {"X-Forwarded-For": client, "Connection": "close"}
        page = session.get(f"{base}/account/sign-in", headers=headers, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = session.post(
            f"{base}/account/sign-in",
            data={"csrfmiddlewaretoken": token, "username": username, "password": password},
            headers={**headers, "Referer": base},
            allow_redirects=False,
            timeout=30,
        )
    if response.status_code == 302:
        return "signed in"
    for message in (LOCKED, THROTTLED, FAILED):
        if message in response.text:
            return message
    raise AssertionError(f"unexpected answer {response.status_code}: {response.text[:500]}")


def test_counts_survive_other_workers_and_a_restart(fresh_db):
    server = Server(fresh_db, workers=3)
    try:
        assert attempt(server.base, "many.workers", "wrong-password-1", "203.0.113.9") == FAILED
        assert attempt(server.base, "no.such.user", "wrong-password-1", "203.0.113.9") == FAILED
        assert attempt(server.base, "many.workers", "wrong-password-2", "198.51.100.7") == FAILED
        assert attempt(server.base, "no.such.user", "wrong-password-2", "198.51.100.7") == FAILED
    finally:
        server.kill()
    # A new server: every process is new, only the database remembers.
    server = Server(fresh_db, workers=3)
    try:
        assert attempt(server.base, "many.workers", "wrong-password-3", "192.0.2.1") == FAILED
        assert attempt(server.base, "no.such.user", "wrong-password-3", "192.0.2.1") == FAILED
        # Three failures each: locked, the real account and the unknown username alike.
        assert attempt(server.base, "many.workers", PASSWORD, "192.0.2.50") == LOCKED
        assert attempt(server.base, "no.such.user", PASSWORD, "192.0.2.50") == LOCKED
        # Per address too: 203.0.113.9 has 2 failures; 2 more are allowed, then it is braked.
        assert attempt(server.base, "sprayed.1", "password-spray-1", "203.0.113.9") == FAILED
        assert attempt(server.base, "sprayed.2", "password-spray-1", "203.0.113.9") == FAILED
        assert attempt(server.base, "sprayed.3", "password-spray-1", "203.0.113.9") == THROTTLED
        # Another client through the same proxy is not braked.
        assert attempt(server.base, "sprayed.3", "password-spray-1", "192.0.2.99") == FAILED
    finally:
        server.kill()
    # The audit has every attempt, with each client's own address.
    addresses = fresh_db.shell(
        "from cas.core.models import AuditEvent; "
        "print(sorted(set(AuditEvent.objects.filter(action__startswith='sign_in.').values_list('ip_address', flat=True))))"
    )
    assert (
        addresses.strip().splitlines()[-1] == "['192.0.2.1', '192.0.2.50', '192.0.2.99', '198.51.100.7', '203.0.113.9']"
    )
