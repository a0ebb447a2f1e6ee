"""Changing a booking's turnaround: the working days the bedspace is kept after the departure."""

from __future__ import annotations

from django.db import transaction

from cas.core.concurrency import check_and_bump
from cas.core.errors import DomainError
from cas.placements import events, lifecycle
from cas.placements.models import Booking, TurnaroundChange
from cas.placements.services.rules import _audit, _check_free, _check_manage, _lock, _save, _snapshot, _user
from cas.placements.status import available_from

MAX_TURNAROUND_DAYS = 365


@transaction.atomic
def change_turnaround(
    actor, booking: Booking, *, working_days: int | None, notes: str = "", version: int | None = None
) -> Booking:
    booking = _lock(booking)
    _check_manage(actor, booking)
    check_and_bump(booking, version)
    lifecycle.require(booking, lifecycle.Action.CHANGE_TURNAROUND)
    if working_days is None:
        raise DomainError("Enter the turnaround in working days", field="working_days")
    if not 0 <= working_days <= MAX_TURNAROUND_DAYS:
        raise DomainError(
            f"Enter the turnaround as a whole number of working days, from 0 to {MAX_TURNAROUND_DAYS}",
            field="working_days",
        )
    if working_days == booking.turnaround_working_days:
        raise DomainError("Enter a different number of working days from the current turnaround", field="working_days")
    before = _snapshot(booking)
    free_from = available_from(booking.departure_date, working_days)
    _check_free(booking.bedspace, booking.arrival_date, free_from, exclude=booking)
    TurnaroundChange.objects.create(
        booking=booking,
        previous_working_days=booking.turnaround_working_days,
        working_days=working_days,
        notes=(notes or "").strip(),
        created_by=_user(actor),
    )
    booking.turnaround_working_days = working_days
    booking.available_from = free_from
    _save(booking, ["turnaround_working_days", "available_from"])
    _audit(actor, "booking.turnaround_changed", booking, before)
    events.publish_booking_event(
        events.BOOKING_TURNAROUND_CHANGED,
        booking,
        actor,
        previousTurnaroundWorkingDays=before["turnaround_working_days"],
        notes=(notes or "").strip() or None,
    )
    return booking
