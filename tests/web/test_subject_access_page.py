import json

import pytest
from django.urls import reverse

from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.factories import make_user, pdu
from tests.referral_factories import make_submitted

pytestmark = pytest.mark.django_db
URL = reverse("web:subject-access")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_an_administrator_downloads_every_record_about_a_person_and_the_request_is_audited(admin_client):
    referrer = make_user(Role.CAS3_REFERRER, username="pp.sar", pdu=pdu("N51LPLS"))
    referral = make_submitted(referrer, "X100001")
    page = admin_client.get(URL)
    assert page.status_code == 200 and "No requests have been answered yet." in page.content.decode()

    response = admin_client.post(URL, {"identifier": " a1001aa ", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-A1001AA-')
    document = json.loads(response.content)
    assert document["subject_access_request"]["crns"] == ["X100001"]
    referrals = next(s for s in document["sections"] if s["key"] == "referrals")["records"]
    assert [r["id"] for r in referrals] == [str(referral.pk)]
    assert referrals[0]["fields"]["answers"]  # the answers as given
    audit = AuditEvent.objects.get(action="privacy.subject_access_export")
    assert (audit.actor_username, audit.crn, audit.detail) == ("admin.user", "X100001", "A1001AA")

    html = admin_client.post(URL, {"identifier": "X100001", "format": "html"})
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert "Subject access export for X100001" in html.content.decode()
    listing = admin_client.get(URL).content.decode()
    assert "A1001AA" in listing and "X100001" in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"identifier": "", "format": "json"}, "Enter a CRN like X320741 or a prison number like A1234BC"),
        ({"identifier": "<script>", "format": "json"}, "Enter a CRN like X320741 or a prison number like A1234BC"),
        ({"identifier": "X100001"}, "Select the format"),
        ({"identifier": "X100001", "format": "pdf"}, "Select the format"),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_nothing_is_exported(admin_client, data, message):
    response = admin_client.post(URL, data)
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="privacy.subject_access_export").exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_administrators_may_use_the_page(client, role):
    client.force_login(make_user(role, username=f"sar-{role.value}"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"identifier": "X100001", "format": "json"}).status_code == 403
    assert not AuditEvent.objects.filter(action="privacy.subject_access_export").exists()
