"""A form drawn before someone else's change is refused, with the newer values shown."""

import pytest
from django.urls import reverse

from cas.accounts import services as accounts
from cas.core.roles import Role
from cas.reference.models import VoidReason
from cas.reference.services import update_entry
from tests.factories import make_user, region

pytestmark = pytest.mark.django_db


def test_stale_user_edit_is_refused_and_shows_newer_values(client):
    admin = make_user(Role.ADMIN, region_code="NA")
    other_admin = make_user(Role.ADMIN, region_code="NA")
    subject = make_user(Role.CAS3_REFERRER, first_name="Alex")
    client.force_login(admin)
    drawn_version = subject.version
    # Another administrator saves first.
    accounts.update_user(other_admin, subject, first_name="Alexandra", version=drawn_version)
    response = client.post(
        reverse("web:user-edit", args=[subject.pk]),
        {
            "first_name": "Alexander",
            "last_name": subject.last_name,
            "email": subject.email,
            "roles": ["cas3_referrer"],
            "region": region("N51").pk,
            "version": drawn_version,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this while you were editing it" in body
    assert 'value="Alexandra"' in body
    subject.refresh_from_db()
    assert subject.first_name == "Alexandra"


def test_current_version_saves(client):
    admin = make_user(Role.ADMIN, region_code="NA")
    subject = make_user(Role.CAS3_REFERRER)
    client.force_login(admin)
    response = client.post(
        reverse("web:user-edit", args=[subject.pk]),
        {
            "first_name": "New",
            "last_name": "Name",
            "email": subject.email,
            "roles": ["cas3_referrer"],
            "region": region("N51").pk,
            "version": subject.version,
        },
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.first_name == "New" and subject.version == 1


def test_stale_reference_edit_is_refused(client):
    admin = make_user(Role.ADMIN, region_code="NA")
    entry = VoidReason.objects.get(key="Other")
    update_entry(
        admin, entry, name="Other (changed)", services=["cas3"], is_active=True, sort_order=0, version=entry.version
    )
    client.force_login(admin)
    body = client.post(
        reverse("web:reference-edit", args=["void-reasons", entry.pk]),
        {"name": "Mine", "services": ["cas3"], "is_active": "no", "sort_order": "1", "version": entry.version},
    ).content.decode()
    assert "Someone else changed this" in body and 'value="Other (changed)"' in body
    entry.refresh_from_db()
    assert entry.name == "Other (changed)"
