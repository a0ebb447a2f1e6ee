import pytest
from django.urls import reverse

from cas.accounts import throttle
from cas.accounts.models import User
from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.factories import TEST_PASSWORD, make_user, pdu, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_creates_grants_and_deactivates_a_user_with_audit(admin_client, admin_user):
    response = admin_client.post(
        reverse("web:user-create"),
        {
            "username": "new.assessor",
            "first_name": "Nia",
            "last_name": "Evans",
            "email": "nia.evans@justice.gov.uk",
            "roles": ["cas3_referrer"],
            "region": region("N03").pk,
            "pdu": "",
            "password": "Long-enough-password-42",
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="new.assessor")
    assert user.role_set == {Role.CAS3_REFERRER}
    created = AuditEvent.objects.get(action="user.created", subject_id=str(user.pk))
    assert created.actor == admin_user and created.after["roles"] == ["cas3_referrer"]

    # Grant another role and move region.
    response = admin_client.post(
        reverse("web:user-edit", args=[user.pk]),
        {
            "first_name": "Nia",
            "last_name": "Evans",
            "email": "nia.evans@justice.gov.uk",
            "roles": ["cas3_referrer", "cas3_assessor"],
            "region": region("N51").pk,
            "pdu": pdu("N51LPLS").pk,
        },
    )
    assert response.status_code == 302
    updated = AuditEvent.objects.get(action="user.updated", subject_id=str(user.pk))
    assert updated.before["roles"] == ["cas3_referrer"]
    assert updated.after["roles"] == ["cas3_assessor", "cas3_referrer"]
    assert updated.before["region"] == "Wales" and updated.after["region"] == "North West"

    # Deactivate, through the confirmation page.
    page = admin_client.get(reverse("web:user-set-active", args=[user.pk, "deactivate"]))
    assert "Deactivate Nia Evans?" in page.content.decode()
    admin_client.post(reverse("web:user-set-active", args=[user.pk, "deactivate"]))
    user.refresh_from_db()
    assert not user.is_active
    deactivated = AuditEvent.objects.get(action="user.deactivated", subject_id=str(user.pk))
    assert deactivated.before["is_active"] is True and deactivated.after["is_active"] is False

    # The user's page shows the history, newest first.
    detail = admin_client.get(reverse("web:user-detail", args=[user.pk])).content.decode()
    assert detail.index("Deactivated") < detail.index("Updated") < detail.index("Created")
    # And the audit search finds all three.
    audit = admin_client.get(reverse("web:audit-list"), {"action": "user."}).content.decode()
    for action in ("user.created", "user.updated", "user.deactivated"):
        assert action in audit


def test_pdu_must_belong_to_region(admin_client):
    response = admin_client.post(
        reverse("web:user-create"),
        {
            "username": "x.y",
            "first_name": "X",
            "last_name": "Y",
            "email": "x@justice.gov.uk",
            "roles": ["cas3_referrer"],
            "region": region("N03").pk,
            "pdu": pdu("N51LPLS").pk,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a PDU in Wales, or no PDU" in body
    assert not User.objects.filter(username="x.y").exists()


def test_required_fields_and_weak_password(admin_client):
    body = admin_client.post(reverse("web:user-create"), {"password": "short"}).content.decode()
    for message in ("Enter a username", "Enter a first name", "Select at least one role", "Select a probation region"):
        assert message in body
    body = admin_client.post(
        reverse("web:user-create"),
        {
            "username": "weak",
            "first_name": "W",
            "last_name": "P",
            "email": "w@justice.gov.uk",
            "roles": ["reporter"],
            "region": region("NA").pk,
            "password": "password",
        },
    ).content.decode()
    assert "This password is too short" in body or "too common" in body
    assert not User.objects.filter(username="weak").exists()


def test_duplicate_username_refused(admin_client):
    make_user(Role.REPORTER, username="taken")
    body = admin_client.post(
        reverse("web:user-create"),
        {
            "username": "TAKEN",
            "first_name": "T",
            "last_name": "K",
            "email": "t@justice.gov.uk",
            "roles": ["reporter"],
            "region": region("NA").pk,
        },
    ).content.decode()
    assert "A user with this username already exists" in body


def test_admin_cannot_deactivate_themself(admin_client, admin_user):
    body = admin_client.post(reverse("web:user-set-active", args=[admin_user.pk, "deactivate"])).content.decode()
    assert "You cannot deactivate your own account" in body
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_user_list_search_and_pagination(admin_client):
    for i in range(30):
        make_user(Role.CAS3_REFERRER, username=f"bulk{i:02d}", last_name=f"Bulk{i:02d}")
    page1 = admin_client.get(reverse("web:user-list"), {"q": "bulk"}).content.decode()
    assert "Showing 1 to 25 of 30 users" in page1
    page2 = admin_client.get(reverse("web:user-list"), {"q": "bulk", "page": 2}).content.decode()
    assert "Showing 26 to 30 of 30 users" in page2
    none = admin_client.get(reverse("web:user-list"), {"q": "zzzz-nobody"}).content.decode()
    assert "No users found" in none


def test_unlock_locked_account(admin_client, client, settings):
    from django.test import Client

    settings.CAS_LOCKOUT_THRESHOLD = 3
    user = make_user(Role.CAS3_REFERRER)
    stranger = Client()
    for _ in range(3):
        stranger.post(reverse("accounts:sign-in"), {"username": user.username.upper(), "password": "nope-nope-nope"})
    assert throttle.is_locked(user.username)
    page = admin_client.get(reverse("web:user-detail", args=[user.pk])).content.decode()
    assert "Locked" in page and "Unlock account" in page
    admin_client.post(reverse("web:user-set-active", args=[user.pk, "unlock"]))
    assert not throttle.is_locked(user.username)
    unlocked = AuditEvent.objects.get(action="user.unlocked", subject_id=str(user.pk))
    assert unlocked.before == {"locked": True, "failed_sign_ins": 3}
    assert unlocked.after == {"locked": False, "failed_sign_ins": 0}
    # Tried again at once, from any browser.
    signed_in = stranger.post(reverse("accounts:sign-in"), {"username": user.username, "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
