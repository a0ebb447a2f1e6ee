"""Hardening, checked end to end: Content Security Policy without unsafe inline code, HSTS over TLS,
Secure and HttpOnly cookies with `__Host-` names in production, frame and referrer policies,
no-store on anything with personal data, sessions that end after inactivity, lockout after failed
sign-ins, password rules, and production settings that take secrets from the environment only."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cas.accounts import throttle
from cas.core.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Correct-horse-battery-42"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("accounts:sign-in"), {"username": username, "password": password}, **extra)


@pytest.fixture
def user():
    person = make_user(Role.CAS3_ASSESSOR, username="hardening.user")
    person.set_password(PASSWORD)
    person.save()
    return person


# Headers on every page --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["accounts:sign-in", "web:accessibility", "web:privacy"])
def test_content_security_policy_forbids_inline_code_and_framing(client, name):
    response = client.get(reverse(name))
    csp = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split(";") if part
    )
    assert csp["default-src"] == "'self'"
    assert csp["script-src"].startswith("'self' 'nonce-")
    assert csp["style-src"] == "'self'"
    for directive in ("script-src", "style-src", "default-src"):
        assert "unsafe-inline" not in csp[directive] and "unsafe-eval" not in csp[directive]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["form-action"] == "'self'" and csp["base-uri"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_is_sent_over_tls_only(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    over_tls = client.get(reverse("accounts:sign-in"), secure=True)
    assert over_tls["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get(reverse("accounts:sign-in"))
    # Behind the TLS proxy the scheme comes from X-Forwarded-Proto (BEHIND_TLS_PROXY, on in production).
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = client.get(reverse("accounts:sign-in"), headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in proxied


def test_cookies_are_secure_http_only_and_host_prefixed_when_secure(client, settings, user):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-cas_session", "__Host-cas_csrftoken"
    client.get(reverse("accounts:sign-in"), secure=True)
    response = sign_in(client, user.username, secure=True)
    assert response.status_code == 302
    for name in ("__Host-cas_session", "__Host-cas_csrftoken", "__Host-cas_device"):
        cookie = response.cookies.get(name) or client.cookies[name]
        assert cookie["secure"] and cookie["httponly"], name
        assert cookie["path"] == "/" and not cookie["domain"], name  # what the __Host- prefix requires
    assert response.cookies["__Host-cas_session"]["samesite"] == "Lax"


def test_production_settings_come_from_the_environment_and_are_strict():
    code = (
        "import json, config.settings as s; print(json.dumps({k: getattr(s, k) for k in ("
        "'DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_NAME','CSRF_COOKIE_NAME',"
        "'SESSION_COOKIE_HTTPONLY','CSRF_COOKIE_HTTPONLY','SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        "'SECURE_PROXY_SSL_HEADER','SESSION_COOKIE_AGE','SESSION_SAVE_EVERY_REQUEST','X_FRAME_OPTIONS',"
        "'ALLOWED_HOSTS')}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAS_", "SECURE", "SESSION", "DEBUG"))}
    env.update(CAS_ENV="production", SECRET_KEY="from-the-environment", ALLOWED_HOSTS="cas.example.gov.uk")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    production = json.loads(out.stdout.strip().splitlines()[-1])
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"] and production["CSRF_COOKIE_HTTPONLY"]
    assert production["SESSION_COOKIE_NAME"] == "__Host-cas_session"
    assert production["CSRF_COOKIE_NAME"] == "__Host-cas_csrftoken"
    assert production["SECURE_HSTS_SECONDS"] >= 31536000 and production["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["SESSION_COOKIE_AGE"] == 30 * 60 and production["SESSION_SAVE_EVERY_REQUEST"]
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["ALLOWED_HOSTS"] == ["cas.example.gov.uk"]
    # Without SECRET_KEY in the environment production refuses to start: no default secret exists.
    del env["SECRET_KEY"]
    refused = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "SECRET_KEY must be set in the environment" in refused.stderr


# Personal data is never cached -------------------------------------------------------------------


def test_pages_and_api_answers_for_signed_in_users_are_not_stored(client, user):
    client.force_login(user)
    for url in (reverse("web:booking-list"), reverse("web:placement-search"), reverse("api:bookings")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


# Sessions, lockout and passwords ----------------------------------------------------------------


def test_sessions_end_after_inactivity(client, settings, user):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert sign_in(client, user.username).status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    left = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
    # Activity pushes the expiry on ...
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get(reverse("web:booking-list")).status_code == 200
    assert Session.objects.get(pk=session.pk).expire_date - timezone.now() > dt.timedelta(minutes=29)
    # ... and 30 minutes without any ends the session: the next page asks to sign in again.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("web:booking-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign-in"))


def test_repeated_failed_sign_ins_lock_the_account(client, settings, user):
    assert settings.CAS_LOCKOUT_THRESHOLD == 5
    for _ in range(settings.CAS_LOCKOUT_THRESHOLD):
        sign_in(client, user.username, "wrong-password-123")
    user.refresh_from_db()
    assert throttle.is_locked(user.username)
    assert "Your account is locked" in sign_in(client, user.username).content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Short-1", "too short"),
        ("password1234", "too common"),
        ("839201746352", "entirely numeric"),
        ("hardening.user", "too similar"),
        ("Long-passphrase " * 9, "128 characters or fewer"),
    ],
)
def test_password_rules(user, password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert reason in " ".join(refused.value.messages)


def test_good_passwords_pass_long_ones_included(user):
    validate_password("Accommodation-for-all-2026", user)
    validate_password("a long passphrase made of several ordinary words, 64 or more chars", user)


# Errors say nothing about their cause, and give a reference --------------------------------------


def test_unexpected_errors_show_a_generic_message_with_a_reference(rf):
    from django.contrib.auth.models import AnonymousUser

    from cas.web.views.errors import server_error

    page_request = rf.get("/bookings")
    page_request.request_id, page_request.user = "abc123def456", AnonymousUser()
    page = server_error(page_request).content.decode()
    assert "Sorry, there is a problem with the service" in page and "quote reference abc123def456" in page
    assert "Traceback" not in page
    api_request = rf.get("/api/v1/bookings")
    api_request.request_id = "abc123def456"
    answer = json.loads(server_error(api_request).content)
    assert answer == {
        "type": "urn:cas:problem:server_error",
        "title": "Sorry, there is a problem with the service.",
        "status": 500,
        "detail": "Sorry, there is a problem with the service.",
        "code": "server_error",
        "request_id": "abc123def456",
    }


def test_a_nul_character_in_the_query_string_is_a_bad_request(client):
    """PostgreSQL text cannot hold NUL: a filter carrying one must be refused, not crash the query."""
    assessor = make_user(Role.CAS3_ASSESSOR, region_code="N51", username="nul.assessor")
    client.force_login(assessor)
    page = client.get(reverse("web:review-queue", args=["unallocated"]), {"q": "Ann\x00"})
    assert page.status_code == 400 and "text/html" in page["Content-Type"]
    api = client.get(reverse("api:event-feed"), {"type": "\x00"})
    assert api.status_code == 400 and api["Content-Type"] == "application/problem+json"
    assert client.get(reverse("web:review-queue", args=["unallocated"]), {"q": "Ann"}).status_code == 200
