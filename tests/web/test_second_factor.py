import base64

import pytest
from django.urls import reverse

from cas.accounts import throttle, totp
from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_rfc6238_reference_value():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) -> last 6 digits.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, totp.current_step(59)) == "287082"
    assert totp.matching_step(secret, "287082", now=59) == 1
    assert totp.matching_step(secret, "287082", now=59 + 120) is None
    assert totp.matching_step(secret, "12ab56", now=59) is None


def current_code(user):
    user.refresh_from_db()
    return totp.code_at(user.totp_secret, totp.current_step())


def test_admin_sets_up_second_factor_and_sign_in_asks_for_it(client):
    admin = make_user(Role.ADMIN, region_code="NA")
    client.force_login(admin)
    url = reverse("accounts:second-factor")
    client.post(url, {"action": "start"})
    page = client.get(url).content.decode()
    assert "otpauth://totp/" in page
    wrong = client.post(url, {"action": "confirm", "code": "000000" if current_code(admin) != "000000" else "111111"})
    assert "The code is not right" in wrong.content.decode()
    client.post(url, {"action": "confirm", "code": current_code(admin)})
    admin.refresh_from_db()
    assert admin.has_second_factor
    assert AuditEvent.objects.filter(action="user.second_factor_enabled").exists()
    client.logout()

    response = client.post(reverse("accounts:sign-in"), {"username": admin.username, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("accounts:sign-in-code")
    assert client.get(reverse("web:home")).status_code == 302  # not signed in yet
    bad = client.post(reverse("accounts:sign-in-code"), {"code": "12"})
    assert "Enter the code as 6 digits" in bad.content.decode()
    # The code used to confirm set-up cannot be replayed; wait for the next step in the test by
    # resetting the last step, as if 30 seconds had passed.
    type(admin).objects.filter(pk=admin.pk).update(totp_last_step=None)
    ok = client.post(reverse("accounts:sign-in-code"), {"code": current_code(admin)})
    assert ok.status_code == 302 and client.get(reverse("web:home")).status_code == 302
    assert client.get(reverse("web:user-list")).status_code == 200


def test_code_cannot_be_used_twice():
    admin = make_user(Role.ADMIN, region_code="NA")
    from cas.accounts import services

    services.start_second_factor(admin)
    code = current_code(admin)
    assert services.check_second_factor_code(admin, code)
    assert not services.check_second_factor_code(admin, code)


def test_wrong_codes_count_towards_lockout(client, settings):
    settings.CAS_LOCKOUT_THRESHOLD = 2
    admin = make_user(Role.ADMIN, region_code="NA")
    from cas.accounts import services

    services.start_second_factor(admin)
    type(admin).objects.filter(pk=admin.pk).update(totp_enabled_at="2026-01-01T00:00:00Z")
    client.post(reverse("accounts:sign-in"), {"username": admin.username, "password": TEST_PASSWORD})
    wrong = "000000" if current_code(admin) != "000000" else "111111"
    client.post(reverse("accounts:sign-in-code"), {"code": wrong})
    client.post(reverse("accounts:sign-in-code"), {"code": wrong})
    admin.refresh_from_db()
    assert throttle.is_locked(admin.username)
    page = client.post(reverse("accounts:sign-in-code"), {"code": current_code(admin)})
    assert "locked" in page.content.decode()


def test_sign_in_code_page_without_password_step_goes_back(client):
    assert client.get(reverse("accounts:sign-in-code"))["Location"] == reverse("accounts:sign-in")


def test_only_administrators_can_set_up(client):
    client.force_login(make_user(Role.CAS3_REFERRER))
    assert client.get(reverse("accounts:second-factor")).status_code == 403
