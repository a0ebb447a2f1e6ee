"""The stay itself: the arrival and corrections to its date, extending or shortening the stay (with the
overstay decision past the tier's longest stay), and the departure with its move-on details.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cas.core import clock
from cas.core.concurrency import check_and_bump
from cas.core.dates import long_date
from cas.core.errors import DomainError
from cas.placements import events, lifecycle
from cas.placements.models import Arrival, ArrivalDateChange, Booking, DateChange, Departure
from cas.placements.services.effects import _email, _tell_referral
from cas.placements.services.rules import (
    OverstayDecision,
    _audit,
    _check_departure_date,
    _check_free,
    _check_manage,
    _lock,
    _over_limit,
    _overstay,
    _reason,
    _save,
    _snapshot,
    _user,
    check_date_in_range,
    max_nights,
    nights_between,
)
from cas.placements.status import BookingStatus, available_from
from cas.reference.models import DepartureReason, DestinationProvider, MoveOnCategory

S = BookingStatus
# How far back an arrival date may be recorded or changed.
ARRIVAL_PAST_DAYS = 14


def _check_arrival_date(day: dt.date | None) -> None:
    today = clock.today()
    if day is None:
        raise DomainError("Enter the arrival date", field="arrival_date")
    if day > today:
        raise DomainError("The arrival date must be today or in the past", field="arrival_date")
    earliest = today - dt.timedelta(days=ARRIVAL_PAST_DAYS)
    if day < earliest:
        raise DomainError(
            f"The arrival date must be no more than {ARRIVAL_PAST_DAYS} days ago, so on or after {long_date(earliest)}",
            field="arrival_date",
        )


@transaction.atomic
def record_arrival(
    actor,
    booking: Booking,
    *,
    arrival_date: dt.date,
    expected_departure_date: dt.date,
    notes: str = "",
    overstay: OverstayDecision | None = None,
    version: int | None = None,
) -> Booking:
    """The person has arrived ("mark as active"): the dates become what happened and is expected."""
    booking = _lock(booking)
    _check_manage(actor, booking)
    check_and_bump(booking, version)
    lifecycle.require(booking, lifecycle.Action.ARRIVE)
    _check_arrival_date(arrival_date)
    _check_departure_date(arrival_date, expected_departure_date)
    before = _snapshot(booking)
    free_from = available_from(expected_departure_date, booking.turnaround_working_days)
    _check_free(booking.bedspace, arrival_date, free_from, exclude=booking)
    _overstay(actor, booking, expected_departure_date, arrival_date, overstay, notes)
    Arrival.objects.create(
        booking=booking,
        arrival_date=arrival_date,
        expected_departure_date=expected_departure_date,
        notes=(notes or "").strip(),
        created_by=_user(actor),
    )
    booking.status = S.ARRIVED
    booking.arrival_date = booking.actual_arrival_date = arrival_date
    booking.departure_date = expected_departure_date
    booking.available_from = free_from
    _save(
        booking,
        [
            "status",
            "arrival_date",
            "actual_arrival_date",
            "departure_date",
            "available_from",
            "is_overstay",
            "overstay_authorised",
            "overstay_reason",
        ],
    )
    _audit(actor, "booking.arrived", booking, before)
    _tell_referral(actor, booking, "arrived")
    events.publish_booking_event(
        events.PERSON_ARRIVED,
        booking,
        actor,
        arrivedOn=arrival_date.isoformat(),
        expectedDepartureOn=expected_departure_date.isoformat(),
        notes=(notes or "").strip() or None,
    )
    return booking


@transaction.atomic
def change_arrival_date(
    actor, booking: Booking, *, arrival_date: dt.date, notes: str = "", version: int | None = None
) -> Booking:
    """Before the person arrives: move the date they are expected (released earlier or later), with
    the bedspace free from the new date. Once they have arrived: correct the date they arrived (at
    most 14 days back)."""
    booking = _lock(booking)
    _check_manage(actor, booking)
    check_and_bump(booking, version)
    lifecycle.require(booking, lifecycle.Action.CHANGE_ARRIVAL_DATE)
    if booking.status != S.ARRIVED:
        return _change_expected_arrival(actor, booking, arrival_date, (notes or "").strip())
    _check_arrival_date(arrival_date)
    if arrival_date >= booking.departure_date:
        raise DomainError(
            f"The arrival date must be before the expected departure date, {long_date(booking.departure_date)}",
            field="arrival_date",
        )
    if arrival_date == booking.arrival_date:
        raise DomainError("Enter a different arrival date from the one recorded", field="arrival_date")
    before = _snapshot(booking)
    _check_free(booking.bedspace, arrival_date, booking.available_from, exclude=booking)
    nights = nights_between(arrival_date, booking.departure_date)
    if (
        _over_limit(nights, booking.service)
        and not booking.overstays.filter(departure_date__gte=booking.departure_date).exists()
    ):
        raise DomainError(
            f"With this arrival date the stay is over {max_nights(booking.service)} nights. Shorten the stay first, "
            "or extend it recording whether the overstay is authorised",
            field="arrival_date",
        )
    Arrival.objects.create(
        booking=booking,
        arrival_date=arrival_date,
        expected_departure_date=booking.departure_date,
        notes=(notes or "").strip(),
        created_by=_user(actor),
    )
    booking.arrival_date = booking.actual_arrival_date = arrival_date
    booking.is_overstay = _over_limit(nights, booking.service)
    _save(booking, ["arrival_date", "actual_arrival_date", "is_overstay"])
    _audit(actor, "booking.arrival_changed", booking, before)
    _tell_referral(actor, booking, "arrival_changed")
    events.publish_booking_event(
        events.PERSON_ARRIVED_UPDATED,
        booking,
        actor,
        arrivedOn=arrival_date.isoformat(),
        previousArrivedOn=before["arrival_date"],
        expectedDepartureOn=booking.departure_date.isoformat(),
        notes=(notes or "").strip() or None,
    )
    return booking


def _change_expected_arrival(actor, booking: Booking, arrival_date: dt.date | None, notes: str) -> Booking:
    """A new expected arrival date for a booking not yet arrived, on the locked booking: the same
    no-double-booking check as booking (`_check_free` under the property's lock, and on PostgreSQL
    the exclusion constraint), a step in the history, the audit record, the event, and the
    practitioner's email once the booking is confirmed (they were sent the date)."""
    if arrival_date is None:
        raise DomainError("Enter the arrival date", field="arrival_date")
    check_date_in_range(arrival_date, "arrival_date", "arrival date")
    if arrival_date == booking.arrival_date:
        raise DomainError("Enter a different arrival date from the one booked", field="arrival_date")
    if arrival_date < clock.today():
        raise DomainError(
            "The new arrival date must be today or later. If the person has arrived, mark them as arrived",
            field="arrival_date",
        )
    if arrival_date >= booking.departure_date:
        raise DomainError(
            f"The arrival date must be before the expected departure date, {long_date(booking.departure_date)}. "
            "Extend the booking first",
            field="arrival_date",
        )
    if _over_limit(nights_between(arrival_date, booking.departure_date), booking.service):
        raise DomainError(
            f"With this arrival date the stay is over {max_nights(booking.service)} nights. Shorten the booking "
            "first, or extend it after the person arrives",
            field="arrival_date",
        )
    before = _snapshot(booking)
    _check_free(booking.bedspace, arrival_date, booking.available_from, exclude=booking)
    change = ArrivalDateChange.objects.create(
        booking=booking,
        previous_arrival_date=booking.arrival_date,
        new_arrival_date=arrival_date,
        notes=notes,
        created_by=_user(actor),
    )
    booking.arrival_date = arrival_date
    _save(booking, ["arrival_date"])
    _audit(actor, "booking.arrival_date_changed", booking, before)
    events.publish_booking_event(
        events.BOOKING_ARRIVAL_DATE_CHANGED,
        booking,
        actor,
        previousArrivalDate=change.previous_arrival_date.isoformat(),
        notes=notes or None,
    )
    if booking.status == S.CONFIRMED:
        _email(
            "booking_arrival_date_changed",
            booking,
            actor,
            previous_arrival_date=long_date(change.previous_arrival_date),
        )
    return booking


@transaction.atomic
def change_departure_date(
    actor,
    booking: Booking,
    *,
    departure_date: dt.date,
    notes: str = "",
    overstay: OverstayDecision | None = None,
    version: int | None = None,
) -> Booking:
    """Extend or shorten the stay. Past 84 nights the overstay is recorded as authorised or not."""
    booking = _lock(booking)
    _check_manage(actor, booking)
    check_and_bump(booking, version)
    lifecycle.require(booking, lifecycle.Action.CHANGE_DEPARTURE_DATE)
    _check_departure_date(booking.arrival_date, departure_date)
    if departure_date == booking.departure_date:
        raise DomainError("Enter a different departure date from the one booked", field="departure_date")
    if departure_date < clock.today():
        raise DomainError(
            "The new departure date must be today or later. If the person has left, record their departure",
            field="departure_date",
        )
    if booking.status != S.ARRIVED and _over_limit(
        nights_between(booking.arrival_date, departure_date), booking.service
    ):
        raise DomainError(
            f"The departure date must be within {max_nights(booking.service)} nights of the arrival date "
            "until the person arrives",
            field="departure_date",
        )
    before = _snapshot(booking)
    free_from = available_from(departure_date, booking.turnaround_working_days)
    _check_free(booking.bedspace, booking.arrival_date, free_from, exclude=booking)
    _overstay(actor, booking, departure_date, booking.arrival_date, overstay, notes)
    change = DateChange.objects.create(
        booking=booking,
        previous_departure_date=booking.departure_date,
        new_departure_date=departure_date,
        notes=(notes or "").strip(),
        created_by=_user(actor),
    )
    booking.departure_date = departure_date
    booking.available_from = free_from
    _save(booking, ["departure_date", "available_from", "is_overstay", "overstay_authorised", "overstay_reason"])
    _audit(actor, "booking.extended" if change.is_extension else "booking.shortened", booking, before)
    events.publish_booking_event(
        events.BOOKING_DATES_CHANGED,
        booking,
        actor,
        previousDepartureDate=change.previous_departure_date.isoformat(),
        notes=(notes or "").strip() or None,
    )
    return booking


@transaction.atomic
def record_departure(
    actor,
    booking: Booking,
    *,
    departure_date: dt.date,
    reason: DepartureReason | None,
    move_on_category: MoveOnCategory | None,
    destination_provider: DestinationProvider | None = None,
    notes: str = "",
    overstay: OverstayDecision | None = None,
    version: int | None = None,
) -> Booking:
    """The person has left: the date, why, and where they moved on to. Recording it again on a
    departed booking updates the details ("update departure details")."""
    booking = _lock(booking)
    _check_manage(actor, booking)
    check_and_bump(booking, version)
    updating = (
        lifecycle.require(booking, lifecycle.Action.DEPART, lifecycle.Action.UPDATE_DEPARTURE)
        == lifecycle.Action.UPDATE_DEPARTURE
    )
    current = booking.departures.order_by("-created_at").first() if updating else None
    if departure_date is None:
        raise DomainError("Enter the departure date", field="departure_date")
    if departure_date > clock.today():
        raise DomainError("The departure date must be today or in the past", field="departure_date")
    if departure_date < booking.arrival_date:
        raise DomainError(
            f"The departure date must be on or after the arrival date, {long_date(booking.arrival_date)}",
            field="departure_date",
        )
    reason = _reason(
        reason,
        field="reason",
        message="Select a departure reason",
        service=booking.service,
        current_id=current.reason_id if current else None,
    )
    move_on_category = _reason(
        move_on_category,
        field="move_on_category",
        message="Select a move-on category",
        service=booking.service,
        current_id=current.move_on_category_id if current else None,
    )
    kept_provider = current is not None and current.destination_provider_id == getattr(destination_provider, "pk", None)
    if destination_provider is not None and not destination_provider.is_active and not kept_provider:
        raise DomainError("Select a destination provider from the list", field="destination_provider")
    before = _snapshot(booking)
    free_from = available_from(departure_date, booking.turnaround_working_days)
    _check_free(booking.bedspace, booking.arrival_date, free_from, exclude=booking)
    _overstay(actor, booking, departure_date, booking.arrival_date, overstay, notes)
    Departure.objects.create(
        booking=booking,
        departure_date=departure_date,
        reason=reason,
        move_on_category=move_on_category,
        destination_provider=destination_provider,
        notes=(notes or "").strip(),
        created_by=_user(actor),
    )
    booking.status = S.DEPARTED
    booking.departure_date = booking.actual_departure_date = departure_date
    booking.available_from = free_from
    booking.departure_reason = reason
    booking.move_on_category = move_on_category
    _save(
        booking,
        [
            "status",
            "departure_date",
            "actual_departure_date",
            "available_from",
            "departure_reason",
            "move_on_category",
            "is_overstay",
            "overstay_authorised",
            "overstay_reason",
        ],
    )
    _audit(actor, "booking.departure_updated" if updating else "booking.departed", booking, before)
    _tell_referral(actor, booking, "departure_changed" if updating else "left")
    events.publish_booking_event(
        events.PERSON_DEPARTED_UPDATED if updating else events.PERSON_DEPARTED,
        booking,
        actor,
        departedOn=departure_date.isoformat(),
        reason=reason.name,
        reasonDeliusCode=reason.legacy_code or None,
        moveOnCategory=move_on_category.name,
        moveOnCategoryDeliusCode=move_on_category.legacy_code or None,
        destinationProvider=destination_provider.name if destination_provider else None,
        notes=(notes or "").strip() or None,
    )
    return booking
