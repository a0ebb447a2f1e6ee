"""Issue 20, points 6 to 8 and 13 in the browser: an assessor allocates a new referral to a colleague (the
timeline says who allocated it to whom), accepts it from the answers tab rather than the overview,
and goes straight from the referral to a bedspace search filled in from it; the referral says "No" to
"Registered sex offender" as the case system does. axe runs on every page."""

import re

import pytest
from playwright.sync_api import expect

from cas.core.roles import Role
from cas.referrals.cas3.workflow import Status as ReferralStatus
from tests.e2e.conftest import assert_accessible
from tests.factories import TEST_PASSWORD, make_user, pdu
from tests.referral_factories import make_submitted

pytestmark = pytest.mark.django_db(transaction=True)


def test_assessor_allocates_accepts_from_any_tab_and_finds_a_bedspace(page, live_server, sign_in):
    referrer = make_user(Role.CAS3_REFERRER, username="e2e.alloc.pp", pdu=pdu("N51LPLS"))
    make_user(Role.CAS3_ASSESSOR, username="e2e.alloc.alex", first_name="Alex", last_name="Carter")
    bea = make_user(Role.CAS3_ASSESSOR, username="e2e.alloc.bea", first_name="Bea", last_name="Lowe")
    referral = make_submitted(referrer, "X100001")

    sign_in("e2e.alloc.alex", TEST_PASSWORD)
    page.goto(f"{live_server.url}/review/referrals/{referral.pk}")
    expect(page.get_by_role("heading", name="Update the referral")).to_be_visible()
    # Point 13: the case system holds no sex offender registration, so the answer is No, not "Not known".
    row = page.locator(".govuk-summary-list__row").filter(has_text="Registered sex offender")
    expect(row.locator(".govuk-summary-list__value")).to_have_text("No")
    assert_accessible(page, "referral overview")

    # Allocate to a colleague: a missing choice is an error, then Bea gets it.
    page.get_by_role("button", name="Allocate to a colleague").click()
    expect(page.get_by_role("heading", name="Allocate the referral")).to_be_visible()
    assert_accessible(page, "allocate form")
    page.get_by_role("button", name="Allocate the referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who should review this referral")
    assert_accessible(page, "allocate errors")
    page.get_by_label("Bea Lowe").check()
    page.get_by_role("button", name="Allocate the referral").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("allocated to Bea Lowe")
    expect(page.locator("main")).to_contain_text("With Bea Lowe")
    assert_accessible(page, "allocated")

    # The timeline says who allocated it to whom.
    page.get_by_role("link", name="Timeline and notes").click()
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Allocated for review")
    expect(timeline).to_contain_text("Alex Carter allocated it to Bea Lowe.")
    assert_accessible(page, "timeline")

    # Accept from the answers tab: the actions are on every tab.
    page.get_by_role("link", name="Referral answers").click()
    expect(page.get_by_role("heading", name="Referral answers")).to_be_visible()
    page.get_by_role("button", name="Accept: ready to place").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("ready to place")
    assert_accessible(page, "accepted")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.READY_TO_PLACE and referral.allocated_to == bea

    # Find a bedspace: the search opens filled in from the referral.
    page.get_by_role("link", name="Timeline and notes").click()
    page.get_by_role("button", name="Find a bedspace").click()
    expect(page).to_have_url(re.compile(rf"/placements/search\?referral={referral.pk}$"))
    expect(page.get_by_role("heading", name="Find a bedspace")).to_be_visible()
    expect(page.locator("main")).to_contain_text(referral.person_name)
    expect(page.get_by_label(referral.pdu.name, exact=True)).to_be_checked()
    assert_accessible(page, "search from the referral")
