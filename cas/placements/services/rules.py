"""What every booking write shares: the lock, the no-double-booking check, the date and length-of-stay
checks, overstay decisions, reason lists, the audit record, and the errors callers catch.

No double booking, ever:
1. Each write that holds dates locks the property row (the same lock the estate's void periods
   and archiving take, so a booking, a void and an archive on one property are decided one after
   another) and then checks in Python that `[arrival_date, available_from)` is free of other
   active bookings, void periods and archive dates (`_check_free`). This works on SQLite
   (immediate transactions) and PostgreSQL alike.
2. On PostgreSQL the exclusion constraint `booking_no_overlap_on_bedspace` refuses any overlap
   that got past the service; the refusal becomes the same "just taken" message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from cas.core import audit, tiers
from cas.core.dates import long_date
from cas.core.errors import Conflict, DomainError
from cas.core.permissions import Permission, check
from cas.placements.models import Booking, Overstay
from cas.placements.status import ACTIVE_STATUSES
from cas.premises.models import Bedspace, Premises, VoidPeriod

EXCLUSION_CONSTRAINT = "booking_no_overlap_on_bedspace"

BOOKING_FIELDS = (
    "status",
    "bedspace",
    "referral",
    "crn",
    "person_name",
    "arrival_date",
    "departure_date",
    "turnaround_working_days",
    "available_from",
    "actual_arrival_date",
    "actual_departure_date",
    "cancelled_on",
    "cancellation_reason",
    "departure_reason",
    "move_on_category",
    "is_overstay",
    "overstay_authorised",
    "overstay_reason",
)


class BedspaceTaken(Conflict):
    """Someone else holds the bedspace for some of these dates (usually: booked a moment ago)."""

    def __init__(self, message: str):
        super().__init__(message, code="bedspace_taken", field="arrival_date")


class OverstayDecisionNeeded(DomainError):
    """The stay would go past the tier's longest stay (CAS3: 84 nights): say whether that is authorised
    (and why) first."""

    def __init__(self, nights: int, max_nights: int):
        over = nights - max_nights
        super().__init__(
            f"The new departure date means the stay is {over} night{'s' if over != 1 else ''} over the "
            f"{max_nights}-night limit. Select whether the overstay is authorised",
            field="overstay_authorised",
            code="overstay_decision_needed",
        )
        self.nights = nights
        self.nights_over = over


@dataclass(frozen=True)
class OverstayDecision:
    is_authorised: bool
    reason: str = ""


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _check_manage(actor, record) -> None:
    """May `actor` manage bookings of this booking's or property's tier, in its region?"""
    if actor is None:
        return
    check(actor, Permission.BOOKINGS_MANAGE, region_id=record.region_id, check_region=True, service=record.service)


def max_nights(service: str) -> int | None:
    """The longest stay the tier books before an overstay must be decided (None: no limit)."""
    return tiers.get(service).booking.max_nights


def _over_limit(nights: int, service: str) -> bool:
    limit = max_nights(service)
    return limit is not None and nights > limit


def _snapshot(booking: Booking) -> dict:
    return audit.snapshot(booking, BOOKING_FIELDS)


def _audit(actor, action: str, booking: Booking, before: dict | None, detail: str = "") -> None:
    audit.record_change(
        actor,
        action,
        booking,
        before=before,
        after=_snapshot(booking),
        crn=booking.crn,
        service=booking.service,
        detail=detail,
    )


def _lock(booking: Booking) -> Booking:
    """Lock the property (the estate's lock for anything that holds dates) and then the booking."""
    Premises.objects.select_for_update().get(pk=booking.premises_id)
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("premises__region", "premises__pdu", "premises__local_authority", "bedspace", "referral")
        .get(pk=booking.pk)
    )
    return locked


def _save(booking: Booking, fields: list[str]) -> None:
    """Save date changes; on PostgreSQL the exclusion constraint is the last word."""
    try:
        with transaction.atomic():
            booking.save(update_fields=[*fields, "version", "updated_at"])
    except IntegrityError as exc:
        if EXCLUSION_CONSTRAINT in str(exc):
            raise BedspaceTaken("These dates clash with another booking on this bedspace. Choose other dates") from None
        raise


def _reason(value, *, field: str, message: str, service: str, current_id=None):
    if value is None:
        raise DomainError(message, field=field)
    if service not in value.service_list or (not value.is_active and value.pk != current_id):
        raise DomainError(f"{message} from the list", field=field)
    return value


# Dates far outside these are typing mistakes (and would overflow working-day arithmetic).
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def check_date_in_range(day: dt.date | None, field: str, what: str) -> None:
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise DomainError(f"The {what} must be between 2000 and 2100", field=field)


def nights_between(arrival: dt.date, departure: dt.date) -> int:
    return (departure - arrival).days


def _check_free(
    bedspace: Bedspace, start: dt.date, free_from: dt.date, *, exclude: Booking | None = None, creating: bool = False
) -> None:
    """Refuse unless `bedspace` can be held from `start` up to (not including) `free_from`: in
    service throughout, and no active booking (with its turnaround) or void period in the way."""
    premises = bedspace.premises
    if start < bedspace.start_date:
        raise DomainError(
            f"The arrival date must be on or after {long_date(bedspace.start_date)}, when the bedspace comes online",
            field="arrival_date",
        )
    if start < premises.start_date:
        raise DomainError(
            f"The arrival date must be on or after {long_date(premises.start_date)}, when the property is online",
            field="arrival_date",
        )
    for subject, what in ((bedspace, "bedspace"), (premises, "property")):
        if subject.end_date is not None and subject.end_date < free_from:
            last = free_from - dt.timedelta(days=1)
            raise DomainError(
                f"The {what} is archived from {long_date(subject.end_date)}, so it cannot be booked until "
                f"{long_date(last)} (the stay and its turnaround)",
                field="departure_date",
            )
    others = Booking.objects.filter(
        bedspace=bedspace, status__in=ACTIVE_STATUSES, arrival_date__lt=free_from, available_from__gt=start
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = others.order_by("arrival_date").first()
    if clash is not None:
        until = long_date(clash.available_from - dt.timedelta(days=1))
        if creating:
            raise BedspaceTaken(
                f"This bedspace has just been booked by someone else, from {long_date(clash.arrival_date)} to "
                f"{until} including its turnaround. Choose another bedspace from your search results"
            )
        raise BedspaceTaken(
            f"These dates overlap another booking on this bedspace, from {long_date(clash.arrival_date)} to "
            f"{until} including its turnaround. Choose other dates"
        )
    void = (
        VoidPeriod.objects.filter(
            bedspace=bedspace, cancelled_at__isnull=True, start_date__lt=free_from, end_date__gte=start
        )
        .order_by("start_date")
        .first()
    )
    if void is not None:
        raise BedspaceTaken(
            f"The bedspace is void (out of service) from {long_date(void.start_date)} to {long_date(void.end_date)}. "
            + ("Choose another bedspace from your search results" if creating else "Choose other dates")
        )


def _overstay(
    actor, booking: Booking, departure: dt.date, arrival: dt.date, decision: OverstayDecision | None, notes: str = ""
) -> Overstay | None:
    """Record the overstay decision when the stay goes past the tier's longest stay and no decision
    covers it."""
    nights = nights_between(arrival, departure)
    if not _over_limit(nights, booking.service):
        booking.is_overstay = False
        booking.overstay_authorised = None
        booking.overstay_reason = ""
        return None
    latest = booking.overstays.order_by("-created_at").first() if booking.pk else None
    if decision is None:
        if latest is not None and departure <= latest.departure_date:
            return None  # the decision already made covers this date
        raise OverstayDecisionNeeded(nights, max_nights(booking.service))
    reason = (decision.reason or "").strip()
    if len(reason) > 1000:
        raise DomainError("The reason must be 1000 characters or fewer", field="overstay_reason")
    overstay = Overstay.objects.create(
        booking=booking,
        departure_date=departure,
        nights=nights,
        is_authorised=bool(decision.is_authorised),
        reason=reason,
        created_by=_user(actor),
        notes=notes,
    )
    booking.is_overstay = True
    booking.overstay_authorised = overstay.is_authorised
    booking.overstay_reason = reason
    return overstay


def _check_departure_date(arrival: dt.date, departure: dt.date | None, field: str = "departure_date") -> None:
    if departure is None:
        raise DomainError("Enter the departure date", field=field)
    check_date_in_range(departure, field, "departure date")
    if departure <= arrival:
        raise DomainError(f"The departure date must be after the arrival date, {long_date(arrival)}", field=field)
