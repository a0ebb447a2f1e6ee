"""What a probation practitioner sees of a CAS3 referral (issue 20, points 1, 3, 4 and 5): the tasks
open in any order, a phone number missing from their account is said on "Check your details" before
they confirm, answering "No" to the Duty to Refer says what it means for the referral, and once the HPT
has booked, the person has arrived and moved on (done through the services here), their referral page
and timeline show the address, the arrival and the move-on outcome, while the booking page stays the
HPT's. axe runs on every page visited."""

import re

import pytest
from playwright.sync_api import expect

from cas.core import clock
from cas.core.roles import Role
from cas.demo import referrals as demo
from cas.placements import services as placements
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral
from tests.e2e.conftest import assert_accessible, screenshot
from tests.estate_factories import make_estate
from tests.factories import TEST_PASSWORD, make_user, pdu
from tests.placement_factories import days, departure_reason, make_booking, mark_ready_to_place, move_on
from tests.referral_factories import make_draft

pytestmark = pytest.mark.django_db(transaction=True)

# Answered in the browser below; the rest of the form is answered through the services.
DONE_IN_THE_BROWSER = ("consent", "accommodation-referral-details", "check-your-answers")
CONFIRMED_IN_THE_BROWSER = ("practitioner-phone", "probation-practitioner")
DTR_MEANING = "You can still send this referral, but the HPT will see that no Duty to Refer"


def test_practitioner_refers_in_any_order_and_later_sees_where_their_person_went(page, live_server, sign_in):
    # An account with no phone number, as many are.
    user = make_user(Role.CAS3_REFERRER, username="e2e.outcome", phone_number="", pdu=pdu("N51LPLS"))
    assessor = make_user(Role.CAS3_ASSESSOR, username="e2e.outcome.hpt")
    referral = make_draft(user)
    tasks_url = f"{live_server.url}/referrals/{referral.pk}"
    main = page.locator("main")

    sign_in("e2e.outcome", TEST_PASSWORD)
    page.goto(tasks_url)
    expect(page.get_by_role("heading", name="Make a referral for transitional accommodation")).to_be_visible()
    # Only check your answers waits; every other task can be started now.
    expect(main.get_by_text("Cannot start yet")).to_have_count(1)
    assert_accessible(page, "task list")

    # A task near the end first: consent.
    page.get_by_role("link", name="Consent", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tasks/consent/consent-given$"))
    assert_accessible(page, "consent")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_url(re.compile(re.escape(tasks_url) + "$"))

    # Check your details: the missing phone number is said where it is shown, before confirming.
    page.get_by_role("link", name="Contact details", exact=True).click()
    expect(page.get_by_role("heading", name="Check your details")).to_be_visible()
    expect(main).to_contain_text("Some of these details are missing or cannot be used")
    expect(main).not_to_contain_text("Not given")
    assert_accessible(page, "check your details with a missing phone number")
    screenshot(page, "practitioner-check-your-details-missing-phone")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your phone number")
    assert_accessible(page, "check your details refused")
    page.locator("#id_phone").click()
    page.get_by_label("What is your phone number?").fill("0161 496 0000")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your details")).to_be_visible()
    expect(main).to_contain_text("0161 496 0000")
    expect(main).not_to_contain_text("Some of these details are missing")
    page.get_by_role("button", name="Confirm and continue").click()

    # The Duty to Refer has not been made: the page says what that means, before and after answering.
    page.goto(tasks_url)
    page.get_by_role("link", name="Accommodation referral details", exact=True).click()
    expect(main).to_contain_text("If it has not been made yet, select no: you can still send the referral")
    assert_accessible(page, "duty to refer")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(DTR_MEANING)
    assert_accessible(page, "after answering no to the duty to refer")
    page.get_by_label("Yes", exact=True).check()  # a referral to CRS has been made
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("No", exact=True).check()  # no other accommodation options
    page.get_by_role("button", name="Save and continue").click()

    # The other tasks' answers, through the services (the whole form is walked in test_referral_journey).
    demo.fill(
        user,
        referral,
        [
            (task, slug, values)
            for task, slug, values in demo.complete_answers(today=clock.today())
            if task not in DONE_IN_THE_BROWSER and slug not in CONFIRMED_IN_THE_BROWSER
        ],
    )
    page.goto(tasks_url)
    expect(main.get_by_text("Cannot start yet")).to_have_count(0)
    page.get_by_role("link", name="Check your answers", exact=True).click()
    expect(page.get_by_role("heading", name="Check your answers before you send the referral")).to_be_visible()
    expect(main).to_contain_text(DTR_MEANING)
    assert_accessible(page, "check answers with no duty to refer")
    page.get_by_role("button", name="Confirm your answers").click()
    page.get_by_label("I confirm that the information I have given is complete, accurate and up to date").check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Referral sent")
    assert_accessible(page, "referral sent")
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == ReferralStatus.UNALLOCATED and referral.is_duty_to_refer_submitted is False

    # The HPT accepts it, books a bedspace and confirms the booking.
    mark_ready_to_place(referral)
    premises, (bedspace,) = make_estate("N51", bedspaces=1, reference="Outcome House")
    booking = placements.confirm_booking(
        assessor, make_booking(bedspace, referral=referral, start=0, nights=28, actor=assessor)
    )
    sent_url = f"{live_server.url}/referrals/{referral.pk}/sent"
    page.goto(sent_url)
    expect(main).to_contain_text("Accommodation booked")
    expect(main).to_contain_text(premises.address)
    expect(main).to_contain_text("Booked, not arrived yet")
    expect(main).to_contain_text("Expected arrival")
    expect(main).to_contain_text("Booking confirmed: referral archived")
    # One status word on both sides: the HPT's "Archived".
    expect(main.locator(".govuk-summary-list").first).to_contain_text("Archived")
    expect(main).not_to_contain_text("Closed")
    assert_accessible(page, "referral page once booked")

    # The person arrives, then moves on.
    booking = placements.record_arrival(assessor, booking, arrival_date=days(0), expected_departure_date=days(14))
    page.reload()
    expect(main).to_contain_text("Arrived on")
    expect(main).to_contain_text(f"Arrived at {premises.address}")
    assert_accessible(page, "referral page once arrived")
    placements.record_departure(
        assessor, booking, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
    )
    page.reload()
    expect(main).to_contain_text("Left on")
    expect(main).to_contain_text("Moved on to")
    expect(main.get_by_text("Rental accommodation (private rental)")).to_have_count(2)  # the summary, the timeline
    assert_accessible(page, "referral page once moved on")
    screenshot(page, "practitioner-referral-moved-on")

    # The booking's own page stays the HPT's.
    response = page.goto(f"{live_server.url}/bookings/{booking.pk}")
    assert response.status in (403, 404)
