"""`scripts/run`'s server (manage.py runserver, development settings) answers a path that climbs out
of the static folder with 404, as gunicorn does: static files are WhiteNoise's in both modes. With
the quick start's settings (no DEBUG) a page that does not exist is the service's own 404 page, not
Django's debug page listing every URL."""

import http.client
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from tests.reliability.harness import ROOT, Database, free_port


def raw_get(port: int, path: str) -> str:
    """The status line for a path sent as it is (HTTP clients would tidy the dots away)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        return s.recv(100).split(b"\r\n")[0].decode()


@contextmanager
def development_server(db: Database):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=db.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                raw_get(port, "/health")
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.kill()
        server.wait(timeout=10)


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def test_a_static_path_that_climbs_out_is_not_found(tmp_path):
    db = Database.fresh("sqlite", tmp_path, DEBUG="true")
    db.manage("migrate", "--no-input")
    with development_server(db) as port:
        for path in ("/static/../x", "/static/%2e%2e/x", "/static/..%2fx", "/static/../../etc/passwd"):
            assert raw_get(port, path).endswith("404 Not Found"), path
        assert raw_get(port, "/static/vendor/govuk-frontend/assets/images/favicon.ico").endswith("200 OK")


def test_the_quick_start_shows_the_services_own_not_found_page(tmp_path):
    db = Database.fresh("sqlite", tmp_path)
    del db.env["DEBUG"]  # as scripts/run leaves it
    db.manage("migrate", "--no-input")
    with development_server(db) as port:
        status, body = get(port, "/no-such-page/")
        assert status == 404
        assert "Page not found" in body and "govuk-header" in body
        assert "URLconf" not in body and "api/v1" not in body
        # The page's own styles are still served.
        assert get(port, "/static/vendor/govuk-frontend/assets/images/favicon.ico")[0] == 200
