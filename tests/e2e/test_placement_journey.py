"""From a ready-to-place referral an assessor searches, books, confirms, marks the person arrived,
extends the stay past 84 nights with an authorised overstay, and records the departure with a
move-on category; the referral is archived, the emails and events are in their outboxes, and the
stay is on the occupancy calendar. axe runs on every page visited."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cas.core import clock
from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.placements.models import Booking
from cas.referrals.cas3.workflow import Status as ReferralStatus
from tests.e2e.conftest import assert_accessible, screenshot
from tests.estate_factories import make_estate
from tests.factories import TEST_PASSWORD, make_user, pdu
from tests.placement_factories import make_ready_referral

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_assessor_places_a_referral_from_search_to_move_on(page, live_server, sign_in):
    today = clock.today()
    referrer = make_user(Role.CAS3_REFERRER, username="e2e.referrer", pdu=pdu("N51LPLS"))
    referral = make_ready_referral(referrer, "X100001")
    make_user(Role.CAS3_ASSESSOR, username="e2e.placer")
    premises, _ = make_estate("N51", bedspaces=2, reference="Journey House", turnaround_working_days=2)

    sign_in("e2e.placer", TEST_PASSWORD)
    assert_accessible(page, "assessor home")
    page.get_by_role("navigation").get_by_role("link", name="Place a person").click()
    expect(page.get_by_role("heading", name="Place a person")).to_be_visible()
    assert_accessible(page, "place a person")

    # Search from the referral: its dates and needs are filled in.
    page.get_by_role("link", name=f"Find a bedspace for {referral.person_name}").click()
    expect(page.get_by_role("heading", name=f"Placing {referral.person_name}")).to_be_visible()
    assert_accessible(page, "search form from a referral")
    page.get_by_label("Number of nights required").fill("28")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="Journey House")).to_be_visible()
    assert_accessible(page, "search results")
    page.get_by_role("link", name="Journey House, Room A").click()

    # Book: the CRN and dates come with the search; then check and book against the referral.
    expect(page.get_by_label("CRN")).to_have_value("X100001")
    assert_accessible(page, "booking form")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check the booking")).to_be_visible()
    expect(page.get_by_label(f"Referral {referral.reference}", exact=False)).to_be_checked()
    assert_accessible(page, "check the booking")
    page.get_by_role("button", name="Book bedspace").click()
    expect(page.get_by_text("Bedspace booked for Daniel Hughes")).to_be_visible()
    assert_accessible(page, "provisional booking")

    page.get_by_role("button", name="Mark as confirmed").click()
    assert_accessible(page, "confirm form")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.locator(".moj-badge").first).to_have_text("Confirmed")
    assert_accessible(page, "confirmed booking")

    arrived_on = today - dt.timedelta(days=3)
    page.get_by_role("button", name="Mark as arrived").click()
    assert_accessible(page, "arrival form")
    fill_date(page, "Arrival date", arrived_on)
    page.get_by_role("button", name="Save arrival").click()
    expect(page.locator(".moj-badge").first).to_have_text("Active")
    assert_accessible(page, "active booking")

    # Past 84 nights: the overstay question appears, then the extension is saved.
    page.get_by_role("button", name="Extend or shorten").click()
    assert_accessible(page, "extend form")
    fill_date(page, "New departure date", arrived_on + dt.timedelta(days=90))
    page.get_by_role("button", name="Save departure date").click()
    expect(
        page.get_by_role("heading", name="The new departure date means the stay is 6 nights over the limit")
    ).to_be_visible()
    assert_accessible(page, "overstay question")
    page.get_by_label("Yes, authorised").check()
    page.get_by_label("Reason (optional)").fill("Council tenancy starts later")
    page.get_by_role("button", name="Save departure date").click()
    expect(page.get_by_text("Departure date changed")).to_be_visible()
    expect(page.get_by_text("Authorised: Council tenancy starts later")).to_be_visible()
    assert_accessible(page, "extended booking")

    page.get_by_role("button", name="Mark as departed").click()
    assert_accessible(page, "departure form")
    fill_date(page, "Departure date", today)
    page.get_by_label("Planned move-on", exact=True).check()
    page.get_by_label("Rental accommodation (private rental)", exact=True).check()
    page.get_by_role("button", name="Save departure").click()
    expect(page.locator(".moj-badge").first).to_have_text("Turnaround")
    expect(page.get_by_role("heading", name="Departed", exact=True)).to_be_visible()
    assert_accessible(page, "departed booking with its history")
    screenshot(page, "placement-departed")

    # The stay and its turnaround on the occupancy calendar.
    page.get_by_role("link", name="See the booking on the occupancy calendar").click()
    periods = page.locator("#periods ~ table")
    expect(periods).to_contain_text("Booked: Daniel Hughes (X100001)")
    assert_accessible(page, "occupancy calendar")
    page.goto(f"{live_server.url}/properties/{premises.pk}/calendar?period=month&month={today.month}&year={today.year}")
    expect(page.locator("#periods ~ table")).to_contain_text("Turnaround: 2 working days")
    assert_accessible(page, "calendar this month")

    booking = Booking.objects.get(crn="X100001")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ARCHIVED and booking.referral_id == referral.pk
    assert booking.move_on_category.outcome_group == "settled" and booking.overstays.get().is_authorised
    assert OutboundEmail.objects.filter(template_key="cas3_booking_confirmed", to_address=referrer.email).exists()
    assert list(
        DomainEvent.objects.filter(subject_id=str(booking.pk))
        .order_by("occurred_at", "id")
        .values_list("event_type", flat=True)
    ) == [
        "accommodation.cas3.booking.provisionally-made",
        "accommodation.cas3.booking.confirmed",
        "accommodation.cas3.person.arrived",
        "accommodation.cas3.booking.dates-changed",
        "accommodation.cas3.person.departed",
    ]
