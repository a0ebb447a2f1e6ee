"""Bookings for tests, made through the services (so every rule holds), plus ready-to-place
referrals (the review workflow's transitions applied through the referral lifecycle)."""

import datetime as dt

from cas.core import audit, clock
from cas.placements import services
from cas.placements.models import Booking
from cas.reference.models import CancellationReason, DepartureReason, MoveOnCategory, NonArrivalReason
from cas.referrals import lifecycle
from cas.referrals.cas3.workflow import Action
from cas.referrals.models import Referral
from tests.estate_factories import make_estate
from tests.referral_factories import make_submitted


def mark_ready_to_place(referral: Referral) -> Referral:
    referral = Referral.objects.get(pk=referral.pk)
    before = audit.snapshot(referral, ("status",))
    for action in (Action.ALLOCATE, Action.ACCEPT):
        lifecycle.apply(referral, action)
    referral.save(update_fields=["status", "updated_at"])
    audit.record_change(None, "referral.accept", referral, before=before, after=audit.snapshot(referral, ("status",)))
    return referral


def make_ready_referral(referrer, crn: str = "X100001", **kwargs) -> Referral:
    return mark_ready_to_place(make_submitted(referrer, crn, **kwargs))


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def make_booking(bedspace, crn: str = "X100001", *, start: int = 1, nights: int = 14, referral=None, actor=None):
    return services.create_booking(
        actor,
        bedspace,
        crn=crn,
        arrival_date=days(start),
        departure_date=days(start + nights),
        referral=referral,
    )


def cancellation_reason(name: str = "Person on probation rejected placement") -> CancellationReason:
    return CancellationReason.objects.get(name=name, services__contains="cas3")


def departure_reason(name: str = "Planned move-on") -> DepartureReason:
    return DepartureReason.objects.get(name=name, services__contains="cas3", is_active=True)


def move_on(name: str = "Rental accommodation (private rental)") -> MoveOnCategory:
    return MoveOnCategory.objects.get(name=name, services__contains="cas3")


def non_arrival_reason(name: str = "Failed to arrive as planned") -> NonArrivalReason:
    return NonArrivalReason.objects.get(name=name)


def arrived_booking(bedspace, crn: str = "X100001", *, arrived_days_ago: int = 3, nights: int = 20) -> Booking:
    """A booking whose person arrived a few days ago (made in the past through the services)."""
    booking = services.create_booking(
        None, bedspace, crn=crn, arrival_date=days(0), departure_date=days(nights - arrived_days_ago)
    )
    services.confirm_booking(None, booking)
    return services.record_arrival(
        None,
        booking,
        arrival_date=days(-arrived_days_ago),
        expected_departure_date=days(nights - arrived_days_ago),
    )


def booking_in(status: str, crn: str = "X100001") -> Booking:
    """A booking whose `current_status` is `status`, on a bedspace of its own, made through the
    services: provisional and confirmed ones arrive today (so a non-arrival can be recorded), arrived
    ones arrived 3 days ago, departed ones left today with 2 working days' turnaround still to run,
    closed ones left today with a same-day turnaround."""
    _, (bedspace,) = make_estate("N51", bedspaces=1, turnaround_working_days=0 if status == "closed" else 2)
    if status in ("provisional", "confirmed", "cancelled", "not_arrived"):
        booking = make_booking(bedspace, crn, start=0)
        if status == "cancelled":
            return services.cancel_booking(None, booking, cancelled_on=days(0), reason=cancellation_reason())
        if status == "provisional":
            return booking
        booking = services.confirm_booking(None, booking)
        if status == "not_arrived":
            return services.record_non_arrival(None, booking, reason=non_arrival_reason())
        return booking
    booking = arrived_booking(bedspace, crn)
    if status == "arrived":
        return booking
    booking = services.record_departure(
        None, booking, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
    )
    assert booking.current_status == status
    return booking
