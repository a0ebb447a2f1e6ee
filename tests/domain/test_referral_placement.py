"""What the referrer learns of the booking made for their referral (issue 20, point 1): the address and
expected arrival once it is confirmed, then the arrival, the departure and where the person moved on to,
on their referral's timeline and through `cas.referrals.placement`; nothing while it is provisional or
after it is cancelled; and the same status word as the HPT's."""

import pytest

from cas.core.roles import Role
from cas.placements import services
from cas.referrals import placement, timeline
from cas.referrals.cas3.workflow import Status
from cas.referrals.models import Referral, TimelineEntry
from tests.estate_factories import make_estate
from tests.factories import make_user, pdu
from tests.placement_factories import (
    cancellation_reason,
    days,
    departure_reason,
    make_booking,
    make_ready_referral,
    move_on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrer():
    return make_user(Role.CAS3_REFERRER, username="pp.placed", pdu=pdu("N51LPLS"))


@pytest.fixture
def assessor():
    return make_user(Role.CAS3_ASSESSOR, username="hpt.placer")


def described(referral) -> list[tuple[str, str]]:
    return [timeline.describe(e) for e in timeline.entries(referral, for_referrer=True)]


def test_the_referrer_follows_the_placement_from_booking_to_move_on(referrer, assessor):
    referral = make_ready_referral(referrer)
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    address = bedspace.premises.address
    booking = make_booking(bedspace, referral=referral, start=0, nights=14, actor=assessor)
    assert placement.for_referrer(referral) is None  # provisional: still the HPT's to settle

    services.confirm_booking(assessor, booking)
    referral = Referral.objects.get(pk=referral.pk)
    placed = placement.for_referrer(referral)
    assert (placed.address, placed.expected_arrival, placed.stage) == (address, days(0), placement.BOOKED)
    assert dict(placed.rows())["Expected arrival"] and "Arrived on" not in dict(placed.rows())
    # One word for the status on both sides.
    assert referral.status == Status.ARCHIVED and referral.referrer_status[0] == referral.status_label == "Archived"
    title, text = described(referral)[0]
    assert title == "Booking confirmed: referral archived"
    assert f"Booked at {address}, expected to arrive on" in text and "Status: Archived." in text

    booking = services.record_arrival(assessor, booking, arrival_date=days(0), expected_departure_date=days(10))
    placed = placement.for_referrer(referral)
    assert (placed.arrived_on, placed.expected_departure, placed.stage) == (days(0), days(10), placement.ARRIVED)
    title, text = described(referral)[0]
    assert title == "Arrived" and text.startswith(f"Arrived at {address} on ") and "Expected to leave by" in text

    services.record_departure(
        assessor, booking, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
    )
    placed = placement.for_referrer(referral)
    assert (placed.left_on, placed.move_on, placed.stage) == (days(0), move_on().name, placement.LEFT)
    assert dict(placed.rows())["Moved on to"] == "Rental accommodation (private rental)"
    title, text = described(referral)[0]
    assert title == "Moved on" and text.endswith("Moved on to: Rental accommodation (private rental).")
    entry = timeline.entries(referral, for_referrer=True)[0]
    assert entry.kind == TimelineEntry.Kind.PLACEMENT and entry.author == assessor
    # Nothing the referrer may not see: no notes, reasons or bedspace.
    assert set(entry.details) == {"event", "left_on", "move_on"}


def test_a_cancelled_booking_is_no_longer_the_referrers_placement(referrer, assessor):
    referral = make_ready_referral(referrer)
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = services.confirm_booking(assessor, make_booking(bedspace, referral=referral, actor=assessor))
    assert placement.for_referrer(referral) is not None
    services.cancel_booking(assessor, booking, cancelled_on=days(0), reason=cancellation_reason())
    assert placement.for_referrer(referral) is None
    assert Referral.objects.get(pk=referral.pk).status == Status.READY_TO_PLACE
    assert described(referral)[0][0] == "Booking cancelled: ready to place again"


def test_a_booking_without_a_referral_tells_no_timeline(assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = services.confirm_booking(assessor, make_booking(bedspace, start=0, actor=assessor))
    services.record_arrival(assessor, booking, arrival_date=days(0), expected_departure_date=days(5))
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.PLACEMENT).exists()
