"""Every change to a booking goes through here: one transaction, the rules, an audit record, the
domain event for the probation case system and, where the referrer needs to know, an email.

No double booking, ever:
1. Each write that holds dates locks the property row (the same lock the estate's void periods
   and archiving take, so a booking, a void and an archive on one property are decided one after
   another) and then checks in Python that `[arrival_date, available_from)` is free of other
   active bookings, void periods and archive dates (`_check_free`). This works on SQLite
   (immediate transactions) and PostgreSQL alike.
2. On PostgreSQL the exclusion constraint `booking_no_overlap_on_bedspace` refuses any overlap
   that got past the service; the refusal becomes the same "just taken" message.

Callers pass the acting user; `None` is the system (demo data, management commands).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from cas.core import audit, clock, faults, tiers
from cas.core.concurrency import check_and_bump
from cas.core.dates import long_date
from cas.core.errors import Conflict, DomainError
from cas.core.permissions import Permission, check
from cas.events.notifications import send_email
from cas.people import access
from cas.people import services as people
from cas.people.ports import (
    FLAG_ARSON,
    FLAG_REGISTERED_SEX_OFFENDER,
    FLAG_SEXUAL_RISK_TO_ADULTS,
    FLAG_SEXUAL_RISK_TO_CHILDREN,
    PersonNotFound,
    UpstreamUnavailable,
    is_crn,
)
from cas.people.registry import get_case_system, get_risk_system
from cas.placements import events, lifecycle
from cas.placements.models import (
    Arrival,
    Booking,
    Cancellation,
    Confirmation,
    DateChange,
    Departure,
    Incident,
    NonArrival,
    Overstay,
    TurnaroundChange,
)
from cas.placements.status import ACTIVE_STATUSES, BookingStatus, available_from
from cas.premises.models import Bedspace, Premises, VoidPeriod
from cas.reference.models import (
    CancellationReason,
    DepartureReason,
    DestinationProvider,
    MoveOnCategory,
    NonArrivalReason,
)
from cas.referrals import lifecycle as referral_lifecycle
from cas.referrals.models import Referral

S = BookingStatus
# How far back an arrival date may be recorded or changed.
ARRIVAL_PAST_DAYS = 14
MAX_TURNAROUND_DAYS = 365
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


# Helpers ---------------------------------------------------------------------------------------


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


def _person_details(actor, crn: str) -> dict:
    """The person's details from the probation case system, with the access check and audit."""
    try:
        if actor is not None:
            record = people.view_person(actor, crn, purpose="booking a bedspace", with_prison=False)
            person, risk = record.person, record.risk
        else:
            person = get_case_system().find_by_crn(crn)
            # No one to check for, but the person's limits are copied as every view of them does.
            access.fetch([crn])
            try:
                risk = get_risk_system().get_risk(crn)
            except (PersonNotFound, UpstreamUnavailable):
                risk = None
    except PersonNotFound:
        raise people.PersonUnknown(crn) from None
    flags = set(risk.flags) if risk else set()
    return {
        "crn": person.crn,
        "noms_number": person.noms_number or "",
        "pnc_number": person.pnc_number or "",
        "person_name": person.name,
        "date_of_birth": person.date_of_birth,
        "sex": person.sex or "",
        "gender_identity": person.gender_identity or "",
        "ethnicity": person.ethnicity or "",
        "is_sexual_risk": bool(
            flags & {FLAG_REGISTERED_SEX_OFFENDER, FLAG_SEXUAL_RISK_TO_ADULTS, FLAG_SEXUAL_RISK_TO_CHILDREN}
        ),
        "has_arson_history": FLAG_ARSON in flags,
        "rosh_level": (risk.rosh.overall or "") if risk else "",
        "practitioner_name": person.manager.name,
        "practitioner_email": person.manager.email,
    }


def _referral_details(referral: Referral) -> dict:
    referrer = referral.created_by
    return {
        "crn": referral.crn,
        "noms_number": referral.noms_number,
        "pnc_number": referral.pnc_number,
        "person_name": referral.person_name,
        "date_of_birth": referral.date_of_birth,
        "sex": referral.sex,
        "gender_identity": referral.gender_identity,
        "ethnicity": referral.ethnicity,
        "is_sexual_risk": bool(
            referral.is_registered_sex_offender
            or referral.has_history_of_sexual_offence
            or referral.has_concerning_sexual_behaviour
        ),
        "has_arson_history": bool(referral.has_history_of_arson or referral.has_concerning_arson_behaviour),
        "rosh_level": referral.rosh_level,
        "practitioner_name": referrer.get_full_name() or referrer.username,
        "practitioner_email": referrer.email,
    }


def _move_referral(actor, booking: Booking, event: str) -> None:
    """What the booking's tier says a booking confirmed or cancelled does to its referral (CAS3: a
    confirmed booking closes it, cancelling puts it back to place); the referral workflow makes the
    move (its lifecycle, audit and timeline entry)."""
    if booking.referral_id is None:
        return
    referral_lifecycle.booking_event(booking.referral, actor, event)
    booking.referral = Referral.objects.select_related("region", "created_by").get(pk=booking.referral_id)


def _email_personalisation(booking: Booking) -> dict:
    region = booking.premises.region
    return {
        "name": booking.practitioner_name or "colleague",
        "person_name": booking.person_name,
        "crn": booking.crn,
        "region": region.name,
        "hpt_email": region.hpt_email or "their shared mailbox",
        "address": "\n".join(
            p
            for p in (
                booking.premises.address_line1,
                booking.premises.address_line2,
                booking.premises.town,
                booking.premises.postcode,
            )
            if p
        ),
        "arrival_date": long_date(booking.arrival_date),
        "departure_date": long_date(booking.departure_date),
        "reference": booking.reference,
    }


def _email(purpose: str, booking: Booking, actor, **extra) -> None:
    """Email the practitioner the tier's template for `purpose`, if the tier sends one."""
    template = tiers.get(booking.service).emails.get(purpose)
    if not booking.practitioner_email or template is None:
        return
    send_email(
        template,
        to=booking.practitioner_email,
        personalisation={**_email_personalisation(booking), **extra},
        service=booking.service,
        reference=f"booking:{booking.pk}",
        actor=actor,
    )


def _check_departure_date(arrival: dt.date, departure: dt.date | None, field: str = "departure_date") -> None:
    if departure is None:
        raise DomainError("Enter the departure date", field=field)
    check_date_in_range(departure, field, "departure date")
    if departure <= arrival:
        raise DomainError(f"The departure date must be after the arrival date, {long_date(arrival)}", field=field)


# Creating and confirming -----------------------------------------------------------------------


@transaction.atomic
def create_booking(
    actor,
    bedspace: Bedspace,
    *,
    crn: str,
    arrival_date: dt.date,
    departure_date: dt.date,
    referral: Referral | None = None,
    notes: str = "",
) -> Booking:
    """Book `bedspace` provisionally for the person with `crn`, linked to their ready-to-place
    referral or (for referrals made outside the service) with their details from the case system."""
    premises = (
        Premises.objects.select_for_update(of=("self",))
        .select_related("region", "pdu", "local_authority")
        .get(pk=bedspace.premises_id)
    )
    _check_manage(actor, premises)
    bedspace = Bedspace.objects.select_for_update().get(pk=bedspace.pk, premises=premises)
    bedspace.premises = premises
    crn = people.normalise_crn(crn)
    if not crn:
        raise DomainError("Enter the CRN of the person you are booking the bedspace for", field="crn")
    if not is_crn(crn):
        raise DomainError("Enter a CRN in the right format: a letter then 6 numbers, like X123456", field="crn")
    if arrival_date is None:
        raise DomainError("Enter the arrival date", field="arrival_date")
    check_date_in_range(arrival_date, "arrival_date", "arrival date")
    _check_departure_date(arrival_date, departure_date)
    if departure_date < clock.today():
        raise DomainError("The departure date must not be in the past", field="departure_date")
    nights = nights_between(arrival_date, departure_date)
    if _over_limit(nights, premises.service):
        raise DomainError(
            f"The departure date must be within {max_nights(premises.service)} nights of the arrival date. "
            "Extend the stay after the person arrives if they need longer",
            field="departure_date",
        )
    if referral is not None:
        referral = (
            Referral.objects.select_for_update(of=("self",)).select_related("created_by", "region").get(pk=referral.pk)
        )
        if actor is not None:
            check(
                actor,
                Permission.BOOKINGS_MANAGE,
                region_id=referral.region_id,
                check_region=True,
                service=referral.service,
            )
        if referral.service != premises.service:
            raise DomainError("The referral is for another service than this property", field="referral")
        if referral.crn != crn:
            raise DomainError(f"The referral is for {referral.crn}, not {crn}", field="referral")
        if not referral_lifecycle.can_be_booked(referral):
            raise Conflict(
                f"The referral is {referral.get_status_display().lower()}, so it cannot be booked. "
                "Only referrals that are ready to place can be linked to a booking",
                field="referral",
            )
        if referral.region_id != premises.region_id:
            raise DomainError(
                f"The referral is for {referral.region.name}, not {premises.region.name}", field="referral"
            )
        if referral.bookings.filter(status__in=ACTIVE_STATUSES).exists():
            raise Conflict("This referral already has a booking. Cancel that booking first", field="referral")
        person = _referral_details(referral)
    else:
        person = _person_details(actor, crn)
    turnaround = premises.turnaround_working_days
    free_from = available_from(departure_date, turnaround)
    _check_free(bedspace, arrival_date, free_from, creating=True)
    booking = Booking(
        service=premises.service,
        bedspace=bedspace,
        premises=premises,
        region=premises.region,
        pdu=premises.pdu,
        referral=referral,
        status=S.PROVISIONAL,
        arrival_date=arrival_date,
        departure_date=departure_date,
        turnaround_working_days=turnaround,
        available_from=free_from,
        created_by=_user(actor),
        **person,
    )
    try:
        with transaction.atomic():
            booking.save(force_insert=True)
    except IntegrityError as exc:
        if EXCLUSION_CONSTRAINT in str(exc):
            raise BedspaceTaken(
                "This bedspace has just been booked by someone else for some of these dates. "
                "Choose another bedspace from your search results"
            ) from None
        raise
    TurnaroundChange.objects.create(
        booking=booking, previous_working_days=None, working_days=turnaround, created_by=_user(actor), notes=""
    )
    _audit(actor, "booking.created", booking, None, detail=(notes or "").strip()[:500])
    events.publish_booking_event(events.BOOKING_PROVISIONALLY_MADE, booking, actor, notes=(notes or "").strip() or None)
    faults.pause_point("booking.create")  # tests only: every row written, nothing committed yet
    return booking


@transaction.atomic
def confirm_booking(actor, booking: Booking, *, notes: str = "", version: int | None = None) -> Booking:
    """The person has accepted the offer. Archives the linked referral and emails the referrer."""
    booking = _lock(booking)
    _check_manage(actor, booking)
    check_and_bump(booking, version)
    lifecycle.require(booking, lifecycle.Action.CONFIRM)
    before = _snapshot(booking)
    Confirmation.objects.create(booking=booking, notes=(notes or "").strip(), created_by=_user(actor))
    booking.status = S.CONFIRMED
    booking.confirmed_at = clock.now()
    _move_referral(actor, booking, "confirmed")
    booking.save(update_fields=["status", "confirmed_at", "version", "updated_at"])
    _audit(actor, "booking.confirmed", booking, before)
    events.publish_booking_event(events.BOOKING_CONFIRMED, booking, actor, notes=(notes or "").strip() or None)
    _email("booking_confirmed", booking, actor)
    faults.pause_point("booking.confirm")  # tests only: every row written, nothing committed yet
    return booking


# Arrival ---------------------------------------------------------------------------------------


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
    """Correct the date the person arrived (at most 14 days back)."""
    booking = _lock(booking)
    _check_manage(actor, booking)
    check_and_bump(booking, version)
    lifecycle.require(booking, lifecycle.Action.CHANGE_ARRIVAL_DATE)
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


# Extending and shortening ----------------------------------------------------------------------


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


# Departure -------------------------------------------------------------------------------------


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


# Cancelling and non-arrival --------------------------------------------------------------------


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


# Turnaround ------------------------------------------------------------------------------------


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


# Incidents -------------------------------------------------------------------------------------


@transaction.atomic
def record_incident(
    actor,
    *,
    premises: Premises,
    booking: Booking | None = None,
    kind: str,
    occurred_on: dt.date | None,
    details: str,
) -> Incident:
    """Record an incident at a property, or during a stay (shown on the booking's timeline)."""
    premises = Premises.objects.select_related("region").get(pk=premises.pk)
    _check_manage(actor, premises)
    if booking is not None:
        if booking.premises_id != premises.pk:
            raise DomainError("The booking is not at this property", field="booking")
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        lifecycle.require(booking, lifecycle.Action.RECORD_INCIDENT)
    if kind not in Incident.Kind.values:
        raise DomainError("Select the kind of incident", field="kind")
    if occurred_on is None:
        raise DomainError("Enter the date of the incident", field="occurred_on")
    if occurred_on > clock.today():
        raise DomainError("The date of the incident must be today or in the past", field="occurred_on")
    if booking is not None and occurred_on < booking.arrival_date - dt.timedelta(days=1):
        raise DomainError(
            f"The date of the incident must be on or after the arrival date, {long_date(booking.arrival_date)}",
            field="occurred_on",
        )
    details = (details or "").strip()
    if not details:
        raise DomainError("Enter what happened", field="details")
    if len(details) > 5000:
        raise DomainError("What happened must be 5000 characters or fewer", field="details")
    incident = Incident.objects.create(
        service=premises.service,
        premises=premises,
        region=premises.region,
        booking=booking,
        kind=kind,
        occurred_on=occurred_on,
        details=details,
        created_by=_user(actor),
    )
    audit.record_change(
        actor,
        "incident.recorded",
        incident,
        before=None,
        after=audit.snapshot(incident, ("premises", "booking", "kind", "occurred_on", "details")),
        crn=booking.crn if booking else "",
        service=premises.service,
    )
    return incident
