"""Kill a real server process in the middle of an import: nothing partial may be left behind.

Runs the production server (gunicorn) on a fresh database of its own (SQLite, or a new PostgreSQL
database in the PostgreSQL pass), signs in as a statistician through the sign-in page and uploads a file
of placements. A test-only pause point (`cas.core.faults`) holds the import inside its transaction
after every row is written, and the test sends SIGKILL to the server there. The import is one
transaction, so afterwards every table holds exactly what it held before (compared by a hash of
each table's rows); the restarted service then imports the same form (same submission key) whole.
"""

import re
import threading
import uuid

import pytest
import requests

from tests.reliability.harness import VENDORS, VOLATILE, Database, Server, wait_for

ROWS = 500
SETUP = """
from cas.accounts.services import create_user
from cas.core.roles import Role
from cas.reference.models import ProbationRegion
create_user(None, username="kill.statistician", first_name="K", last_name="R", email="k@justice.gov.uk",
    roles=[Role.STATISTICIAN], region=ProbationRegion.objects.get(delius_code="NA"), password="Killing-it-softly-42")
"""


@pytest.fixture(params=VENDORS)
def fresh_db(request, tmp_path):
    database = Database.fresh(request.param, tmp_path)
    try:
        database.manage("migrate", "--no-input")
        database.shell(SETUP)
        yield database
    finally:
        database.drop()


def signed_in_session(base):
    session = requests.Session()
    page = session.get(f"{base}/account/sign-in")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/account/sign-in",
        data={"csrfmiddlewaretoken": token, "username": "kill.statistician", "password": "Killing-it-softly-42"},
        headers={"Referer": base},
    )
    return session


def placements_file() -> bytes:
    lines = ["placement_reference,crn,probation_region,gender_identity,sex,start_date,end_date,move_on_category,source"]
    lines += [f"K{i},X{i:06d},Wales,Male,,2025-04-01,2025-05-01,Recalled,manual" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def upload(base, key, session=None):
    session = session or signed_in_session(base)
    page = session.get(f"{base}/reports/placements/import")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{base}/reports/placements/import",
        data={"csrfmiddlewaretoken": token, "submission_key": key},
        files={"file": ("placements.csv", placements_file(), "text/csv")},
        headers={"Referer": base},
        timeout=90,
    )


def test_killing_the_server_mid_import_leaves_nothing_partial(fresh_db, tmp_path):
    db = fresh_db
    marker = tmp_path / "paused"
    server = Server(db, CAS_FAULT_PAUSE="placements.import", CAS_FAULT_MARKER=str(marker))
    # Signing in writes (last sign-in, the audit of it): done before the "before" picture.
    session = signed_in_session(server.base)
    before = {t: v for t, v in db.digests().items() if t not in VOLATILE}
    key = uuid.uuid4().hex
    outcome = {}

    def send():
        try:
            outcome["response"] = upload(server.base, key, session)
        except requests.RequestException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=send)
    thread.start()
    try:
        wait_for(marker)
    finally:
        server.kill()
        thread.join(timeout=30)
    assert "error" in outcome, f"the import finished before the kill: {outcome}"
    after = {t: v for t, v in db.digests().items() if t not in VOLATILE}
    assert {t for t in before if before[t] != after.get(t)} == set()
    assert db.counts(["reporting_manualplacement", "reporting_placementimport"]) == {
        "reporting_manualplacement": 0,
        "reporting_placementimport": 0,
    }

    # The service comes back and the same form then imports completely, once.
    server = Server(db)
    try:
        page = upload(server.base, key)
        assert f"placements.csv imported: {ROWS} added" in page.text
        assert db.counts(["reporting_manualplacement", "reporting_placementimport"]) == {
            "reporting_manualplacement": ROWS,
            "reporting_placementimport": 1,
        }
    finally:
        server.kill()
