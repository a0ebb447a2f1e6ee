"""Sign-in throttling (`cas/accounts/throttle.py`): limits per username (known or not), per trusted
device and per client address, counted in the database, with the client address taken from
X-Forwarded-For only behind a trusted proxy."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from django.urls import reverse

from cas.accounts import throttle
from cas.accounts.models import SignInFailure
from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-123"
LOCKED = "Your account is locked after too many failed sign-in attempts"
THROTTLED = "Too many failed sign-in attempts from your network"
FAILED = "Enter a correct username and password"


def sign_in(client, username, password=TEST_PASSWORD, **extra):
    return client.post(reverse("accounts:sign-in"), {"username": username, "password": password}, **extra)


def errors(response) -> list[str]:
    """The messages in the page's error summary."""
    body = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)]


def answer(response) -> tuple:
    """What a sign-in attempt tells the person trying: status, where it goes, what the page says."""
    if response.status_code == 302:
        return 302, response["Location"], []
    return response.status_code, None, errors(response)


def from_address(address: str) -> dict:
    return {"REMOTE_ADDR": address}


# An unknown username answers exactly as a real one ---------------------------------------------------


def test_unknown_username_is_counted_and_locked_with_the_same_answers_as_a_real_one(settings):
    settings.CAS_LOCKOUT_THRESHOLD = 3
    real = make_user(Role.CAS3_REFERRER, username="real.person")
    answers = {}
    for username in (real.username, "no.such.person"):
        client = Client()
        answers[username] = [answer(sign_in(client, username, WRONG)) for _ in range(3)]
        # Locked now: even the right password (for the real one) gets the same answer.
        answers[username].append(answer(sign_in(client, username, TEST_PASSWORD)))
        answers[username].append(answer(sign_in(Client(), username.upper(), WRONG)))  # any spelling, any browser
    assert answers[real.username] == answers["no.such.person"]
    assert answers[real.username][0] == (200, None, [FAILED])
    assert LOCKED in answers[real.username][3][2][0] and LOCKED in answers[real.username][4][2][0]
    # The audit tells them apart, for administrators.
    assert AuditEvent.objects.filter(action="sign_in.locked", subject_id=str(real.pk)).count() == 1
    assert AuditEvent.objects.filter(action="sign_in.locked_unknown_user", subject_label="no.such.person").count() == 1
    assert AuditEvent.objects.filter(action="sign_in.refused_locked").count() == 4


def test_lock_counts_failures_in_a_sliding_window_and_refusals_do_not_extend_it(settings):
    settings.CAS_LOCKOUT_THRESHOLD = 2
    user = make_user(Role.CAS3_REFERRER)
    client = Client()
    sign_in(client, user.username, WRONG)
    # A failure older than the window no longer counts.
    SignInFailure.objects.update(occurred_at=F("occurred_at") - dt.timedelta(minutes=settings.CAS_LOCKOUT_MINUTES))
    sign_in(client, user.username, WRONG)
    assert not throttle.is_locked(user.username)
    sign_in(client, user.username, WRONG)
    assert throttle.is_locked(user.username)
    for _ in range(5):
        assert LOCKED in errors(sign_in(client, user.username))[0]
    # Refused attempts are not counted (and the old failure has been deleted, being out of every window).
    assert SignInFailure.objects.filter(username=user.username).count() == 2


# Counts are in the database: every worker and node sees them -----------------------------------------


def test_counts_are_in_the_database_not_a_per_process_cache(settings):
    # No cache at all: counts kept in a cache would be forgotten between requests here, as they were
    # between the workers of one node (each process had its own local-memory cache).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.CAS_LOCKOUT_THRESHOLD = 3
    settings.CAS_IP_THROTTLE_ATTEMPTS = 4
    user = make_user(Role.CAS3_REFERRER)
    # Two browsers, as if on two workers: the failures of both count together.
    first, second = Client(), Client()
    sign_in(first, user.username, WRONG, **from_address("203.0.113.9"))
    cache.clear()
    sign_in(second, user.username, WRONG, **from_address("203.0.113.9"))
    sign_in(first, user.username, WRONG, **from_address("198.51.100.7"))
    assert LOCKED in errors(sign_in(second, user.username, **from_address("192.0.2.1")))[0]
    assert SignInFailure.objects.filter(username=user.username).count() == 3
    # The address brake too: 2 more failures from 203.0.113.9 on other usernames, then it is braked.
    for name in ("nobody.1", "nobody.2"):
        assert errors(sign_in(first, name, WRONG, **from_address("203.0.113.9"))) == [FAILED]
    assert THROTTLED in errors(sign_in(second, "nobody.3", WRONG, **from_address("203.0.113.9")))[0]
    assert AuditEvent.objects.filter(action="sign_in.refused_throttled", subject_label="nobody.3").exists()


def test_attempts_sent_at_once_are_checked_at_most_the_threshold_times(settings, rf):
    """Each attempt is counted before its password is checked, so parallel guesses see each other."""
    settings.CAS_LOCKOUT_THRESHOLD = 3
    request = rf.post("/account/sign-in")
    begun, refused = [], 0
    for _ in range(10):  # ten guesses in flight together: none has finished when the next starts
        try:
            begun.append(throttle.begin(request, "target.user"))
        except throttle.AccountLocked:
            refused += 1
    assert len(begun) == 3 and refused == 7
    assert SignInFailure.objects.count() == 3


def test_old_failures_are_deleted_when_a_failure_is_written(settings):
    make_user(Role.CAS3_REFERRER, username="pruned.user")
    sign_in(Client(), "pruned.user", WRONG)
    longest = max(settings.CAS_LOCKOUT_MINUTES, settings.CAS_IP_THROTTLE_MINUTES)
    SignInFailure.objects.update(occurred_at=F("occurred_at") - dt.timedelta(minutes=longest, seconds=1))
    sign_in(Client(), "someone.else", WRONG)
    assert list(SignInFailure.objects.values_list("username", flat=True)) == ["someone.else"]


# Behind the TLS proxy: each client has its own address ----------------------------------------------


def test_behind_a_trusted_proxy_one_address_cannot_brake_the_others(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.CAS_IP_THROTTLE_ATTEMPTS = 3
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    attacker = Client(headers={"X-Forwarded-For": "203.0.113.9"}, **proxy)
    for i in range(3):
        assert errors(sign_in(attacker, f"sprayed.{i}", WRONG)) == [FAILED]
    assert THROTTLED in errors(sign_in(attacker, "sprayed.4", WRONG))[0]
    # Sending an X-Forwarded-For of its own does not help: the proxy appends the address it saw, and
    # only that hop is believed.
    spoofing = Client(headers={"X-Forwarded-For": "192.0.2.77, 203.0.113.9"}, **proxy)
    assert THROTTLED in errors(sign_in(spoofing, "sprayed.5", WRONG))[0]
    failure = AuditEvent.objects.filter(action="sign_in.failed_unknown_user").first()
    assert failure.ip_address == "203.0.113.9"
    # Everyone else through the same proxy signs in as usual, even on a browser new to the service.
    colleague = make_user(Role.CAS3_ASSESSOR, username="colleague")
    other = Client(headers={"X-Forwarded-For": "198.51.100.7"}, **proxy)
    assert sign_in(other, colleague.username).status_code == 302
    # Without TRUSTED_PROXIES, X-Forwarded-For is ignored: every client is the proxy's address.
    settings.TRUSTED_PROXIES = []
    assert THROTTLED not in str(errors(sign_in(attacker, "sprayed.6", WRONG)))
    assert SignInFailure.objects.filter(username="sprayed.6").get().address == "10.0.0.5"


# Trusted devices: the owner is not locked out by someone else's failures -----------------------------


def test_a_browser_that_signed_in_before_is_not_locked_out_by_others(settings):
    settings.CAS_LOCKOUT_THRESHOLD = 3
    settings.CAS_IP_THROTTLE_ATTEMPTS = 5
    office = from_address("192.0.2.10")  # one office network, one address for everyone
    alice = make_user(Role.CAS3_REFERRER, username="alice")
    bob = make_user(Role.CAS3_REFERRER, username="bob")
    alices_browser, bobs_browser, someone = Client(), Client(), Client()
    for browser, user in ((alices_browser, alice), (bobs_browser, bob)):
        response = sign_in(browser, user.username, **office)
        assert response.status_code == 302
        cookie = response.cookies[throttle.device_cookie_name()]
        assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] == 90 * 24 * 3600
        assert user.username not in cookie.value
        browser.post(reverse("accounts:sign-out"))
    # Someone on the same network guesses at Alice's password and sprays others.
    for _ in range(3):
        sign_in(someone, "alice", WRONG, **office)
    for i in range(5):
        sign_in(someone, f"guess.{i}", WRONG, **office)
    assert LOCKED in errors(sign_in(someone, "alice", **office))[0]
    assert THROTTLED in errors(sign_in(someone, "bob", **office))[0]
    assert THROTTLED in errors(sign_in(Client(), "guess.9", WRONG, **office))[0]
    # Alice and Bob, on their own browsers, sign in as usual.
    assert sign_in(alices_browser, "alice", **office).status_code == 302
    assert sign_in(bobs_browser, "bob", **office).status_code == 302
    # Alice signing in does not reset the guesser's count.
    assert LOCKED in errors(sign_in(someone, "alice", **office))[0]


def test_a_trusted_browser_has_its_own_limit_and_is_trusted_for_its_account_only(settings):
    settings.CAS_LOCKOUT_THRESHOLD = 2
    alice = make_user(Role.CAS3_REFERRER, username="alice")
    make_user(Role.CAS3_REFERRER, username="carol")
    browser = Client()
    assert sign_in(browser, "alice").status_code == 302
    browser.post(reverse("accounts:sign-out"))
    # The cookie does not help with another account: that is an untrusted attempt, counted as such.
    sign_in(browser, "carol", WRONG)
    assert SignInFailure.objects.get(username="carol").device == ""
    # Its own failures lock it too (and, counted on the username, every untrusted browser).
    for _ in range(2):
        assert errors(sign_in(browser, "alice", WRONG)) == [FAILED]
    assert LOCKED in errors(sign_in(browser, "alice"))[0]
    assert throttle.is_locked(alice.username)
    # A cookie that was tampered with is not trusted.
    name = throttle.device_cookie_name()
    forged = Client()
    forged.cookies[name] = browser.cookies[name].value[:-2] + "xx"
    SignInFailure.objects.all().delete()
    sign_in(forged, "alice", WRONG)
    assert SignInFailure.objects.get().device == ""


def test_signing_in_again_does_not_reset_the_count_of_wrong_codes(client, settings):
    """Whoever has the password cannot get more guesses at the second factor by entering it again."""
    from cas.accounts import services, totp

    settings.CAS_LOCKOUT_THRESHOLD = 3
    admin = make_user(Role.ADMIN, region_code="NA")
    services.start_second_factor(admin)
    type(admin).objects.filter(pk=admin.pk).update(totp_enabled_at="2026-01-01T00:00:00Z")
    admin.refresh_from_db()
    right = totp.code_at(admin.totp_secret, totp.current_step())
    wrong = [code for code in ("000000", "111111", "222222") if code != right][:2]
    code_page = reverse("accounts:sign-in-code")
    assert sign_in(client, admin.username)["Location"] == code_page
    for code in wrong:
        assert "The code is not right" in client.post(code_page, {"code": code}).content.decode()
    # The password again: still right, so on to the code, but the two wrong codes still count.
    assert sign_in(client, admin.username)["Location"] == code_page
    assert "The code is not right" in client.post(code_page, {"code": wrong[0]}).content.decode()
    assert throttle.is_locked(admin.username)
    assert LOCKED in errors(client.post(code_page, {"code": right}))[0]
    assert LOCKED in errors(sign_in(client, admin.username))[0]
    assert AuditEvent.objects.filter(action="sign_in.locked", subject_id=str(admin.pk)).count() == 1
