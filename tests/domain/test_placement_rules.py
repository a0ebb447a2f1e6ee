"""Booking rules, one test each: creating, the lifecycle, the 84-night rule and overstays, arrival
date changes, turnaround in working days, cancellation, non-arrival, departure and move-on,
effects on the referral, emails, events and audit, and the region rule."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cas.core.errors import Conflict, DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.placements import services
from cas.placements.models import Booking, Incident, Overstay
from cas.placements.services import BedspaceTaken, OverstayDecision, OverstayDecisionNeeded
from cas.placements.status import BookingStatus, available_from
from cas.premises import services as estate
from cas.premises.occupancy import busy_periods
from cas.referrals.cas3.workflow import Status as ReferralStatus
from tests.estate_factories import make_estate, make_void
from tests.factories import make_user, pdu
from tests.placement_factories import (
    arrived_booking,
    cancellation_reason,
    days,
    departure_reason,
    make_booking,
    make_ready_referral,
    move_on,
    non_arrival_reason,
)

pytestmark = pytest.mark.django_db
S = BookingStatus


@pytest.fixture
def estate_n51():
    return make_estate("N51", bedspaces=2, turnaround_working_days=2)


@pytest.fixture
def assessor_n51():
    return make_user(Role.CAS3_ASSESSOR, region_code="N51")


@pytest.fixture
def referrer_n51():
    return make_user(Role.CAS3_REFERRER, region_code="N51", pdu=pdu("N51LPLS"))


def events_of(booking):
    return list(
        DomainEvent.objects.filter(subject_id=str(booking.pk))
        .order_by("occurred_at", "id")
        .values_list("event_type", flat=True)
    )


# Creating ---------------------------------------------------------------------------------------


def test_booking_without_referral_takes_the_person_from_the_case_system(estate_n51, assessor_n51):
    _, (bedspace, _) = estate_n51
    booking = make_booking(bedspace, "X100004", actor=assessor_n51)
    assert booking.status == S.PROVISIONAL and booking.referral is None
    assert booking.person_name == "Peter Slater" and booking.noms_number == "A1004AD"
    assert booking.is_sexual_risk is True and booking.sex == "Male"
    assert booking.turnaround_working_days == 2
    assert booking.available_from == available_from(booking.departure_date, 2)
    assert events_of(booking) == ["accommodation.cas3.booking.provisionally-made"]
    assert AuditEvent.objects.filter(action="booking.created", subject_id=str(booking.pk), crn="X100004").exists()
    assert AuditEvent.objects.filter(action="person.viewed", crn="X100004", actor=assessor_n51).exists()


def test_booking_from_a_referral_copies_the_person_and_links_it(estate_n51, assessor_n51, referrer_n51):
    _, (bedspace, _) = estate_n51
    referral = make_ready_referral(referrer_n51, "X100001")
    booking = make_booking(bedspace, "X100001", referral=referral, actor=assessor_n51)
    assert booking.referral == referral and booking.person_name == referral.person_name
    assert booking.practitioner_email == referrer_n51.email


def test_referral_must_be_ready_to_place_for_the_same_crn_and_not_booked_twice(estate_n51, assessor_n51, referrer_n51):
    _, (bedspace, other) = estate_n51
    referral = make_ready_referral(referrer_n51, "X100001")
    with pytest.raises(DomainError, match="The referral is for X100001, not X100002"):
        make_booking(bedspace, "X100002", referral=referral, actor=assessor_n51)
    make_booking(bedspace, "X100001", referral=referral, actor=assessor_n51)
    with pytest.raises(Conflict, match="already has a booking"):
        make_booking(other, "X100001", referral=referral, actor=assessor_n51)


def test_unknown_and_malformed_crns_are_refused(estate_n51, assessor_n51):
    _, (bedspace, _) = estate_n51
    with pytest.raises(DomainError, match="right format"):
        make_booking(bedspace, "12345", actor=assessor_n51)
    with pytest.raises(DomainError, match="No person with CRN X999999"):
        make_booking(bedspace, "X999999", actor=assessor_n51)


def test_restricted_people_cannot_be_booked_by_users_without_access(estate_n51, assessor_n51):
    _, (bedspace, _) = estate_n51
    with pytest.raises(DomainError, match="restricted"):
        make_booking(bedspace, "X100008", actor=assessor_n51)


def test_creation_is_limited_to_84_nights_and_dates_in_order(estate_n51):
    _, (bedspace, _) = estate_n51
    with pytest.raises(DomainError, match="within 84 nights"):
        make_booking(bedspace, nights=85)
    make_booking(bedspace, nights=84)
    _, (other, _) = make_estate("N51", bedspaces=2)
    with pytest.raises(DomainError, match="after the arrival date"):
        make_booking(other, nights=0)
    with pytest.raises(DomainError, match="must not be in the past"):
        make_booking(other, start=-20, nights=5)


def test_bedspace_must_be_in_service_for_the_stay_and_its_turnaround(estate_n51):
    _, (bedspace, other) = estate_n51
    estate.archive_bedspace(None, bedspace, days(10))
    with pytest.raises(DomainError, match="archived from"):
        make_booking(bedspace, start=1, nights=8)  # leaves on day 9, turnaround runs past day 10
    # Free from day 9 with a same-day turnaround: fits before the archive date.
    premises, (zero,) = make_estate("N51", bedspaces=1, turnaround_working_days=0)
    estate.archive_bedspace(None, zero, days(10))
    make_booking(zero, start=1, nights=9)


# No double booking -------------------------------------------------------------------------------


def test_overlapping_bookings_are_refused_and_adjacent_ones_allowed_after_turnaround(estate_n51):
    _, (bedspace, _) = estate_n51
    first = make_booking(bedspace, start=1, nights=10)
    with pytest.raises(BedspaceTaken, match="just been booked"):
        make_booking(bedspace, "X100002", start=5, nights=10)
    # The turnaround (2 working days after departure) is held too.
    with pytest.raises(BedspaceTaken):
        services.create_booking(
            None, bedspace, crn="X100002", arrival_date=first.departure_date, departure_date=days(30)
        )
    booking = services.create_booking(
        None, bedspace, crn="X100002", arrival_date=first.available_from, departure_date=days(40)
    )
    assert booking.arrival_date == first.available_from


def test_same_day_turnaround_frees_the_bedspace_on_the_departure_day():
    _, (bedspace,) = make_estate("N51", bedspaces=1, turnaround_working_days=0)
    first = make_booking(bedspace, start=1, nights=5)
    assert first.available_from == first.departure_date
    second = services.create_booking(
        None, bedspace, crn="X100002", arrival_date=first.departure_date, departure_date=days(20)
    )
    assert second.pk


def test_voids_and_bookings_never_overlap_either_way(estate_n51):
    _, (bedspace, other) = estate_n51
    make_void(bedspace, days(5), days(8))
    with pytest.raises(BedspaceTaken, match="void"):
        make_booking(bedspace, start=1, nights=10)
    booking = make_booking(other, start=1, nights=10)
    with pytest.raises(Conflict, match="overlap a booking"):
        make_void(other, days(3), days(4))
    with pytest.raises(Conflict, match="overlap a turnaround"):
        make_void(other, booking.departure_date, booking.departure_date)
    make_void(other, booking.available_from, booking.available_from)


def test_cancelled_and_non_arrived_bookings_free_the_bedspace(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = make_booking(bedspace, start=1, nights=10)
    services.cancel_booking(None, booking, cancelled_on=days(0), reason=cancellation_reason())
    second = make_booking(bedspace, "X100002", start=1, nights=10)
    services.confirm_booking(None, second)
    # A non-arrival can only be recorded once the day has come; book one that started today.
    _, (today_bed,) = make_estate("N51", bedspaces=1)
    today = make_booking(today_bed, start=0, nights=5)
    services.record_non_arrival(None, today, reason=non_arrival_reason())
    assert make_booking(today_bed, "X100003", start=0, nights=5).pk


def test_bookings_block_archiving_until_after_their_turnaround(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = make_booking(bedspace, start=1, nights=10)
    with pytest.raises(estate.ArchiveBlocked) as refused:
        estate.archive_bedspace(None, bedspace, days(5))
    assert refused.value.earliest == booking.available_from
    estate.archive_bedspace(None, bedspace, booking.available_from)


def test_bookings_and_turnarounds_are_busy_periods_for_the_estate(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = make_booking(bedspace, start=1, nights=10)
    periods = busy_periods([bedspace.pk], days(0), days(40))
    assert [(p.kind, p.start, p.end) for p in periods] == [
        ("booking", booking.arrival_date, booking.departure_date - dt.timedelta(days=1)),
        ("turnaround", booking.departure_date, booking.available_from - dt.timedelta(days=1)),
    ]


# Lifecycle ------------------------------------------------------------------------------------------


def test_whole_stay_with_referral_effects_emails_and_events(estate_n51, assessor_n51, referrer_n51):
    _, (bedspace, _) = estate_n51
    referral = make_ready_referral(referrer_n51, "X100001")
    booking = services.create_booking(
        assessor_n51, bedspace, crn="X100001", arrival_date=days(0), departure_date=days(30), referral=referral
    )
    services.confirm_booking(assessor_n51, booking, notes="Offer accepted by phone")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ARCHIVED
    email = OutboundEmail.objects.get(template_key="cas3_booking_confirmed")
    assert email.to_address == referrer_n51.email and booking.premises.postcode in email.body
    booking = services.record_arrival(
        assessor_n51,
        booking,
        arrival_date=days(0),
        expected_departure_date=days(90),
        overstay=OverstayDecision(True, "Waiting for a council flat"),
    )
    assert booking.status == S.ARRIVED and booking.is_overstay and booking.overstay_authorised
    booking = services.record_departure(
        assessor_n51,
        booking,
        departure_date=days(0),
        reason=departure_reason(),
        move_on_category=move_on(),
    )
    assert booking.status == S.DEPARTED and booking.current_status == S.DEPARTED
    assert booking.actual_departure_date == days(0) and booking.move_on_category == move_on()
    assert not booking.is_overstay  # the stay ended within 84 nights
    assert booking.status_on(booking.available_from) == S.CLOSED
    assert events_of(booking) == [
        "accommodation.cas3.booking.provisionally-made",
        "accommodation.cas3.booking.confirmed",
        "accommodation.cas3.person.arrived",
        "accommodation.cas3.person.departed",
    ]
    detail = DomainEvent.objects.filter(subject_id=str(booking.pk)).last().detail
    assert detail["premises"]["postcode"] == booking.premises.postcode
    assert detail["premises"]["region"]["code"] == "N51" and detail["premises"]["localAuthority"]["code"]
    assert detail["personReference"] == {"crn": "X100001", "noms": "A1001AA"}
    assert detail["referralId"] == str(referral.pk) and detail["moveOnCategory"] == move_on().name
    actions = set(AuditEvent.objects.filter(subject_id=str(booking.pk)).values_list("action", flat=True))
    assert actions == {"booking.created", "booking.confirmed", "booking.arrived", "booking.departed"}


def test_actions_only_from_their_statuses(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = make_booking(bedspace, start=0, nights=10)
    with pytest.raises(Conflict, match="mark the person as arrived"):
        services.record_arrival(None, booking, arrival_date=days(0), expected_departure_date=days(10))
    with pytest.raises(Conflict, match="record a departure"):
        services.record_departure(
            None, booking, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
        )
    services.confirm_booking(None, booking)
    with pytest.raises(Conflict, match="confirm this booking"):
        services.confirm_booking(None, booking)
    booking = services.record_arrival(None, booking, arrival_date=days(0), expected_departure_date=days(10))
    with pytest.raises(Conflict, match="cancel this booking"):
        services.cancel_booking(None, booking, cancelled_on=days(0), reason=cancellation_reason())
    with pytest.raises(Conflict, match="did not arrive"):
        services.record_non_arrival(None, booking, reason=non_arrival_reason())


def test_arrival_date_today_or_up_to_14_days_back(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = make_booking(bedspace, start=0, nights=10)
    services.confirm_booking(None, booking)
    with pytest.raises(DomainError, match="today or in the past"):
        services.record_arrival(None, booking, arrival_date=days(1), expected_departure_date=days(10))
    with pytest.raises(DomainError, match="no more than 14 days ago"):
        services.record_arrival(None, booking, arrival_date=days(-15), expected_departure_date=days(10))
    booking = services.record_arrival(None, booking, arrival_date=days(-14), expected_departure_date=days(10))
    assert booking.arrival_date == days(-14)


def test_change_arrival_date_back_at_most_14_days_with_event(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = arrived_booking(bedspace, arrived_days_ago=2)
    with pytest.raises(DomainError, match="no more than 14 days ago"):
        services.change_arrival_date(None, booking, arrival_date=days(-15))
    with pytest.raises(DomainError, match="different arrival date"):
        services.change_arrival_date(None, booking, arrival_date=days(-2))
    booking = services.change_arrival_date(None, booking, arrival_date=days(-10), notes="Arrived earlier")
    assert booking.arrival_date == booking.actual_arrival_date == days(-10)
    assert events_of(booking)[-1] == "accommodation.cas3.person.arrived.updated"


def test_arrival_date_cannot_move_onto_the_previous_booking():
    _, (bedspace,) = make_estate("N51", bedspaces=1, turnaround_working_days=0)
    earlier = services.create_booking(None, bedspace, crn="X100002", arrival_date=days(-10), departure_date=days(1))
    booking = make_booking(bedspace, start=1, nights=10)
    services.confirm_booking(None, booking)
    with pytest.raises(BedspaceTaken):
        services.record_arrival(None, booking, arrival_date=days(0), expected_departure_date=days(11))
    assert earlier.pk


def test_extending_past_84_nights_needs_an_overstay_decision(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = arrived_booking(bedspace, arrived_days_ago=3, nights=20)
    with pytest.raises(OverstayDecisionNeeded) as needed:
        services.change_departure_date(None, booking, departure_date=booking.arrival_date + dt.timedelta(days=90))
    assert needed.value.nights_over == 6
    booking = services.change_departure_date(
        None,
        booking,
        departure_date=booking.arrival_date + dt.timedelta(days=90),
        overstay=OverstayDecision(False, "Move-on fell through"),
    )
    assert booking.is_overstay and booking.overstay_authorised is False
    assert booking.overstay_reason == "Move-on fell through"
    overstay = Overstay.objects.get(booking=booking)
    assert overstay.nights == 90 and not overstay.is_authorised
    # Shortening within the decision needs no new one; going further does.
    booking = services.change_departure_date(None, booking, departure_date=booking.arrival_date + dt.timedelta(days=60))
    assert not booking.is_overstay
    assert events_of(booking)[-1] == "accommodation.cas3.booking.dates-changed"


def test_extension_cannot_overlap_the_next_booking(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = make_booking(bedspace, start=1, nights=10)
    later = make_booking(bedspace, "X100002", start=30, nights=10)
    with pytest.raises(BedspaceTaken, match="overlap another booking"):
        services.change_departure_date(None, booking, departure_date=later.arrival_date)
    with pytest.raises(DomainError, match="within 84 nights"):
        services.change_departure_date(None, booking, departure_date=days(90))
    booking = services.change_departure_date(None, booking, departure_date=days(20))
    assert booking.available_from <= later.arrival_date


def test_turnaround_in_working_days_over_a_bank_holiday_weekend():
    _, (bedspace,) = make_estate("N51", bedspaces=1, turnaround_working_days=2)
    booking = make_booking(bedspace, start=1, nights=10)
    booking = services.change_turnaround(None, booking, working_days=5, notes="Deep clean needed")
    assert booking.turnaround_working_days == 5
    assert booking.available_from == available_from(booking.departure_date, 5)
    # Good Friday 2026 is 3 April and Easter Monday 6 April: leaving Thursday 2 April with two
    # working days' turnaround keeps the bedspace until Wednesday 8 April.
    assert available_from(dt.date(2026, 4, 2), 2) == dt.date(2026, 4, 9)
    assert available_from(dt.date(2026, 4, 2), 0) == dt.date(2026, 4, 2)
    with pytest.raises(DomainError, match="different number"):
        services.change_turnaround(None, booking, working_days=5)
    later = make_booking(bedspace, "X100002", start=40, nights=5)
    with pytest.raises(BedspaceTaken):
        services.change_turnaround(None, booking, working_days=30)
    assert later.pk


def test_cancellation_puts_a_confirmed_referral_back_and_emails(estate_n51, referrer_n51):
    _, (bedspace, _) = estate_n51
    referral = make_ready_referral(referrer_n51, "X100001")
    booking = make_booking(bedspace, "X100001", referral=referral)
    services.confirm_booking(None, booking)
    with pytest.raises(DomainError, match="Select a cancellation reason"):
        services.cancel_booking(None, booking, cancelled_on=days(0), reason=None)
    with pytest.raises(DomainError, match="today or in the past"):
        services.cancel_booking(None, booking, cancelled_on=days(1), reason=cancellation_reason())
    booking = services.cancel_booking(None, booking, cancelled_on=days(0), reason=cancellation_reason(), notes="x")
    referral.refresh_from_db()
    assert booking.status == S.CANCELLED and referral.status == ReferralStatus.READY_TO_PLACE
    email = OutboundEmail.objects.get(template_key="cas3_booking_cancelled")
    assert "ready to place" in email.body and email.to_address == referrer_n51.email
    # Updating a cancelled booking records new details and its own event, and no second email.
    other = cancellation_reason("Recording error (for example, a data entry error)")
    booking = services.cancel_booking(None, booking, cancelled_on=days(0), reason=other)
    assert booking.cancellation_reason == other
    assert events_of(booking)[-1] == "accommodation.cas3.booking.cancelled.updated"
    assert OutboundEmail.objects.filter(template_key="cas3_booking_cancelled").count() == 1


def test_a_cancellation_reason_must_be_for_cas3(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = make_booking(bedspace)
    from cas.reference.models import CancellationReason

    ap_reason = CancellationReason.objects.get(name="AP has appealed placement")
    with pytest.raises(DomainError, match="from the list"):
        services.cancel_booking(None, booking, cancelled_on=days(0), reason=ap_reason)


def test_non_arrival_is_its_own_action(estate_n51, referrer_n51):
    _, (bedspace, _) = estate_n51
    referral = make_ready_referral(referrer_n51, "X100001")
    booking = make_booking(bedspace, "X100001", start=1, nights=10, referral=referral)
    services.confirm_booking(None, booking)
    with pytest.raises(DomainError, match="on or after the day the person was expected"):
        services.record_non_arrival(None, booking, reason=non_arrival_reason())
    booking = Booking.objects.get(pk=booking.pk)
    Booking.objects.filter(pk=booking.pk).update(arrival_date=days(0))  # the day has come
    booking = services.record_non_arrival(None, booking, reason=non_arrival_reason(), notes="Recalled at the gate")
    referral.refresh_from_db()
    assert booking.status == S.NOT_ARRIVED and referral.status == ReferralStatus.READY_TO_PLACE
    assert events_of(booking)[-1] == "accommodation.cas3.person.not-arrived"


def test_departure_needs_reason_and_move_on_and_can_be_updated(estate_n51):
    _, (bedspace, _) = estate_n51
    booking = arrived_booking(bedspace)
    with pytest.raises(DomainError, match="Select a move-on category"):
        services.record_departure(
            None, booking, departure_date=days(0), reason=departure_reason(), move_on_category=None
        )
    with pytest.raises(DomainError, match="today or in the past"):
        services.record_departure(
            None, booking, departure_date=days(1), reason=departure_reason(), move_on_category=move_on()
        )
    with pytest.raises(DomainError, match="on or after the arrival date"):
        services.record_departure(
            None, booking, departure_date=days(-5), reason=departure_reason(), move_on_category=move_on()
        )
    booking = services.record_departure(
        None, booking, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
    )
    settled = move_on("Friends or family (settled)")
    booking = services.record_departure(
        None, booking, departure_date=days(-1), reason=departure_reason(), move_on_category=settled
    )
    assert booking.departure_date == days(-1) and booking.move_on_category == settled
    assert events_of(booking)[-1] == "accommodation.cas3.person.departed.updated"


def test_move_on_categories_map_to_outcome_groups_as_data():
    assert move_on("Rental accommodation (private rental)").outcome_group == "settled"
    assert move_on("Homeless (rough sleeping)").outcome_group == "homeless"
    assert move_on("They’re deceased").outcome_group == "excluded"


def test_departed_placements_are_counted_by_the_official_statistics(estate_n51):
    from cas.reporting.statistics import PLACEMENT_SOURCES

    _, (bedspace, _) = estate_n51
    booking = arrived_booking(bedspace)
    services.record_departure(
        None, booking, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
    )
    records = [r for source in PLACEMENT_SOURCES for r in source() if r.reference == f"booking:{booking.pk}"]
    assert len(records) == 1
    record = records[0]
    assert record.region == "North West" and record.sex == "Male"
    assert record.start_date == booking.actual_arrival_date and record.end_date == days(0)
    assert record.outcome_group == "settled"


# Incidents ------------------------------------------------------------------------------------------


def test_incidents_against_a_booking_or_a_property(estate_n51, assessor_n51):
    premises, (bedspace, _) = estate_n51
    booking = arrived_booking(bedspace)
    incident = services.record_incident(
        assessor_n51, premises=premises, booking=booking, kind="asb", occurred_on=days(0), details="Noise at night"
    )
    assert incident.region_id == premises.region_id and incident.booking == booking
    services.record_incident(assessor_n51, premises=premises, kind="damage", occurred_on=days(-1), details="Window")
    assert Incident.objects.filter(premises=premises).count() == 2
    with pytest.raises(DomainError, match="Enter what happened"):
        services.record_incident(assessor_n51, premises=premises, kind="other", occurred_on=days(0), details=" ")
    with pytest.raises(DomainError, match="today or in the past"):
        services.record_incident(assessor_n51, premises=premises, kind="other", occurred_on=days(1), details="x")


# Region ----------------------------------------------------------------------------------------------


def test_assessors_of_another_region_cannot_book_or_act():
    _, (bedspace, _) = make_estate("N51", bedspaces=2)
    booking = make_booking(bedspace)
    london = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    reporter = make_user(Role.REPORTER, region_code="NA")
    for actor in (london, reporter):
        with pytest.raises(PermissionDenied):
            make_booking(bedspace, "X100002", start=40, actor=actor)
        with pytest.raises(PermissionDenied):
            services.confirm_booking(actor, booking)
        with pytest.raises(PermissionDenied):
            services.cancel_booking(actor, booking, cancelled_on=days(0), reason=cancellation_reason())
        with pytest.raises(PermissionDenied):
            services.change_turnaround(actor, booking, working_days=1)
        with pytest.raises(PermissionDenied):
            services.record_incident(actor, premises=booking.premises, kind="other", occurred_on=days(0), details="x")
    assert Booking.objects.get(pk=booking.pk).status == S.PROVISIONAL


def test_stale_versions_are_refused(estate_n51):
    from cas.core.concurrency import StaleEdit

    _, (bedspace, _) = estate_n51
    booking = make_booking(bedspace)
    services.change_turnaround(None, booking, working_days=3, version=booking.version)
    with pytest.raises(StaleEdit):
        services.confirm_booking(None, booking, version=booking.version)


# History ---------------------------------------------------------------------------------------------


def test_the_booking_timeline_tells_every_step_newest_first(estate_n51, assessor_n51):
    from cas.placements import queries

    premises, (bedspace, other) = estate_n51
    booking = arrived_booking(bedspace, arrived_days_ago=3, nights=20)
    booking = services.change_arrival_date(assessor_n51, booking, arrival_date=days(-4), notes="A day earlier")
    booking = services.change_departure_date(
        None,
        booking,
        departure_date=booking.arrival_date + dt.timedelta(days=90),
        overstay=OverstayDecision(True, "Move-on date fixed"),
    )
    booking = services.change_turnaround(None, booking, working_days=3)
    booking = services.record_departure(
        None, booking, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
    )
    booking = services.record_departure(
        None, booking, departure_date=days(-1), reason=departure_reason(), move_on_category=move_on()
    )
    services.record_incident(
        assessor_n51, premises=premises, booking=booking, kind="asb", occurred_on=days(-2), details="Noise at night"
    )
    entries = queries.timeline(booking)
    labels = [e.label for e in entries]
    assert labels == [
        "Incident: Anti-social behaviour",
        "Departure details updated",
        "Departed",
        "Turnaround changed",
        "Stay extended",
        "Overstay authorised",
        "Arrival date changed",
        "Arrived",
        "Booking confirmed",
        "Booked (provisional)",
    ]
    by_label = {e.label: e for e in entries}
    assert by_label["Arrival date changed"].lines[-1] == "Notes: A day earlier"
    assert by_label["Arrival date changed"].by == (assessor_n51.get_full_name() or assessor_n51.username)
    assert by_label["Arrived"].by == "the system"
    assert by_label["Overstay authorised"].lines == [
        f"90 nights, to {booking.arrival_date + dt.timedelta(days=90):%-d %B %Y}",
        "Reason: Move-on date fixed",
    ]
    assert by_label["Turnaround changed"].lines == ["2 working days changed to 3"]
    assert by_label["Departed"].lines[:3] == [
        f"Departure date: {days(0):%-d %B %Y}",
        "Reason: Planned move-on",
        "Move-on category: Rental accommodation (private rental)",
    ]
    assert all(e.at.tzinfo is not None for e in entries)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)

    cancelled = make_booking(other, "X100002", start=30)
    services.cancel_booking(None, cancelled, cancelled_on=days(0), reason=cancellation_reason())
    assert [e.label for e in queries.timeline(cancelled)] == ["Booking cancelled", "Booked (provisional)"]
    missed = make_booking(other, "X100003", start=-2, nights=5)
    services.confirm_booking(None, missed)
    services.record_non_arrival(None, missed, expected_on=days(-2), reason=non_arrival_reason())
    last = queries.timeline(missed)[0]
    assert last.label == "Did not arrive" and last.lines == [
        f"Expected on: {days(-2):%-d %B %Y}",
        "Reason: Failed to arrive as planned",
    ]
