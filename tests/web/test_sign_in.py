import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse

from cas.accounts import throttle
from cas.accounts.models import SignInFailure
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.web.home import ROLE_HOMES
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=TEST_PASSWORD):
    return client.post(reverse("accounts:sign-in"), {"username": username, "password": password})


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_home_page(client, role):
    user = make_user(role)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("web:role-home", args=[ROLE_HOMES[role].slug])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert ROLE_HOMES[role].title in page.content.decode()


def test_wrong_password_shows_error_summary(client):
    user = make_user(Role.CAS3_REFERRER)
    response = sign_in(client, user.username, "wrong-password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a correct username and password" in body
    assert AuditEvent.objects.filter(action="sign_in.failed", subject_id=str(user.pk)).exists()


def test_empty_form_names_each_missing_field(client):
    body = client.post(reverse("accounts:sign-in"), {}).content.decode()
    assert "Enter your username" in body and "Enter your password" in body
    assert 'href="#id_username"' in body


def test_too_many_failures_lock_the_account_for_a_while(client, settings):
    settings.CAS_LOCKOUT_THRESHOLD = 3
    user = make_user(Role.CAS3_REFERRER)
    for _ in range(3):
        sign_in(client, user.username, "nope-nope-nope")
    user.refresh_from_db()
    assert throttle.is_locked(user.username)
    # Even the right password is refused while locked.
    body = sign_in(client, user.username).content.decode()
    assert "Your account is locked" in body
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sign_in.locked", subject_id=str(user.pk)).count() == 1
    assert AuditEvent.objects.filter(action="sign_in.refused_locked").count() == 1


def test_lock_expires(client, settings):
    settings.CAS_LOCKOUT_THRESHOLD = 2
    user = make_user(Role.CAS3_REFERRER)
    for _ in range(2):
        sign_in(client, user.username, "nope-nope-nope")
    assert throttle.is_locked(user.username)
    # The lock lasts until the failures are CAS_LOCKOUT_MINUTES old.
    SignInFailure.objects.update(occurred_at=F("occurred_at") - dt.timedelta(minutes=settings.CAS_LOCKOUT_MINUTES))
    assert not throttle.is_locked(user.username)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert not SignInFailure.objects.filter(username=user.username).exists()


def test_many_failures_from_one_address_are_throttled(client, settings):
    settings.CAS_IP_THROTTLE_ATTEMPTS = 4
    for i in range(4):
        sign_in(client, f"nobody{i}", "x-y-z-x-y-z")
    body = sign_in(client, "nobody-else", "x-y-z-x-y-z").content.decode()
    assert "Too many failed sign-in attempts from your network" in body


def test_deactivated_user_cannot_sign_in_and_loses_session(client):
    user = make_user(Role.CAS3_REFERRER)
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get(reverse("web:person-search"))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    assert sign_in(client, user.username).status_code == 200


def test_sign_out_needs_post_and_ends_session(client):
    client.force_login(make_user(Role.REPORTER))
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_open_redirect_is_refused(client):
    user = make_user(Role.REPORTER)
    response = client.post(
        reverse("accounts:sign-in") + "?next=https://evil.example/",
        {"username": user.username, "password": TEST_PASSWORD},
    )
    assert response["Location"] == reverse("web:home")
