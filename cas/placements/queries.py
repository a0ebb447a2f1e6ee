"""Reads of bookings: lists by status with search, one booking (404 outside the user's region),
its history as a timeline, and the ready-to-place referrals a booking can be linked to."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cas.core import clock
from cas.core.permissions import Permission, check, has_national_scope, scope_to_region
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
from cas.placements.status import BookingStatus, status_filter
from cas.premises.services import long_date
from cas.referrals.models import Referral

S = BookingStatus
# The tabs of the bookings list, in order.
LIST_STATUSES = (S.PROVISIONAL, S.CONFIRMED, S.ARRIVED, S.DEPARTED, S.CLOSED, S.CANCELLED, S.NOT_ARRIVED)
SORTS = {
    "arrival": ("arrival_date", "created_at"),
    "-arrival": ("-arrival_date", "-created_at"),
    "departure": ("departure_date", "created_at"),
    "-departure": ("-departure_date", "-created_at"),
    "name": ("person_name", "arrival_date"),
    "crn": ("crn", "arrival_date"),
    "created": ("-created_at",),
}


def scoped_bookings(user) -> QuerySet[Booking]:
    check(user, Permission.BOOKINGS_VIEW)
    return scope_to_region(user, Booking.objects.all())


def search_filter(q: str) -> Q:
    """A CRN, or words of the person's name, or the property's reference or postcode."""
    q = q.strip()[:100]
    if not q:
        return Q()
    compact = re.sub(r"\s+", "", q).upper()
    if re.fullmatch(r"[A-Z]\d{6}", compact):
        return Q(crn=compact)
    condition = Q()
    for word in q.split():
        condition &= (
            Q(person_name__icontains=word)
            | Q(premises__reference__icontains=word)
            | Q(premises__postcode__icontains=word)
            | Q(crn__icontains=word)
        )
    return condition


def booking_list(user, *, status: str = S.PROVISIONAL, q: str = "", sort: str = "arrival", premises=None, day=None):
    day = day or clock.today()
    bookings = scoped_bookings(user).filter(status_filter(status, day))
    if premises is not None:
        bookings = bookings.filter(premises=premises)
    bookings = bookings.filter(search_filter(q))
    return bookings.select_related("premises", "bedspace", "pdu").order_by(*SORTS.get(sort, SORTS["arrival"]), "pk")


def status_counts(user, *, q: str = "", premises=None, day=None) -> dict[str, int]:
    day = day or clock.today()
    bookings = scoped_bookings(user).filter(search_filter(q))
    if premises is not None:
        bookings = bookings.filter(premises=premises)
    totals = bookings.aggregate(
        **{status.value: Count("pk", filter=status_filter(status, day)) for status in LIST_STATUSES}
    )
    return {status.value: totals[status.value] for status in LIST_STATUSES}


def get_booking(user, pk) -> Booking:
    """The booking, in the user's scope; refused (PersonRestricted) when the case system restricts the
    person from the user, as their referral would be: a booking names the person on every page."""
    from cas.people.services import PersonRestricted, limited_access_crns

    try:
        booking = (
            scoped_bookings(user)
            .select_related(
                "premises__region",
                "premises__pdu",
                "premises__local_authority",
                "bedspace",
                "referral",
                "cancellation_reason",
                "departure_reason",
                "move_on_category",
                "created_by",
            )
            .get(pk=pk)
        )
    except (Booking.DoesNotExist, ValueError):
        raise Http404("No such booking") from None
    if limited_access_crns(user, [booking.crn]):
        raise PersonRestricted(booking.crn)
    return booking


def bookings_for_referral(referral: Referral) -> list[Booking]:
    return list(referral.bookings.select_related("premises", "bedspace").order_by("-created_at"))


def ready_to_place(user, *, crn: str = "") -> QuerySet[Referral]:
    """Ready-to-place CAS3 referrals the user may book for (their region's, or all for national users)."""
    check(user, Permission.PLACEMENT_SEARCH)
    referrals = Referral.objects.live().filter(status=Referral.Status.READY_TO_PLACE, service="cas3")
    if not has_national_scope(user):
        referrals = referrals.filter(region_id=user.region_id)
    if crn:
        referrals = referrals.filter(crn=crn)
    return referrals.select_related("region", "pdu").order_by("accommodation_required_from", "submitted_at")


def get_ready_referral(user, pk) -> Referral:
    try:
        return ready_to_place(user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such referral ready to place") from None


def incidents_for(premises=None, booking=None) -> list[Incident]:
    incidents = Incident.objects.select_related("created_by", "booking")
    if booking is not None:
        incidents = incidents.filter(booking=booking)
    if premises is not None:
        incidents = incidents.filter(premises=premises)
    return list(incidents.order_by("-occurred_on", "-created_at"))


# The booking's history -------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    label: str
    at: dt.datetime
    by: str
    lines: list[str]


def _by(step) -> str:
    user = step.created_by
    if user is None:
        return "the system"
    return user.get_full_name() or user.username


def timeline(booking: Booking) -> list[TimelineEntry]:
    """Every step of the booking and every incident during it, newest first. One query per kind of
    step, however long the history."""
    entries: list[TimelineEntry] = [
        TimelineEntry(
            "Booked (provisional)",
            booking.created_at,
            booking.created_by.get_full_name() if booking.created_by else "the system",
            [f"Bedspace {booking.bedspace.reference} at {booking.premises.reference}"],
        )
    ]

    def notes(step) -> list[str]:
        return [f"Notes: {step.notes}"] if step.notes else []

    for step in Confirmation.objects.filter(booking=booking).select_related("created_by"):
        entries.append(TimelineEntry("Booking confirmed", step.created_at, _by(step), notes(step)))
    arrivals = list(Arrival.objects.filter(booking=booking).select_related("created_by").order_by("created_at"))
    for index, step in enumerate(arrivals):
        entries.append(
            TimelineEntry(
                "Arrived" if index == 0 else "Arrival date changed",
                step.created_at,
                _by(step),
                [
                    f"Arrival date: {long_date(step.arrival_date)}",
                    f"Expected departure date: {long_date(step.expected_departure_date)}",
                    *notes(step),
                ],
            )
        )
    for step in DateChange.objects.filter(booking=booking).select_related("created_by"):
        entries.append(
            TimelineEntry(
                "Stay extended" if step.is_extension else "Stay shortened",
                step.created_at,
                _by(step),
                [
                    f"Departure date: {long_date(step.previous_departure_date)} changed to "
                    f"{long_date(step.new_departure_date)}",
                    *notes(step),
                ],
            )
        )
    for step in Overstay.objects.filter(booking=booking).select_related("created_by"):
        entries.append(
            TimelineEntry(
                "Overstay authorised" if step.is_authorised else "Overstay not authorised",
                step.created_at,
                _by(step),
                [f"{step.nights} nights, to {long_date(step.departure_date)}"]
                + ([f"Reason: {step.reason}"] if step.reason else []),
            )
        )
    departures = list(
        Departure.objects.filter(booking=booking)
        .select_related("created_by", "reason", "move_on_category", "destination_provider")
        .order_by("created_at")
    )
    for index, step in enumerate(departures):
        entries.append(
            TimelineEntry(
                "Departed" if index == 0 else "Departure details updated",
                step.created_at,
                _by(step),
                [
                    f"Departure date: {long_date(step.departure_date)}",
                    f"Reason: {step.reason.name}",
                    f"Move-on category: {step.move_on_category.name}",
                    *([f"Destination provider: {step.destination_provider.name}"] if step.destination_provider else []),
                    *notes(step),
                ],
            )
        )
    cancellations = list(
        Cancellation.objects.filter(booking=booking).select_related("created_by", "reason").order_by("created_at")
    )
    for index, step in enumerate(cancellations):
        entries.append(
            TimelineEntry(
                "Booking cancelled" if index == 0 else "Cancellation updated",
                step.created_at,
                _by(step),
                [f"Cancelled on: {long_date(step.cancelled_on)}", f"Reason: {step.reason.name}", *notes(step)],
            )
        )
    for step in NonArrival.objects.filter(booking=booking).select_related("created_by", "reason"):
        entries.append(
            TimelineEntry(
                "Did not arrive",
                step.created_at,
                _by(step),
                [f"Expected on: {long_date(step.expected_on)}", f"Reason: {step.reason.name}", *notes(step)],
            )
        )
    for step in TurnaroundChange.objects.filter(booking=booking, previous_working_days__isnull=False).select_related(
        "created_by"
    ):
        entries.append(
            TimelineEntry(
                "Turnaround changed",
                step.created_at,
                _by(step),
                [f"{step.previous_working_days} working days changed to {step.working_days}", *notes(step)],
            )
        )
    for incident in Incident.objects.filter(booking=booking).select_related("created_by"):
        entries.append(
            TimelineEntry(
                f"Incident: {incident.get_kind_display()}",
                incident.created_at,
                _by(incident),
                [f"Date: {long_date(incident.occurred_on)}", incident.details],
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
