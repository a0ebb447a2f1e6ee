"""Issue 20's booking changes in the browser: an assessor searches the whole region from a referral
whose person is not suitable to share, sees the warning on the results and on "Check the booking",
books a shared property anyway (acknowledging it) with a note that the booking page shows, changes
the arrival date before the person arrives, and records their arrival earlier than booked without
cancelling. axe runs on every page visited."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cas.core import clock
from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.placements.models import Booking
from cas.reference.models import ProbationDeliveryUnit
from cas.referrals.models import Referral
from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_placement_journey import fill_date
from tests.estate_factories import characteristic, make_bedspace, make_premises
from tests.factories import TEST_PASSWORD, make_user, pdu
from tests.placement_factories import make_ready_referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_assessor_searches_the_region_books_with_a_warning_and_moves_the_arrival(page, live_server, sign_in):
    today = clock.today()
    home_pdu = pdu("N51LPLS")
    referrer = make_user(Role.CAS3_REFERRER, username="e2e.changes.referrer", pdu=home_pdu)
    referral = make_ready_referral(referrer, "X100001")
    Referral.objects.filter(pk=referral.pk).update(is_able_to_share=False)
    # The only free bedspace is a shared property in another PDU of the region.
    other_pdu = (
        ProbationDeliveryUnit.objects.active().filter(region=home_pdu.region).exclude(pk=home_pdu.pk).order_by("name")
    ).last()
    premises = make_premises(
        "N51",
        pdu_code=other_pdu.delius_code,
        reference="Harbour House",
        characteristics=[characteristic("Shared property")],
    )
    make_bedspace(premises, "Room A", start_date=today - dt.timedelta(days=30))
    make_user(Role.CAS3_ASSESSOR, username="e2e.changes.hpt")
    pdus_in_region = ProbationDeliveryUnit.objects.active().filter(region=home_pdu.region).count()

    sign_in("e2e.changes.hpt", TEST_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Place a person").click()
    page.get_by_role("link", name=f"Find a bedspace for {referral.person_name}").click()
    expect(page.get_by_role("heading", name=f"Placing {referral.person_name}")).to_be_visible()
    assert_accessible(page, "search form from a referral")

    # The whole region: untick the referral's PDU; any occupancy; from in ten days.
    booked_from = today + dt.timedelta(days=10)
    fill_date(page, "Available from", booked_from)
    page.get_by_label("Number of nights required").fill("28")
    page.get_by_label(home_pdu.name, exact=True).uncheck()
    page.get_by_role("group", name="Occupancy").get_by_label("All", exact=True).check()
    page.get_by_role("button", name="Search with these needs").click()
    expect(page.get_by_role("heading", name="Harbour House")).to_be_visible()
    expect(page.get_by_text(f"All {pdus_in_region} PDUs in North West")).to_be_visible()
    expect(page.get_by_text("is not suitable to share accommodation. Shared properties are marked")).to_be_visible()
    expect(page.get_by_role("heading", name="Harbour House").locator(".moj-badge")).to_have_text("Shared property")
    assert_accessible(page, "results of the whole region with the sharing warning")
    screenshot(page, "cas3-search-whole-region")
    page.get_by_role("link", name="Harbour House, Room A").click()

    expect(page.get_by_label("CRN")).to_have_value("X100001")
    assert_accessible(page, "booking form")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check the booking")).to_be_visible()
    expect(page.get_by_text("is not suitable to share accommodation, and this is a shared property")).to_be_visible()
    assert_accessible(page, "check the booking with the sharing warning")
    # Not acknowledged: refused, with the error at the checkbox.
    page.get_by_label("Notes (optional)").fill("Ground floor room, agreed with the person by phone")
    page.get_by_role("button", name="Book bedspace").click()
    expect(page.get_by_role("alert")).to_contain_text("Confirm you have considered this")
    assert_accessible(page, "check the booking with the error")
    page.get_by_label("I have considered this and want to book this shared property").check()
    page.get_by_role("button", name="Book bedspace").click()
    expect(page.get_by_text("Bedspace booked for Daniel Hughes")).to_be_visible()
    expect(page.get_by_text("Notes when booked")).to_be_visible()
    expect(page.locator(".govuk-summary-list__value", has_text="Ground floor room, agreed")).to_be_visible()
    assert_accessible(page, "provisional booking with its notes")

    page.get_by_role("button", name="Mark as confirmed").click()
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.locator(".moj-badge").first).to_have_text("Confirmed")

    # Released earlier than planned: the arrival date moves before the person arrives.
    expected_on = today + dt.timedelta(days=4)
    page.get_by_role("button", name="Change arrival date").click()
    expect(page.get_by_text("Change the date the person is expected to arrive")).to_be_visible()
    assert_accessible(page, "change the expected arrival date")
    fill_date(page, "New arrival date", expected_on)
    page.get_by_label("Notes (optional)").fill("Release brought forward by the prison")
    page.get_by_role("button", name="Save arrival date").click()
    expect(page.get_by_text("Arrival date changed. We have emailed the referrer")).to_be_visible()
    expect(page.get_by_role("heading", name="Arrival date changed", exact=True)).to_be_visible()
    assert_accessible(page, "booking with its new arrival date")

    # They arrive today, earlier still: recorded without cancelling.
    page.get_by_role("button", name="Mark as arrived").click()
    assert_accessible(page, "arrival form")
    fill_date(page, "Arrival date", today)
    page.get_by_role("button", name="Save arrival").click()
    expect(page.locator(".moj-badge").first).to_have_text("Active")
    assert_accessible(page, "active booking")
    screenshot(page, "cas3-early-arrival")

    booking = Booking.objects.get(crn="X100001")
    assert booking.actual_arrival_date == today and booking.status == "arrived"
    assert booking.notes == "Ground floor room, agreed with the person by phone"
    assert OutboundEmail.objects.filter(template_key="cas3_booking_arrival_date_changed").count() == 1
    assert list(
        DomainEvent.objects.filter(subject_id=str(booking.pk))
        .order_by("occurred_at", "id")
        .values_list("event_type", flat=True)
    ) == [
        "accommodation.cas3.booking.provisionally-made",
        "accommodation.cas3.booking.confirmed",
        "accommodation.cas3.booking.arrival-date-changed",
        "accommodation.cas3.person.arrived",
    ]
