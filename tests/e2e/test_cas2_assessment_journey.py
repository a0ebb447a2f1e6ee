"""The CAS2 provider in the browser: an assessor finds a new application in the national queue, reads
it, records their reference, asks for more information on named sections, then takes it through
"Awaiting decision", "Place offered", "Offer accepted" and "Awaiting arrival", with a note to the
referrer and the print version; an administrator finds the emails in the outbox. axe runs on every
page. (The referrer answering the request is in test_cas2_referral_journeys.py.)"""

import re

import pytest
from playwright.sync_api import expect

from cas.core.roles import Role
from tests.cas2_assessment_factories import make_application, make_referrer
from tests.e2e.conftest import assert_accessible
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def update_status(page, label: str, *, details: tuple[str, ...] = (), text: str = "") -> None:
    page.get_by_role("button", name="Update the status").first.click()
    assert_accessible(page, f"status: {label}")
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    if details or text:
        assert_accessible(page, f"details: {label}")
        for detail in details:
            page.get_by_label(detail, exact=True).check()
        if text:
            page.get_by_label(re.compile("Anything else the referrer should know")).fill(text)
        page.get_by_role("button", name="Update the status").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status updated to " + label.lower())
    assert_accessible(page, f"updated: {label}")


def test_the_provider_assesses_an_application_and_the_referrer_hears_of_each_step(page, live_server, sign_in):
    referrer = make_referrer("court_bail", username="e2e.cas2.court", email="court.clerk@justice.gov.uk")
    make_user(Role.CAS2_ASSESSOR, username="e2e.nacro", first_name="Ada", last_name="Nacro")
    make_user(Role.ADMIN, region_code="NA", username="e2e.cas2.admin")
    application = make_application("court_bail", "X100001", created_by=referrer)
    make_application("hdc", "X100002")

    sign_in("e2e.nacro", TEST_PASSWORD)
    expect(page.get_by_text("2 new, 0 in progress, 0 placed.")).to_be_visible()
    assert_accessible(page, "assessor home")
    page.get_by_role("link", name="CAS2 applications").first.click()
    expect(page.get_by_role("link", name=re.compile(r"^New \(2\)"))).to_be_visible()
    assert_accessible(page, "queue")
    page.get_by_label("Search by name, CRN or prison number").fill("x100001")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile(r"^New \(1\)"))).to_be_visible()
    assert_accessible(page, "queue searched")
    page.get_by_role("link", name="Urgent by").click()
    assert_accessible(page, "queue sorted")

    page.get_by_role("link", name=application.person_name).click()
    expect(page.get_by_role("heading", name="CAS2 application")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Risks and needs")
    assert_accessible(page, "application")

    page.get_by_role("button", name="Assessment details").click()
    assert_accessible(page, "assessment details")
    page.get_by_label("Assessor’s name").fill("Ada Nacro")
    page.get_by_label("Your reference").fill("NAC-2026-1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("NAC-2026-1")
    assert_accessible(page, "details saved")

    update_status(
        page, "More information requested", details=("Funding and ID",), text="Which benefits do they receive?"
    )
    expect(page.locator(".moj-timeline")).to_contain_text("Details: Funding and ID. Which benefits do they receive?")
    update_status(page, "Awaiting decision")
    update_status(page, "Place offered")
    update_status(page, "Offer accepted")
    update_status(page, "Awaiting arrival")
    expect(page.locator("main")).to_contain_text("Awaiting arrival")

    page.get_by_role("button", name="Add a note for the referrer").click()
    assert_accessible(page, "notes")
    page.get_by_label("Add a note for the referrer").fill("The room is ready from Monday.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("court.clerk@justice.gov.uk")
    assert_accessible(page, "note added")

    page.get_by_role("link", name="Application", exact=True).click()
    page.get_by_role("link", name=re.compile("Print-friendly version")).click()
    expect(page.locator("main")).to_contain_text("Printed")
    assert_accessible(page, "print")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)  # a page to print: no navigation
    page.go_back()

    page.get_by_role("button", name="Sign out").click()
    sign_in("e2e.cas2.admin", TEST_PASSWORD)
    page.goto(f"{live_server.url}/manage/emails")
    expect(page.locator("main")).to_contain_text("CAS2 application for")
    expect(page.locator("main")).to_contain_text("Note from the CAS2 provider")
    assert_accessible(page, "outbox")
