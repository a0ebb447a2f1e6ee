"""Issue 20's pages: the search of a whole region with its summary and Search button before the needs,
the warning for a person not suitable to share (on the results and on "Check the booking", which asks
for an acknowledgement), notes shown on the booking, a new arrival date before arrival, and an
arrival earlier than booked."""

import pytest
from django.urls import reverse

from cas.core.roles import Role
from cas.placements import services
from cas.placements.models import Booking
from cas.reference.models import ProbationDeliveryUnit
from cas.referrals.models import Referral
from tests.estate_factories import characteristic, make_bedspace, make_estate, make_premises, pdu
from tests.factories import make_user
from tests.placement_factories import days, make_booking, make_ready_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessor(client):
    user = make_user(Role.CAS3_ASSESSOR, region_code="N51")
    client.force_login(user)
    return user


def _dates(prefix, day) -> dict:
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def test_no_pdus_ticked_searches_the_whole_region_with_a_summary_above_the_results(client, assessor):
    units = list(ProbationDeliveryUnit.objects.active().filter(region__delius_code="N51").order_by("name"))
    far = units[-1]
    premises = make_premises("N51", pdu_code=far.delius_code, reference="Far House")
    bedspace = make_bedspace(premises, "Room A", start_date=days(-30))
    page = client.get(reverse("web:placement-search"), {**_dates("start_date", days(2)), "nights": 7, "sex": "men"})
    body = page.content.decode()
    assert page.status_code == 200 and "Far House" in body
    assert reverse("web:booking-create", args=[bedspace.pk]) in body
    assert f"All {len(units)} PDUs in North West" in body and "Men only" in body
    assert 'href="#search-form"' in body
    # The Search button comes before the needs (occupancy, sex, risks, access, local authorities).
    assert body.index(">\n  Search\n<") < body.index("Needs (optional)") < body.index('name="occupancy"')


def test_results_and_check_page_warn_about_a_person_not_suitable_to_share(client, assessor):
    referrer = make_user(Role.CAS3_REFERRER, region_code="N51", pdu=pdu("N51LPLS"))
    referral = make_ready_referral(referrer, "X100001")
    Referral.objects.filter(pk=referral.pk).update(is_able_to_share=False)
    _, (bedspace,) = make_estate("N51", bedspaces=1, characteristics=[characteristic("Shared property")])
    query = {**_dates("start_date", days(2)), "nights": 10, "referral": referral.pk, "occupancy": "all"}
    results = client.get(reverse("web:placement-search"), query).content.decode()
    assert "is not suitable to share accommodation. Shared properties are marked" in results
    assert "Shared property</strong>" in results
    url = reverse("web:booking-create", args=[bedspace.pk])
    post = {**query, "crn": "X100001", **_dates("arrival_date", days(2)), **_dates("departure_date", days(12))}
    check = client.post(url, post).content.decode()
    assert "is not suitable to share accommodation, and this is a shared property" in check
    assert 'name="sharing_acknowledged"' in check
    confirm = {**post, "confirm": "yes", "link_referral": str(referral.pk), "notes": "Ground floor room agreed"}
    refused = client.post(url, confirm).content.decode()
    assert "Confirm you have considered this" in refused and "govuk-error-summary" in refused
    assert not Booking.objects.filter(crn="X100001").exists()
    booked = client.post(url, {**confirm, "sharing_acknowledged": "on"})
    booking = Booking.objects.get(crn="X100001")
    assert booked["Location"] == reverse("web:booking-detail", args=[booking.pk])
    page = client.get(booked["Location"]).content.decode()
    assert "Notes when booked" in page and page.count("Ground floor room agreed") == 2  # the card and the history


def test_change_the_arrival_date_before_arrival(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = services.confirm_booking(None, make_booking(bedspace, start=10, nights=20))
    detail = client.get(reverse("web:booking-detail", args=[booking.pk])).content.decode()
    url = reverse("web:booking-arrival-date", args=[booking.pk])
    assert url in detail and "Change arrival date" in detail
    form = client.get(url).content.decode()
    assert "Change the date the person is expected to arrive" in form and "Today or later" in form
    past = client.post(url, {**_dates("arrival_date", days(-1)), "version": booking.version}).content.decode()
    assert "The new arrival date must be today or later" in past
    done = client.post(url, {**_dates("arrival_date", days(3)), "version": booking.version, "notes": "Early release"})
    assert done["Location"] == reverse("web:booking-detail", args=[booking.pk])
    booking.refresh_from_db()
    assert booking.arrival_date == days(3) and booking.status == "confirmed"
    page = client.get(done["Location"]).content.decode()
    assert "Arrival date changed" in page and "Early release" in page
    assert "Arrival date changed. We have emailed the referrer" in page  # it was confirmed: they had the date


def test_record_an_arrival_earlier_than_booked(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = services.confirm_booking(None, make_booking(bedspace, start=5, nights=20))
    url = reverse("web:booking-arrival", args=[booking.pk])
    assert "If they arrived earlier than booked" in client.get(url).content.decode()
    done = client.post(
        url,
        {**_dates("arrival_date", days(0)), **_dates("expected_departure_date", days(25)), "version": booking.version},
    )
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "arrived" and booking.actual_arrival_date == days(0)
