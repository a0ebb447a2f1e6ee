"""The README's production settings, run for real: collected static files, gunicorn with
CAS_ENV=production, on the suite's database, every request arriving as HTTPS from the TLS proxy.

`scripts/test` runs this module on PostgreSQL as a stage of its own (marker `production`): the
sweep walks every page of the URL samples as an anonymous user and as each role, the same walk the
access matrix makes on the test client, and expects the access matrix's answers (so no 500), HTML
pages laid out with the stylesheet the manifest names, and that stylesheet served. Development mode
never reads the manifest, so only this stage sees what only production does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import Client, RequestFactory, override_settings

from cas.core.roles import Role
from tests.reliability.harness import ROOT, Server
from tests.url_samples import all_urls, build, build_context, expected_allowed, post_only, view_rule
from tests.web.test_access_matrix import role_user

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]

HTTPS = {"X-Forwarded-Proto": "https"}
# The session cookie's name under the production settings (secure cookies take the __Host- prefix).
PRODUCTION_SESSION_COOKIE = "__Host-cas_session"
STYLESHEET = re.compile(r'<link[^>]+href="(/static/[^"]+\.css)"')


def production_env(static_root: Path) -> dict:
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "DEBUG")}
    env.update(
        CAS_ENV="production",
        # The suite's key, so the sessions this process makes are valid in the server.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="ERROR",
        REQUEST_LOG_LEVEL="WARNING",
    )
    if db["ENGINE"].endswith("postgresql"):
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env["SQLITE_PATH"] = str(db["NAME"])
    return env


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("static")
    env = production_env(root)
    env["DATABASE_URL"] = env.get("DATABASE_URL", "sqlite:///" + str(root / "unused.sqlite3"))
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (root / "staticfiles.json").exists()
    return root


class _Db:
    """What tests.reliability.harness.Server needs of a database: the environment to run in."""

    def __init__(self, env: dict):
        self.env = env


@pytest.fixture
def server(static_root, tmp_path):
    log = tmp_path / "gunicorn.log"
    running = Server(_Db(production_env(static_root)), workers=2, log=log)
    try:
        yield running
    finally:
        running.kill()
        # The server's own account of any failure, shown with the test's report.
        sys.stdout.write(log.read_text()[-20000:])


def session_cookie(user) -> dict:
    client = Client()
    client.force_login(user)
    return {PRODUCTION_SESSION_COOKIE: client.cookies[settings.SESSION_COOKIE_NAME].value}


def manifest_names(static_root: Path) -> set[str]:
    import json

    return set(json.loads((static_root / "staticfiles.json").read_text())["paths"].values())


def check_page(response, name, static_root, stylesheets: set[str]) -> None:
    """An HTML page names its stylesheet by the manifest's hashed name."""
    if "text/html" not in response.headers.get("Content-Type", ""):
        return
    found = STYLESHEET.findall(response.text)
    assert found, f"{name}: no stylesheet on the page"
    for href in found:
        assert href.removeprefix(settings.STATIC_URL) in manifest_names(static_root), (name, href)
        stylesheets.add(href)


def test_every_page_answers_under_the_production_settings(server, static_root):
    ctx = build_context()
    users = [None, *(role_user(role) for role in Role)]
    skip = post_only()
    stylesheets: set[str] = set()
    failures = []
    checked = 0
    for user in users:
        cookies = session_cookie(user) if user else {}
        for name, callback in all_urls():
            kind, _ = view_rule(callback)
            if name in skip:
                continue
            url = build(name, ctx)
            response = requests.get(
                server.base + url, headers=HTTPS, cookies=cookies, allow_redirects=False, timeout=60
            )
            checked += 1
            who = user.username if user else "anonymous"
            if response.status_code >= 500:
                failures.append((who, name, response.status_code))
                continue
            if user is None:
                allowed = kind == "public"
                expected = (200, 302, 405) if allowed else (302, 401, 403)
            else:
                allowed = kind == "public" or expected_allowed(user, name, callback, ctx)
                expected = (200, 302, 405) if allowed else (403, 404)
            if response.status_code not in expected:
                failures.append((who, name, response.status_code))
                continue
            if response.status_code == 200:
                check_page(response, name, static_root, stylesheets)
    assert not failures, failures
    assert checked > 100
    assert stylesheets, "no page named a stylesheet"
    for href in stylesheets:
        served = requests.get(server.base + href, headers=HTTPS, timeout=30)
        assert served.status_code == 200, href
        assert "text/css" in served.headers["Content-Type"]
        # The manifest's name carries the file's hash, so the file may be cached for ever.
        assert "max-age=315360000" in served.headers.get("Cache-Control", ""), href


def test_the_error_pages_are_pages_of_the_service(server, static_root):
    missing = requests.get(server.base + "/no-such-page", headers=HTTPS, timeout=30)
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    check_page(missing, "404", static_root, set())
    sign_in = requests.get(server.base + "/account/sign-in", headers=HTTPS, timeout=30)
    assert sign_in.status_code == 200
    assert "Strict-Transport-Security" in sign_in.headers
    check_page(sign_in, "sign-in", static_root, set())
    # The GOV.UK template's icons and web manifest live under assetPath, a folder.
    assets = re.findall(r'<link rel="(?:icon|mask-icon|apple-touch-icon|manifest)"[^>]* href="([^"]+)"', sign_in.text)
    assert len(assets) >= 4
    for href in assets:
        assert requests.get(server.base + href, headers=HTTPS, timeout=30).status_code == 200, href


@pytest.mark.parametrize("handler, status", [("bad_request", 400), ("permission_denied", 403), ("server_error", 500)])
def test_the_error_handlers_render_with_the_manifest(static_root, handler, status):
    """A 500 cannot be caused on purpose in the production server, so each handler is rendered
    here with the production static storage reading the collected manifest."""
    from django.contrib.auth.models import AnonymousUser

    from cas.web.views import errors

    production_storage = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=production_storage, STATIC_ROOT=static_root, DEBUG=False):
        request = RequestFactory().get("/anything")
        request.user = AnonymousUser()
        request.session = {}
        response = getattr(errors, handler)(request)
    assert response.status_code == status
    href = STYLESHEET.search(response.content.decode()).group(1)
    assert href.removeprefix(settings.STATIC_URL) in manifest_names(static_root)
