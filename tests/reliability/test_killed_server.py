"""Kill a real server process in the middle of an import: nothing partial may be left behind.

Runs the production server (gunicorn) on its own SQLite file, signs in as a reporter, uploads a
large file of placements and sends SIGKILL to the server while the import is running. The import
is one transaction, so afterwards the database has either none of the file or all of it, never
part; the test makes the file big enough that the kill lands mid-import, and checks it did.
"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
# The server gets its own SQLite file whatever the suite runs on, so run it once, in the SQLite pass.
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite pass")
ROWS = 150_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


@pytest.fixture
def server_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        CAS_ENV="development", SQLITE_PATH=str(tmp_path / "kill.sqlite3"), DEBUG="false", REQUEST_LOG_LEVEL="WARNING"
    )
    manage(env, "migrate", "--no-input")
    code = (
        "from cas.accounts.services import create_user; from cas.core.roles import Role; "
        "from cas.reference.models import ProbationRegion; "
        "create_user(None, username='kill.reporter', first_name='K', last_name='R', email='k@justice.gov.uk', "
        "roles=[Role.REPORTER], region=ProbationRegion.objects.get(delius_code='NA'), password='Killing-it-softly-42')"
    )
    manage(env, "shell", "-c", code)
    return env


def start_server(env, port):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_up(base):
    for _ in range(100):
        try:
            if requests.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.1)
    raise AssertionError("server did not start")


def signed_in_session(base):
    session = requests.Session()
    page = session.get(f"{base}/account/sign-in")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/account/sign-in",
        data={"csrfmiddlewaretoken": token, "username": "kill.reporter", "password": "Killing-it-softly-42"},
        headers={"Referer": base},
    )
    return session


def big_file() -> bytes:
    lines = ["placement_reference,crn,probation_region,gender_identity,sex,start_date,end_date,move_on_category,source"]
    lines += [f"K{i},X{i % 1000000:06d},Wales,Male,,2025-04-01,2025-05-01,Recalled,manual" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        return (
            conn.execute("select count(*) from reporting_manualplacement").fetchone()[0],
            conn.execute("select count(*) from reporting_placementimport").fetchone()[0],
        )


def test_killing_the_server_mid_import_leaves_nothing_partial(server_env, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(server_env, port)
    try:
        wait_up(base)
        session = signed_in_session(base)
        page = session.get(f"{base}/reports/placements/import")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        outcome = {}

        def upload():
            try:
                outcome["response"] = session.post(
                    f"{base}/reports/placements/import",
                    data={"csrfmiddlewaretoken": token},
                    files={"file": ("big.csv", big_file(), "text/csv")},
                    headers={"Referer": base},
                    timeout=120,
                )
            except requests.RequestException as exc:
                outcome["error"] = exc

        wal = tmp_path / "kill.sqlite3-wal"
        baseline = wal.stat().st_size if wal.exists() else 0
        thread = threading.Thread(target=upload)
        thread.start()
        # Wait until the import is writing rows (the write-ahead log grows inside the open
        # transaction), then kill the server in the middle of it.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (wal.stat().st_size if wal.exists() else 0) < baseline + 2_000_000:
            time.sleep(0.05)
        assert (wal.stat().st_size if wal.exists() else 0) >= baseline + 2_000_000, "the import never started writing"
        os.killpg(server.pid, signal.SIGKILL)
        thread.join(timeout=30)
        server.wait(timeout=10)
        assert "error" in outcome, "the import finished before the kill; make the file bigger"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)

    assert counts(tmp_path / "kill.sqlite3") == (0, 0)
    # The service comes back and the same file then imports completely.
    server = start_server(server_env, port)
    try:
        wait_up(base)
        assert counts(tmp_path / "kill.sqlite3") == (0, 0)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
