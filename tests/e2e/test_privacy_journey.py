"""An administrator answers a subject access request: finds the page from the navigation, makes a
mistake, then downloads every record about a person as a readable document and as data. axe runs
on every page visited."""

import json

import pytest
from playwright.sync_api import expect

from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.e2e.conftest import assert_accessible, screenshot
from tests.factories import TEST_PASSWORD, make_user, pdu
from tests.referral_factories import make_submitted

pytestmark = pytest.mark.django_db(transaction=True)


def test_administrator_downloads_a_subject_access_export(page, live_server, sign_in, tmp_path):
    referrer = make_user(Role.CAS3_REFERRER, username="e2e.sar.referrer", pdu=pdu("N51LPLS"))
    referral = make_submitted(referrer, "X100001")
    make_user(Role.ADMIN, region_code="NA", username="e2e.sar.admin")

    sign_in("e2e.sar.admin", TEST_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Subject access").click()
    expect(page.get_by_role("heading", name="Subject access requests")).to_be_visible()
    assert_accessible(page, "subject access form")

    # A mistake first: the page says how to fix it.
    page.get_by_label("CRN or prison number").fill("not a crn")
    page.get_by_role("button", name="Download the records").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a CRN like X320741 or a prison number like A1234BC")
    assert_accessible(page, "subject access form with an error")

    # The readable document, asked for by prison number.
    page.get_by_label("CRN or prison number").fill("A1001AA")
    page.get_by_label("A readable document (HTML), to send to the person").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the records").click()
    download = download_info.value
    assert download.suggested_filename.startswith("subject-access-A1001AA-")
    assert download.suggested_filename.endswith(".html")
    html_path = tmp_path / "export.html"
    download.save_as(html_path)
    html = html_path.read_text()
    assert "Subject access export for A1001AA" in html and str(referral.pk) in html and "Daniel Hughes" in html

    # The same as data.
    page.get_by_label("CRN or prison number").fill("X100001")
    page.get_by_label("Data (JSON), for another system").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the records").click()
    json_path = tmp_path / "export.json"
    download_info.value.save_as(json_path)
    document = json.loads(json_path.read_text())
    assert document["subject_access_request"]["crns"] == ["X100001"]
    assert str(referral.pk) in {r["id"] for s in document["sections"] for r in s["records"]}

    # Both requests are in the audit, and listed on the page.
    page.reload()
    expect(page.get_by_role("table", name="Subject access requests answered")).to_contain_text("A1001AA")
    assert_accessible(page, "subject access requests answered")
    screenshot(page, "subject-access")
    assert AuditEvent.objects.filter(action="privacy.subject_access_export", crn="X100001").count() == 2
