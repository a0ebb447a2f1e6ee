"""Kill a real server process in the middle of a booking: nothing partial may be left behind.

The production server (gunicorn) runs on a fresh database of its own (SQLite in the SQLite pass, a
new PostgreSQL database in the PostgreSQL pass). A test-only pause point (`cas.core.faults`, on only
when CAS_FAULT_PAUSE is set) holds the request inside the booking's transaction after every row is
written; the test then sends SIGKILL to the server. Afterwards every table holds exactly the rows it
held before the request (compared by a hash of each table's rows), and on a restarted server the
same request, with the same idempotency key, goes through as if for the first time.
"""

import threading
import uuid

import pytest
import requests

from tests.reliability.harness import VENDORS, VOLATILE, Database, Server, wait_for

SETUP = """
from cas.accounts.services import create_api_token, create_user
from cas.core.roles import Role
from cas.reference.models import ProbationRegion
from tests.estate_factories import make_estate

user = create_user(None, username="kill.assessor", first_name="Kim", last_name="Assessor",
    email="kim.assessor@justice.gov.uk", roles=[Role.CAS3_ASSESSOR],
    region=ProbationRegion.objects.get(delius_code="N51"), password="Killing-it-softly-42")
_, token = create_api_token(None, user, "kill test")
_, (bedspace,) = make_estate("N51", bedspaces=1)
print("WORLD", token, bedspace.pk)
"""


@pytest.fixture(scope="module", params=VENDORS)
def world(request, tmp_path_factory):
    """One migrated database per module (migrating is the slow part), with an assessor's API token
    and a bedspace; each test adds to it."""
    tmp = tmp_path_factory.mktemp("killed-booking")
    db = Database.fresh(request.param, tmp)
    try:
        db.manage("migrate", "--no-input")
        token, bedspace = next(line for line in db.shell(SETUP).splitlines() if line.startswith("WORLD")).split()[1:]
        yield db, tmp, token, bedspace
    finally:
        db.drop()


def stable(digests: dict) -> dict:
    return {table: value for table, value in digests.items() if table not in VOLATILE}


def kill_mid_request(db: Database, tmp, point: str, send) -> None:
    """Start a server that pauses at `point`, send the request, SIGKILL the server once the request
    is inside its transaction, and check that no table changed."""
    marker = tmp / f"{point}-{uuid.uuid4().hex[:6]}.paused"
    server = Server(db, CAS_FAULT_PAUSE=point, CAS_FAULT_MARKER=str(marker), CAS_FAULT_PAUSE_SECONDS="60")
    before = stable(db.digests())
    outcome = {}

    def call():
        try:
            outcome["response"] = send(server.base)
        except requests.RequestException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=call)
    thread.start()
    try:
        paused = wait_for(marker)
        assert paused.startswith(point)
    finally:
        server.kill()
        thread.join(timeout=30)
    assert "error" in outcome, f"the request finished before the kill: {outcome}"
    after = stable(db.digests())
    changed = {t for t in before if before[t] != after.get(t)}
    assert changed == set(), f"tables changed by a request killed mid-transaction: {sorted(changed)}"


def api(base, token, method, path, body, key):
    return requests.request(
        method,
        f"{base}/api/v1/{path}",
        json=body,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        timeout=90,
    )


def test_a_booking_killed_mid_transaction_leaves_nothing_then_goes_through(world):
    import datetime as dt

    db, tmp, token, bedspace = world
    arrival = dt.date.today() + dt.timedelta(days=3)
    body = {
        "crn": "X100001",
        "arrival_date": arrival.isoformat(),
        "departure_date": (arrival + dt.timedelta(days=14)).isoformat(),
    }
    path = f"placements/bedspaces/{bedspace}/bookings"
    kill_mid_request(db, tmp, "booking.create", lambda base: api(base, token, "POST", path, body, "book-1"))
    assert db.counts(["placements_booking"])["placements_booking"] == 0

    # Restarted, the service takes the same request (same key: no key was kept) as new.
    server = Server(db)
    try:
        created = api(server.base, token, "POST", path, body, "book-1")
        assert created.status_code == 201, created.text
        assert "Idempotent-Replayed" not in created.headers
        booking = created.json()
        assert booking["status"] == "provisional"

        # Now kill the server in the middle of confirming that booking.
        confirm = f"bookings/{booking['id']}/confirmation"
        server.kill()
        kill_mid_request(
            db, tmp, "booking.confirm", lambda base: api(base, token, "POST", confirm, {"version": 0}, "confirm-1")
        )
        server = Server(db)
        confirmed = api(server.base, token, "POST", confirm, {"version": 0}, "confirm-1")
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["status"] == "confirmed"
        # The bedspace holds exactly one booking: nothing was left by either killed request.
        assert db.counts(["placements_booking"])["placements_booking"] == 1
    finally:
        server.kill()
