"""Ending a booking before the stay: cancelling it (or updating a cancellation) and recording that the
person did not arrive. Both free the bedspace and put the referral back to place.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cas.core import clock
from cas.core.concurrency import check_and_bump
from cas.core.dates import long_date
from cas.core.errors import DomainError
from cas.placements import events, lifecycle
from cas.placements.models import Booking, Cancellation, NonArrival
from cas.placements.services.effects import _email, _move_referral
from cas.placements.services.rules import _audit, _check_manage, _lock, _reason, _snapshot, _user
from cas.placements.status import BookingStatus
from cas.reference.models import CancellationReason, NonArrivalReason

S = BookingStatus


@transaction.atomic
def cancel_booking(
    actor,
    booking: Booking,
    *,
    cancelled_on: dt.date,
    reason: CancellationReason | None,
    notes: str = "",
    version: int | None = None,
) -> Booking:
    """Cancel a booking before arrival (or update the details of a cancelled one). Frees the
    bedspace, puts a confirmed booking's referral back to ready to place and emails the referrer."""
    booking = _lock(booking)
    _check_manage(actor, booking)
    check_and_bump(booking, version)
    updating = (
        lifecycle.require(booking, lifecycle.Action.CANCEL, lifecycle.Action.UPDATE_CANCELLATION)
        == lifecycle.Action.UPDATE_CANCELLATION
    )
    if cancelled_on is None:
        raise DomainError("Enter the date the booking was cancelled", field="cancelled_on")
    if cancelled_on > clock.today():
        raise DomainError("The cancellation date must be today or in the past", field="cancelled_on")
    if cancelled_on < timezone.localdate(booking.created_at):
        raise DomainError(
            f"The cancellation date must be on or after {long_date(timezone.localdate(booking.created_at))}, "
            "when the booking was made",
            field="cancelled_on",
        )
    reason = _reason(
        reason,
        field="reason",
        message="Select a cancellation reason",
        service=booking.service,
        current_id=booking.cancellation_reason_id if updating else None,
    )
    before = _snapshot(booking)
    Cancellation.objects.create(
        booking=booking, cancelled_on=cancelled_on, reason=reason, notes=(notes or "").strip(), created_by=_user(actor)
    )
    booking.status = S.CANCELLED
    booking.cancelled_on = cancelled_on
    booking.cancellation_reason = reason
    if not updating:
        _move_referral(actor, booking, "cancelled")
    booking.save(update_fields=["status", "cancelled_on", "cancellation_reason", "version", "updated_at"])
    _audit(actor, "booking.cancellation_updated" if updating else "booking.cancelled", booking, before)
    events.publish_booking_event(
        events.BOOKING_CANCELLED_UPDATED if updating else events.BOOKING_CANCELLED,
        booking,
        actor,
        cancelledOn=cancelled_on.isoformat(),
        cancellationReason=reason.name,
        notes=(notes or "").strip() or None,
    )
    if not updating:
        next_steps = (
            "The referral is back with the HPT, ready to place."
            if booking.referral_id
            else "If the person still needs accommodation, make a new referral."
        )
        _email(
            "booking_cancelled",
            booking,
            actor,
            reason=reason.name,
            cancelled_on=long_date(cancelled_on),
            next_steps=next_steps,
            address=", ".join(
                p for p in (booking.premises.address_line1, booking.premises.town, booking.premises.postcode) if p
            ),
        )
    return booking


@transaction.atomic
def record_non_arrival(
    actor,
    booking: Booking,
    *,
    expected_on: dt.date | None = None,
    reason: NonArrivalReason | None,
    notes: str = "",
    version: int | None = None,
) -> Booking:
    """The person did not arrive. Frees the bedspace and puts the referral back to ready to place
    so the team can decide what happens next."""
    booking = _lock(booking)
    _check_manage(actor, booking)
    check_and_bump(booking, version)
    lifecycle.require(booking, lifecycle.Action.RECORD_NON_ARRIVAL)
    expected_on = expected_on or booking.arrival_date
    if expected_on > clock.today():
        raise DomainError(
            "You can record a non-arrival on or after the day the person was expected. Cancel the booking instead",
            field="expected_on",
        )
    if expected_on < booking.arrival_date:
        raise DomainError(
            f"The date must be on or after the expected arrival date, {long_date(booking.arrival_date)}",
            field="expected_on",
        )
    reason = _reason(reason, field="reason", message="Select why the person did not arrive", service=booking.service)
    before = _snapshot(booking)
    NonArrival.objects.create(
        booking=booking, expected_on=expected_on, reason=reason, notes=(notes or "").strip(), created_by=_user(actor)
    )
    booking.status = S.NOT_ARRIVED
    _move_referral(actor, booking, "cancelled")
    booking.save(update_fields=["status", "version", "updated_at"])
    _audit(actor, "booking.not_arrived", booking, before, detail=reason.name)
    events.publish_booking_event(
        events.PERSON_NOT_ARRIVED,
        booking,
        actor,
        expectedOn=expected_on.isoformat(),
        reason=reason.name,
        reasonDeliusCode=reason.legacy_code or None,
        notes=(notes or "").strip() or None,
    )
    return booking
