"""Placement pages: search from scratch with every filter, results grouped with the other people
booked, why a bedspace is not available, booking with or without a referral, the "just taken" page
with the search kept, actions with validation and the overstay question, lists, and other regions
refused on every page."""

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.roles import Role
from cas.placements import services
from cas.placements.models import Booking
from tests.estate_factories import characteristic, make_estate, make_void, pdu
from tests.factories import make_user
from tests.placement_factories import arrived_booking, days, make_booking, make_ready_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessor(client):
    user = make_user(Role.CAS3_ASSESSOR, region_code="N51")
    client.force_login(user)
    return user


def search_params(start: dt.date, nights: int = 14, pdus=("N51LPLS",), **extra) -> dict:
    params = {
        "start_date-day": start.day,
        "start_date-month": start.month,
        "start_date-year": start.year,
        "nights": nights,
        "pdus": [pdu(code).pk for code in pdus],
    }
    params.update(extra)
    return params


def test_search_from_scratch_groups_results_and_shows_overlaps(client, assessor):
    premises, (free, busy) = make_estate("N51", bedspaces=2, reference="Grouped House")
    make_booking(busy, "X100004", start=3, nights=20)
    page = client.get(reverse("web:placement-search"), search_params(days(1)))
    body = page.content.decode()
    assert page.status_code == 200
    assert "1 bedspace available in 1 property" in body and "Grouped House" in body
    assert "Peter Slater" in body and "Sexual risk" in body and "12 nights" in body
    assert reverse("web:booking-create", args=[free.pk]) in body
    # The busy bedspace is listed with a link explaining why it is not available.
    assert reverse("web:bedspace-availability", args=[busy.pk]) in body


def test_search_filters_are_applied(client, assessor):
    women, (flat,) = make_estate("N51", bedspaces=1, reference="Women House")
    women.characteristics.add(characteristic("Women only"))
    mixed, (room,) = make_estate("N51", bedspaces=1, reference="Mixed House")
    make_booking(room, "X100002", start=1, nights=30)  # a woman is staying at Mixed House
    _, (men_room, men_room_2) = make_estate("N51", bedspaces=2, reference="Men House")

    def bookable(body, bedspace):
        return reverse("web:booking-create", args=[bedspace.pk]) in body

    body = client.get(reverse("web:placement-search"), search_params(days(5), sex="men")).content.decode()
    assert bookable(body, men_room) and not bookable(body, flat) and not bookable(body, room)
    make_booking(men_room_2, "X100001", start=1, nights=30)  # a man is staying at Men House
    body = client.get(reverse("web:placement-search"), search_params(days(5), sex="women")).content.decode()
    assert bookable(body, flat) and not bookable(body, men_room)
    body = client.get(reverse("web:placement-search"), search_params(days(5), access=["wheelchair"])).content.decode()
    assert "No bedspaces match" in body
    body = client.get(reverse("web:placement-search"), search_params(days(5), occupancy="single")).content.decode()
    assert "No bedspaces match" in body


def test_search_validation_and_region(client, assessor):
    page = client.get(reverse("web:placement-search"), {"nights": "0"})
    body = page.content.decode()
    assert "Enter the date the bedspace is needed from" in body
    assert "Enter 1 night or more" in body
    # No PDUs ticked searches the whole region: not an error for a user of one region.
    assert "Select at least one PDU" not in body and "Leave them all unticked to search every PDU in" in body
    london = pdu("N07BRNT")
    page = client.get(reverse("web:placement-search"), {**search_params(days(1), pdus=()), "pdus": [london.pk]})
    assert "Select PDUs from the list" in page.content.decode()


def test_search_from_a_referral_is_prefilled(client, assessor):
    referrer = make_user(Role.CAS3_REFERRER, region_code="N51", pdu=pdu("N51LPLS"))
    referral = make_ready_referral(referrer, "X100004")
    body = client.get(reverse("web:placement-search"), {"referral": referral.pk}).content.decode()
    assert "Placing Peter Slater" in body
    assert f'value="{referral.accommodation_required_from.day}"' in body
    # Out of region referrals are not found.
    other = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    client.force_login(other)
    assert client.get(reverse("web:placement-search"), {"referral": referral.pk}).status_code == 404


def test_why_a_bedspace_is_not_available(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1, turnaround_working_days=2)
    booking = make_booking(bedspace, "X100001", start=1, nights=10)
    make_void(bedspace, days(30), days(32))
    url = reverse("web:bedspace-availability", args=[bedspace.pk])
    body = client.get(url, search_params(days(5), nights=30)).content.decode()
    assert "Booked for Daniel Hughes (X100001)" in body and "then turnaround until" in body
    assert "Void (out of service" in body
    body = client.get(url, search_params(booking.available_from, nights=5)).content.decode()
    assert "This bedspace is available for these dates" in body


def test_book_with_a_referral_then_the_bedspace_is_taken_page_keeps_the_search(client, assessor):
    referrer = make_user(Role.CAS3_REFERRER, region_code="N51", pdu=pdu("N51LPLS"))
    referral = make_ready_referral(referrer, "X100001")
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    query = search_params(days(2), nights=10, referral=referral.pk)
    url = reverse("web:booking-create", args=[bedspace.pk])
    form = client.get(url, query)
    assert 'value="X100001"' in form.content.decode()
    post = {
        **query,
        "crn": "x100001 ",
        "arrival_date-day": days(2).day,
        "arrival_date-month": days(2).month,
        "arrival_date-year": days(2).year,
        "departure_date-day": days(12).day,
        "departure_date-month": days(12).month,
        "departure_date-year": days(12).year,
    }
    check = client.post(url, post)
    assert "Check the booking" in check.content.decode() and "Daniel Hughes" in check.content.decode()
    assert re.search(rf'value="{referral.pk}"\s+checked', check.content.decode())  # the search's referral
    # Meanwhile, someone else books it.
    make_booking(bedspace, "X100002", start=1, nights=20)
    taken = client.post(url, {**post, "confirm": "yes", "link_referral": str(referral.pk)})
    body = taken.content.decode()
    assert taken.status_code == 409 and "just been booked by someone else" in body
    assert "Back to your search results" in body and f"referral={referral.pk}" in body
    assert not Booking.objects.filter(crn="X100001").exists()


def test_book_without_a_referral(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    url = reverse("web:booking-create", args=[bedspace.pk])
    post = {
        "crn": "X100010",
        "arrival_date-day": days(2).day,
        "arrival_date-month": days(2).month,
        "arrival_date-year": days(2).year,
        "departure_date-day": days(20).day,
        "departure_date-month": days(20).month,
        "departure_date-year": days(20).year,
    }
    body = client.post(url, post).content.decode()
    assert "There is no referral ready to place for X100010" in body
    response = client.post(url, {**post, "confirm": "yes", "link_referral": "none"})
    booking = Booking.objects.get(crn="X100010")
    assert response["Location"] == reverse("web:booking-detail", args=[booking.pk])
    assert booking.referral is None and booking.person_name == "Jason Walker"
    bad = client.post(url, {**post, "crn": "nonsense"})
    assert "Enter a CRN in the right format" in bad.content.decode() or "No person with CRN" in bad.content.decode()


def test_booking_page_actions_validation_and_overstay(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = arrived_booking(bedspace, "X100001")
    detail = client.get(reverse("web:booking-detail", args=[booking.pk])).content.decode()
    assert "Mark as departed" in detail and "Extend or shorten" in detail and "Arrived" in detail
    url = reverse("web:booking-departure-date", args=[booking.pk])
    empty = client.post(url, {"version": booking.version})
    assert "Enter the departure date" in empty.content.decode()
    far = booking.arrival_date + dt.timedelta(days=100)
    date = {"departure_date-day": far.day, "departure_date-month": far.month, "departure_date-year": far.year}
    asked = client.post(url, {**date, "version": booking.version}).content.decode()
    assert "16 nights over the limit" in asked and "Is the overstay authorised?" in asked
    missing = client.post(url, {**date, "version": booking.version, "overstay_asked": "on"}).content.decode()
    assert "Select whether the overstay is authorised" in missing
    done = client.post(
        url,
        {
            **date,
            "version": booking.version,
            "overstay_asked": "on",
            "overstay_authorised": "no",
            "overstay_reason": "x",
        },
    )
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.is_overstay and booking.overstay_authorised is False
    # A stale form is refused, not applied.
    stale = client.post(reverse("web:booking-turnaround", args=[booking.pk]), {"working_days": 4, "version": 0})
    assert "Someone else changed this" in stale.content.decode()


def test_cancel_and_incident_pages(client, assessor):
    premises, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = make_booking(bedspace)
    url = reverse("web:booking-cancel", args=[booking.pk])
    assert "Select a cancellation reason" in client.post(url, {"version": booking.version}).content.decode()
    from tests.placement_factories import cancellation_reason

    today = clock.today()
    response = client.post(
        url,
        {
            "version": booking.version,
            "cancelled_on-day": today.day,
            "cancelled_on-month": today.month,
            "cancelled_on-year": today.year,
            "reason": cancellation_reason().pk,
        },
    )
    assert response.status_code == 302 and Booking.objects.get(pk=booking.pk).status == "cancelled"
    incident = client.post(
        reverse("web:premises-incident", args=[premises.pk]),
        {
            "kind": "damage",
            "occurred_on-day": today.day,
            "occurred_on-month": today.month,
            "occurred_on-year": today.year,
            "details": "Broken window",
        },
    )
    assert incident.status_code == 302
    assert "Broken window" in client.get(reverse("web:premises-incidents", args=[premises.pk])).content.decode()


def test_booking_list_tabs_and_search(client, assessor):
    _, (a, b) = make_estate("N51", bedspaces=2)
    make_booking(a, "X100001")
    services.confirm_booking(None, make_booking(b, "X100004"))
    body = client.get(reverse("web:booking-list")).content.decode()
    assert "Provisional (1)" in body and "Confirmed (1)" in body and "Daniel Hughes" in body
    body = client.get(reverse("web:booking-list"), {"status": "confirmed", "q": "X100004"}).content.decode()
    assert "Peter Slater" in body
    body = client.get(reverse("web:booking-list"), {"status": "confirmed", "q": "Hughes"}).content.decode()
    assert "No confirmed bookings match" in body


def test_other_regions_are_refused_on_every_page(client):
    _, (bedspace, second) = make_estate("N51", bedspaces=2)
    booking = make_booking(bedspace)
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code="N07"))
    pk = booking.pk
    for name, args in [
        ("web:booking-detail", [pk]),
        ("web:booking-confirm", [pk]),
        ("web:booking-arrival", [pk]),
        ("web:booking-arrival-date", [pk]),
        ("web:booking-departure-date", [pk]),
        ("web:booking-departure", [pk]),
        ("web:booking-cancel", [pk]),
        ("web:booking-non-arrival", [pk]),
        ("web:booking-turnaround", [pk]),
        ("web:booking-incident", [pk]),
        ("web:bedspace-availability", [second.pk]),
        ("web:booking-create", [second.pk]),
        ("web:premises-incidents", [booking.premises_id]),
        ("web:premises-incident", [booking.premises_id]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
        assert client.post(reverse(name, args=args), {"version": 0}).status_code in (404, 405), name
    body = client.get(reverse("web:booking-list")).content.decode()
    assert "Daniel Hughes" not in body
    assert Booking.objects.get(pk=pk).status == "provisional"


def test_pages_have_no_inline_scripts_or_styles(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = make_booking(bedspace)
    for url in (
        reverse("web:placement-home"),
        reverse("web:placement-search") + "?" + urlencode(search_params(days(1)), doseq=True),
        reverse("web:booking-detail", args=[booking.pk]),
        reverse("web:booking-list"),
    ):
        body = client.get(url).content.decode()
        assert " style=" not in body and "<style" not in body
        assert not re.search(r"<script(?![^>]*\b(src|nonce)=)[^>]*>", body), f"inline script on {url}"


# The booking page's action links for each status: text, where they go, and the button's classes.
SECONDARY = "govuk-button--secondary"
PAGE_ACTIONS = {
    "provisional": [
        ("Mark as confirmed", "web:booking-confirm", ""),
        ("Extend or shorten", "web:booking-departure-date", SECONDARY),
        ("Change arrival date", "web:booking-arrival-date", SECONDARY),
        ("Record non-arrival", "web:booking-non-arrival", SECONDARY),
        ("Cancel booking", "web:booking-cancel", "govuk-button--warning"),
        ("Change turnaround", "web:booking-turnaround", SECONDARY),
        ("Record an incident", "web:booking-incident", SECONDARY),
    ],
    "confirmed": [
        ("Mark as arrived", "web:booking-arrival", ""),
        ("Extend or shorten", "web:booking-departure-date", SECONDARY),
        ("Change arrival date", "web:booking-arrival-date", SECONDARY),
        ("Record non-arrival", "web:booking-non-arrival", SECONDARY),
        ("Cancel booking", "web:booking-cancel", "govuk-button--warning"),
        ("Change turnaround", "web:booking-turnaround", SECONDARY),
        ("Record an incident", "web:booking-incident", SECONDARY),
    ],
    "arrived": [
        ("Extend or shorten", "web:booking-departure-date", SECONDARY),
        ("Mark as departed", "web:booking-departure", ""),
        ("Change arrival date", "web:booking-arrival-date", SECONDARY),
        ("Change turnaround", "web:booking-turnaround", SECONDARY),
        ("Record an incident", "web:booking-incident", SECONDARY),
    ],
    "departed": [
        ("Update departure details", "web:booking-departure", SECONDARY),
        ("Change turnaround", "web:booking-turnaround", SECONDARY),
        ("Record an incident", "web:booking-incident", SECONDARY),
    ],
    "closed": [
        ("Update departure details", "web:booking-departure", SECONDARY),
        ("Change turnaround", "web:booking-turnaround", SECONDARY),
        ("Record an incident", "web:booking-incident", SECONDARY),
    ],
    "cancelled": [("Update cancelled booking", "web:booking-cancel", SECONDARY)],
    "not_arrived": [],
}
BUTTON = re.compile(
    r'<a href="([^"]+)" role="button" draggable="false" class="govuk-button ?([^"]*)" '
    r'data-module="govuk-button">\s*(.*?)\s*</a>'
)


def _action_links(body: str) -> list[tuple[str, str, str]]:
    """The booking page's action buttons: (href, extra classes, text)."""
    group = re.search(r'<div class="govuk-button-group">(.*?)</div>', body, re.S)
    return BUTTON.findall(group.group(1)) if group else []


@pytest.mark.parametrize("status", list(PAGE_ACTIONS))
def test_the_booking_page_offers_each_status_its_actions(client, assessor, status):
    from tests.placement_factories import booking_in

    booking = booking_in(status)
    body = client.get(reverse("web:booking-detail", args=[booking.pk])).content.decode()
    expected = PAGE_ACTIONS[status]
    assert _action_links(body) == [
        (reverse(name, args=[booking.pk]), classes, text) for text, name, classes in expected
    ]
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    assert _action_links(client.get(reverse("web:booking-detail", args=[booking.pk])).content.decode()) == []


@pytest.mark.parametrize("status", list(PAGE_ACTIONS))
def test_the_booking_pages_links_are_the_lifecycles_allowed_actions(client, assessor, status):
    from cas.placements import lifecycle
    from cas.web.placements.views import ACTION_LINKS
    from tests.placement_factories import booking_in

    booking = booking_in(status)
    body = client.get(reverse("web:booking-detail", args=[booking.pk])).content.decode()
    link_to_action = {(reverse(name, args=[booking.pk]), text): a for a, (text, name, _) in ACTION_LINKS.items()}
    offered = [link_to_action[(href, text)] for href, _, text in _action_links(body)]
    assert offered == lifecycle.allowed_actions(booking.current_status)
