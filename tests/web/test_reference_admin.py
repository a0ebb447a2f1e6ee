import pytest
from django.urls import reverse

from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.reference.models import VoidReason
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_admin_edits_an_entry_and_it_is_audited(client):
    admin = make_user(Role.ADMIN, region_code="NA")
    client.force_login(admin)
    entry = VoidReason.objects.get(name="Other")
    url = reverse("web:reference-edit", args=["void-reasons", entry.pk])
    response = client.post(
        url, {"name": "Other reason", "services": ["cas3", "cas2"], "is_active": "yes", "sort_order": "99"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.name, entry.services, entry.is_active, entry.sort_order) == ("Other reason", "cas2,cas3", True, 99)
    event = AuditEvent.objects.get(action="reference.updated")
    assert event.before["is_active"] is False and event.after["is_active"] is True
    assert VoidReason.objects.for_service("cas2").filter(pk=entry.pk).exists()


def test_edit_validation_keeps_input(client):
    client.force_login(make_user(Role.ADMIN, region_code="NA"))
    entry = VoidReason.objects.first()
    body = client.post(
        reverse("web:reference-edit", args=["void-reasons", entry.pk]),
        {"name": "Kept text", "services": [], "is_active": "", "sort_order": "abc"},
    ).content.decode()
    assert "Select at least one service" in body
    assert "Position must be a whole number" in body
    assert 'value="Kept text"' in body


def test_non_admin_can_read_but_not_edit(client):
    client.force_login(make_user(Role.CAS3_ASSESSOR))
    listing = client.get(reverse("web:reference-list", args=["void-reasons"])).content.decode()
    assert "Damage repairs" in listing and "Change" not in listing
    entry = VoidReason.objects.first()
    assert client.get(reverse("web:reference-edit", args=["void-reasons", entry.pk])).status_code == 403


def test_local_authorities_searchable_and_updated_for_2023(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    body = client.get(reverse("web:reference-local-authorities"), {"q": "Westmorland"}).content.decode()
    assert "Westmorland and Furness" in body and "E06000064" in body
    body = client.get(reverse("web:reference-local-authorities"), {"q": "E07000027"}).content.decode()
    assert "Barrow-in-Furness" in body and "Replaced by E06000064" in body
