"""The HPT's review in the browser: an assessor finds a new referral in the queue, takes it, reads
it, asks the practitioner a question and accepts it; another referral is rejected with a reason.
The practitioner sees both outcomes and the timeline and replies; an administrator finds the emails
in the outbox. axe runs on every page."""

import re

import pytest
from playwright.sync_api import expect

from cas.core.roles import Role
from cas.referrals.cas3.workflow import Status as ReferralStatus
from tests.e2e.conftest import assert_accessible
from tests.factories import TEST_PASSWORD, make_user, pdu
from tests.referral_factories import make_submitted

pytestmark = pytest.mark.django_db(transaction=True)


def test_assessor_reviews_and_the_referrer_hears_about_it(page, live_server, sign_in):
    referrer = make_user(
        Role.CAS3_REFERRER, username="e2e.review.pp", pdu=pdu("N51LPLS"), first_name="Priya", last_name="Shah"
    )
    make_user(Role.CAS3_ASSESSOR, username="e2e.hpt", first_name="Alex", last_name="Carter")
    make_user(Role.ADMIN, region_code="NA", username="e2e.review.admin")
    accepted = make_submitted(referrer, "X100001")
    rejected = make_submitted(referrer, "X200007")

    # The assessor finds the new referral from their home page, by searching the queue.
    sign_in("e2e.hpt", TEST_PASSWORD)
    expect(page.get_by_text("2 unallocated, 0 in review, 0 ready to place.")).to_be_visible()
    assert_accessible(page, "assessor home")
    page.get_by_role("link", name="Review referrals").first.click()
    expect(page.get_by_role("link", name=re.compile(r"^Unallocated \(2\)"))).to_be_visible()
    assert_accessible(page, "queue")
    page.get_by_label("Search by name or CRN").fill("x100001")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile(r"^Unallocated \(1\)"))).to_be_visible()
    expect(page.locator("table")).not_to_contain_text("Dean Atkinson")
    assert_accessible(page, "queue searched")
    page.get_by_role("link", name="Date received").click()
    assert_accessible(page, "queue sorted")

    # Takes it and reads it.
    page.get_by_role("link", name="Daniel Hughes").click()
    expect(page.get_by_role("heading", name="Referral for transitional accommodation")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Placement needs and risks")
    assert_accessible(page, "referral overview")
    page.get_by_role("button", name="Take this referral").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("It is now in review")
    expect(page.locator("main")).to_contain_text("In review")
    assert_accessible(page, "taken")
    page.get_by_role("link", name="Referral answers").click()
    expect(page.locator("main")).to_contain_text(accepted.document["sections"][0]["title"])
    assert_accessible(page, "answers")
    page.get_by_role("link", name=re.compile("Print-friendly version")).click()
    expect(page.locator("main")).to_contain_text("Printed")
    assert_accessible(page, "print")
    page.go_back()

    # Asks the practitioner a question, then accepts.
    page.get_by_role("link", name="Timeline and notes").click()
    assert_accessible(page, "timeline")
    page.get_by_label("Add a note").fill("Has the prison confirmed the release date?")
    page.get_by_label(re.compile("The probation practitioner")).check()
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("emailed to")
    expect(page.locator(".moj-timeline")).to_contain_text("Has the prison confirmed the release date?")
    assert_accessible(page, "note added")
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Accept: ready to place").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("ready to place")
    assert_accessible(page, "accepted")

    # Rejects the other one with a reason.
    page.goto(f"{live_server.url}/review/unallocated")
    page.get_by_role("link", name="Dean Atkinson").click()
    page.get_by_role("button", name="Reject").click()
    assert_accessible(page, "reject form")
    page.get_by_role("button", name="Reject the referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why you are rejecting this referral")
    assert_accessible(page, "reject errors")
    page.get_by_label("Why are you rejecting this referral?").select_option(label="No bedspace available in PDU")
    page.get_by_label("Details (optional)").fill("Nothing suitable in Cumbria before the release date.")
    page.locator('input[name="withdrawal_requested"][value="no"]').check()
    page.get_by_role("button", name="Reject the referral").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("rejected")
    assert_accessible(page, "rejected")
    page.goto(f"{live_server.url}/review/archive")
    expect(page.locator("table")).to_contain_text("No bedspace available in PDU")
    assert_accessible(page, "archive tab")
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert (accepted.status, rejected.status) == (ReferralStatus.READY_TO_PLACE, ReferralStatus.REJECTED)

    # The practitioner sees both outcomes and the timeline, and replies.
    page.get_by_role("button", name="Sign out").click()
    sign_in("e2e.review.pp", TEST_PASSWORD)
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Submitted \(1\)")).click()
    expect(page.locator("table")).to_contain_text("Accepted")
    assert_accessible(page, "referrer submitted")
    page.get_by_role("link", name="Daniel Hughes").click()
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Accepted: ready to place")
    expect(timeline).to_contain_text("Has the prison confirmed the release date?")
    expect(timeline).to_contain_text("Allocated for review")
    assert_accessible(page, "referrer timeline")
    page.get_by_label("Add a note for the HPT").fill("Yes, the prison confirmed it this morning.")
    page.get_by_role("button", name="Add note").click()
    expect(timeline).to_contain_text("Yes, the prison confirmed it this morning.")
    assert_accessible(page, "referrer replied")
    page.get_by_role("link", name="Your referrals").click()
    page.get_by_role("link", name=re.compile(r"^Rejected \(1\)")).click()
    page.get_by_role("link", name="Dean Atkinson").click()
    expect(page.locator("main")).to_contain_text("No bedspace available in PDU")
    expect(page.locator("main")).to_contain_text("Nothing suitable in Cumbria")
    assert_accessible(page, "referrer rejected")

    # The emails are in the outbox.
    page.get_by_role("button", name="Sign out").click()
    sign_in("e2e.review.admin", TEST_PASSWORD)
    page.goto(f"{live_server.url}/manage/emails")
    table = page.locator("table")
    expect(table).to_contain_text("Referral accepted: CAS3 referral for Daniel Hughes (X100001)")
    expect(table).to_contain_text("Referral rejected: CAS3 referral for Dean Atkinson (X200007)")
    expect(table).to_contain_text("A note about your CAS3 referral for Daniel Hughes (X100001)")
    expect(table).to_contain_text("The probation practitioner added a note")
    assert_accessible(page, "outbox")
    page.get_by_role("link", name=re.compile("Referral rejected")).first.click()
    expect(page.locator("main")).to_contain_text("Reason: No bedspace available in PDU")
    assert_accessible(page, "rejection email")
    page.goto(f"{live_server.url}/manage/review-service-levels")
    assert_accessible(page, "service levels")
    page.get_by_role("link", name=re.compile("Change the service level for North West")).click()
    page.get_by_label("Working days to review a referral").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("after 3 working days")
    assert_accessible(page, "service level saved")
