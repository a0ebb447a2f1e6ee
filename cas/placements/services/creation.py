"""Booking a bedspace (provisionally, for a ready-to-place referral or a person from the case system) and
confirming the booking once the person accepts the offer.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from cas.core import clock, faults
from cas.core.concurrency import check_and_bump
from cas.core.errors import Conflict, DomainError
from cas.core.permissions import Permission, check
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
from cas.placements import events, lifecycle, sharing
from cas.placements.models import Booking, Confirmation, TurnaroundChange
from cas.placements.services.effects import _email, _move_referral
from cas.placements.services.rules import (
    EXCLUSION_CONSTRAINT,
    BedspaceTaken,
    _audit,
    _check_departure_date,
    _check_free,
    _check_manage,
    _lock,
    _over_limit,
    _snapshot,
    _user,
    check_date_in_range,
    max_nights,
    nights_between,
)
from cas.placements.status import ACTIVE_STATUSES, BookingStatus, available_from
from cas.premises.models import Bedspace, Premises
from cas.referrals import lifecycle as referral_lifecycle
from cas.referrals.models import Referral

S = BookingStatus


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
    sharing_acknowledged: bool = False,
) -> Booking:
    """Book `bedspace` provisionally for the person with `crn`, linked to their ready-to-place
    referral or (for referrals made outside the service) with their details from the case system.
    A person the referral says is not suitable to share is booked into a shared property only with
    `sharing_acknowledged` (`sharing.py`). The `notes` are kept on the booking."""
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
        sharing.check_sharing(referral, premises, acknowledged=sharing_acknowledged)
        person = _referral_details(referral)
    else:
        person = _person_details(actor, crn)
    notes = (notes or "").strip()
    if len(notes) > 2000:
        raise DomainError("The notes must be 2000 characters or fewer", field="notes")
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
        notes=notes,
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
    _audit(actor, "booking.created", booking, None, detail=notes[:500])
    events.publish_booking_event(events.BOOKING_PROVISIONALLY_MADE, booking, actor, notes=notes or None)
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
