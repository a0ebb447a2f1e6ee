"""Issue 20's booking changes: a search of a whole region, the warning for a person not suitable to
share, notes kept on the booking, an arrival earlier than booked, and a new expected arrival date
before the person arrives (with the same no-double-booking rule as booking)."""

import pytest

from cas.core.errors import DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.placements import queries, search, services
from cas.placements.models import ArrivalDateChange
from cas.placements.search import Criteria
from cas.placements.services import BedspaceTaken
from cas.placements.sharing import NotSuitableToShare
from cas.placements.status import BookingStatus
from cas.reference.models import ProbationDeliveryUnit
from cas.referrals.models import Referral
from tests.estate_factories import characteristic, make_bedspace, make_estate, make_premises
from tests.factories import make_user, pdu, region
from tests.placement_factories import days, make_booking, make_ready_referral

pytestmark = pytest.mark.django_db
S = BookingStatus


@pytest.fixture
def assessor_n51():
    return make_user(Role.CAS3_ASSESSOR, region_code="N51")


@pytest.fixture
def referrer_n51():
    return make_user(Role.CAS3_REFERRER, region_code="N51", pdu=pdu("N51LPLS"))


def _not_suitable_to_share(referral):
    Referral.objects.filter(pk=referral.pk).update(is_able_to_share=False)
    return Referral.objects.get(pk=referral.pk)


# Search the whole region ---------------------------------------------------------------------------------


def test_no_pdus_with_a_region_searches_every_pdu_of_the_region(assessor_n51):
    units = list(ProbationDeliveryUnit.objects.active().filter(region__delius_code="N51").order_by("name"))
    assert len(units) > 5  # more than the old limit of five PDUs at once
    found = {}
    for unit in units[:6]:
        premises = make_premises("N51", pdu_code=unit.delius_code)
        found[premises.pk] = make_bedspace(premises, "Room A", start_date=days(-30))
    elsewhere = make_estate("N07", bedspaces=1)[0]
    results = search.search(assessor_n51, Criteria(start_date=days(1), nights=7, pdus=(), region=region("N51")))
    assert results.criteria.pdus == tuple(units)
    assert {p.premises.id for p in results.properties} == set(found)
    assert elsewhere.pk not in {p.premises.id for p in results.properties}
    # Six PDUs chosen one by one are allowed too.
    chosen = search.search(assessor_n51, Criteria(start_date=days(1), nights=7, pdus=tuple(units[:6])))
    assert {p.premises.id for p in chosen.properties} == set(found)


def test_a_regional_user_cannot_search_another_whole_region(assessor_n51):
    with pytest.raises(DomainError, match="only the PDUs of your own region") as exc:
        search.search(assessor_n51, Criteria(start_date=days(1), nights=7, pdus=(), region=region("N07")))
    assert exc.value.field == "pdus"
    with pytest.raises(DomainError, match="Select at least one PDU"):
        search.search(assessor_n51, Criteria(start_date=days(1), nights=7, pdus=()))


def test_results_mark_shared_properties(assessor_n51):
    shared, _ = make_estate("N51", bedspaces=1, characteristics=[characteristic("Shared property")])
    single, _ = make_estate("N51", bedspaces=1, characteristics=[characteristic("Single occupancy")])
    results = search.search(assessor_n51, Criteria(start_date=days(1), nights=7, pdus=(pdu("N51LPLS"),)))
    marks = {p.premises.id: p.premises.is_shared for p in results.properties}
    assert marks[shared.pk] is True and marks[single.pk] is False


# Not suitable to share -----------------------------------------------------------------------------------


def test_booking_a_person_not_suitable_to_share_into_a_shared_property_needs_acknowledging(assessor_n51, referrer_n51):
    _, (bedspace,) = make_estate("N51", bedspaces=1, characteristics=[characteristic("Shared property")])
    referral = _not_suitable_to_share(make_ready_referral(referrer_n51, "X100001"))
    book = {"crn": "X100001", "arrival_date": days(1), "departure_date": days(8), "referral": referral}
    with pytest.raises(NotSuitableToShare) as exc:
        services.create_booking(assessor_n51, bedspace, **book)
    assert exc.value.code == "not_suitable_to_share" and exc.value.field == "sharing_acknowledged"
    assert "not suitable to share" in exc.value.message
    booking = services.create_booking(assessor_n51, bedspace, **book, sharing_acknowledged=True)
    assert booking.status == S.PROVISIONAL


def test_no_acknowledgement_for_a_single_occupancy_property_or_without_a_referral(assessor_n51, referrer_n51):
    _, (single,) = make_estate("N51", bedspaces=1, characteristics=[characteristic("Single occupancy")])
    _, (shared,) = make_estate("N51", bedspaces=1, characteristics=[characteristic("Shared property")])
    referral = _not_suitable_to_share(make_ready_referral(referrer_n51, "X100001"))
    services.create_booking(
        assessor_n51, single, crn="X100001", arrival_date=days(1), departure_date=days(8), referral=referral
    )
    # Without a referral the service has no answer to go on.
    services.create_booking(assessor_n51, shared, crn="X100002", arrival_date=days(1), departure_date=days(8))


# Notes kept on the booking ------------------------------------------------------------------------------


def test_notes_when_booking_are_kept_on_the_booking_and_in_its_history(assessor_n51):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = services.create_booking(
        assessor_n51, bedspace, crn="X100001", arrival_date=days(1), departure_date=days(8), notes="  Key safe 4521 "
    )
    booking.refresh_from_db()
    assert booking.notes == "Key safe 4521"
    booked = queries.timeline(booking)[-1]
    assert booked.label == "Booked (provisional)" and "Notes: Key safe 4521" in booked.lines
    with pytest.raises(DomainError, match="2000 characters"):
        services.create_booking(
            assessor_n51, bedspace, crn="X100002", arrival_date=days(20), departure_date=days(21), notes="x" * 2001
        )


# Arrival earlier than booked, and a new expected arrival date ----------------------------------------------


def test_an_arrival_earlier_than_the_booked_date_is_recorded_without_cancelling():
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = services.confirm_booking(None, make_booking(bedspace, start=5, nights=10))
    booking = services.record_arrival(None, booking, arrival_date=days(0), expected_departure_date=days(15))
    assert booking.status == S.ARRIVED and booking.arrival_date == booking.actual_arrival_date == days(0)


def test_the_expected_arrival_date_moves_before_arrival_with_history_audit_event_and_email(assessor_n51, referrer_n51):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    referral = make_ready_referral(referrer_n51, "X100001")
    booking = services.create_booking(
        assessor_n51, bedspace, crn="X100001", arrival_date=days(10), departure_date=days(40), referral=referral
    )
    # Provisional: the practitioner has not been sent the dates, so no email.
    booking = services.change_arrival_date(assessor_n51, booking, arrival_date=days(7), notes="Release brought forward")
    assert booking.arrival_date == days(7) and booking.actual_arrival_date is None and booking.status == S.PROVISIONAL
    assert not OutboundEmail.objects.filter(template_key="cas3_booking_arrival_date_changed").exists()
    booking = services.confirm_booking(assessor_n51, booking)
    booking = services.change_arrival_date(assessor_n51, booking, arrival_date=days(2))
    email = OutboundEmail.objects.get(template_key="cas3_booking_arrival_date_changed")
    assert email.to_address == referrer_n51.email
    assert days(2).strftime("%-d") in email.body and "Previous arrival date" in email.body
    changes = list(ArrivalDateChange.objects.filter(booking=booking).order_by("created_at"))
    assert [(c.previous_arrival_date, c.new_arrival_date) for c in changes] == [(days(10), days(7)), (days(7), days(2))]
    assert changes[0].notes == "Release brought forward"
    assert AuditEvent.objects.filter(subject_id=str(booking.pk), action="booking.arrival_date_changed").count() == 2
    event = DomainEvent.objects.filter(subject_id=str(booking.pk)).order_by("occurred_at", "id").last()
    assert event.event_type == "accommodation.cas3.booking.arrival-date-changed"
    assert event.detail["previousArrivalDate"] == days(7).isoformat()
    assert event.detail["arrivalDate"] == days(2).isoformat()
    labels = [e.label for e in queries.timeline(booking)]
    assert labels.count("Arrival date changed") == 2


def test_a_new_expected_arrival_date_obeys_the_booking_rules():
    _, (bedspace,) = make_estate("N51", bedspaces=1, turnaround_working_days=0)
    earlier = make_booking(bedspace, "X100002", start=0, nights=5)
    booking = make_booking(bedspace, start=10, nights=20)
    version = booking.version
    with pytest.raises(DomainError, match="today or later"):
        services.change_arrival_date(None, booking, arrival_date=days(-1))
    with pytest.raises(DomainError, match="different arrival date"):
        services.change_arrival_date(None, booking, arrival_date=days(10))
    with pytest.raises(DomainError, match="before the expected departure date"):
        services.change_arrival_date(None, booking, arrival_date=days(30))
    # The previous booking holds the bedspace until day 5: no double booking.
    with pytest.raises(BedspaceTaken):
        services.change_arrival_date(None, booking, arrival_date=days(4))
    later = make_booking(make_estate("N51", bedspaces=1)[1][0], start=10, nights=80)
    with pytest.raises(DomainError, match="over 84 nights"):
        services.change_arrival_date(None, later, arrival_date=days(5))
    booking = services.change_arrival_date(None, booking, arrival_date=days(5))
    assert booking.arrival_date == days(5) and earlier.pk
    assert booking.version == version + 1  # the refusals changed nothing
