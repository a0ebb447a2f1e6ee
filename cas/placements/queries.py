"""Reads of bookings: lists by status with search, a booking's history as a timeline, and the
ready-to-place referrals a booking can be linked to. One booking, bedspace to book or referral to
place by its id: `cas.placements.access`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cas.accounts.models import User
from cas.core import clock, raw_sql, tiers
from cas.core.dates import long_date
from cas.core.permissions import Permission, check, scope
from cas.people import access
from cas.placements.models import (
    Arrival,
    ArrivalDateChange,
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
from cas.referrals import placement
from cas.referrals.models import Referral

S = BookingStatus
# The tabs of the bookings list, in order.
LIST_STATUSES = (S.PROVISIONAL, S.CONFIRMED, S.ARRIVED, S.DEPARTED, S.CLOSED, S.CANCELLED, S.NOT_ARRIVED)
SORTS = {
    "arrival": ("arrival_date", "created_at"),
    "-arrival": ("-arrival_date", "-created_at"),
    "departure": ("departure_date", "created_at"),
    "-departure": ("-departure_date", "-created_at"),
    # The name as the user sees it: a person they may not see sorts as "Limited access".
    "name": ("shown_name", "arrival_date"),
    "crn": ("crn", "arrival_date"),
    "created": ("-created_at",),
}


def scoped_bookings(user) -> QuerySet[Booking]:
    check(user, Permission.BOOKINGS_VIEW)
    return scope(user, Permission.BOOKINGS_VIEW, Booking.objects.all())


def search_filter(q: str, user) -> Q:
    """A CRN, or words of the person's name (of people the user may see), or the property's reference
    or postcode."""
    q = q.strip()[:100]
    if not q:
        return Q()
    compact = re.sub(r"\s+", "", q).upper()
    if re.fullmatch(r"[A-Z]\d{6}", compact):
        return Q(crn=compact)
    condition = Q()
    for word in q.split():
        condition &= (
            (Q(person_name__icontains=word) & access.visible_q(user))
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
    bookings = bookings.filter(search_filter(q, user))
    if sort == "name":
        bookings = bookings.annotate(shown_name=access.masked(user, "person_name"))
    return bookings.select_related("premises", "bedspace", "pdu").order_by(*SORTS.get(sort, SORTS["arrival"]), "pk")


def status_counts(user, *, q: str = "", premises=None, day=None) -> dict[str, int]:
    day = day or clock.today()
    bookings = scoped_bookings(user).filter(search_filter(q, user))
    if premises is not None:
        bookings = bookings.filter(premises=premises)
    totals = bookings.aggregate(
        **{status.value: Count("pk", filter=status_filter(status, day)) for status in LIST_STATUSES}
    )
    return {status.value: totals[status.value] for status in LIST_STATUSES}


def with_details(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Bookings with what a booking's page and the API show of each, read in the same query."""
    return bookings.select_related(
        "premises__region",
        "premises__pdu",
        "bedspace",
        "referral",
        "cancellation_reason",
        "departure_reason",
        "move_on_category",
        "created_by",
    )


def current(booking: Booking) -> Booking:
    """The booking as it is now, to answer a change the caller has just made through a service (which
    checked that the user may): the request opened the booking (`access.open_booking`, which audited
    the view) or made it, so it is not checked or audited again."""
    return with_details(Booking.objects.all()).get(pk=booking.pk)


def bookings_for_referral(referral: Referral) -> list[Booking]:
    return list(referral.bookings.select_related("premises", "bedspace").order_by("-created_at"))


# The bookings a referrer hears about: confirmed ones, until cancelled or not arrived (which put the
# referral back to place). A provisional booking is still the HPT's to settle.
REFERRER_STATUSES = (S.CONFIRMED, S.ARRIVED, S.DEPARTED, S.CLOSED)


def referrer_placement(referral: Referral) -> placement.Placement | None:
    """The placement made for `referral`, as its referrer may see it (`cas.referrals.placement`):
    the latest confirmed booking's address, dates and move-on outcome, nothing else of it."""
    booking = (
        Booking.objects.filter(referral_id=referral.pk, status__in=REFERRER_STATUSES)
        .select_related("premises", "move_on_category")
        .order_by("-created_at")
        .first()
    )
    if booking is None:
        return None
    return placement.Placement(
        address=booking.premises.address,
        expected_arrival=booking.arrival_date,
        expected_departure=booking.departure_date,
        arrived_on=booking.actual_arrival_date,
        left_on=booking.actual_departure_date,
        move_on=booking.move_on_category.name if booking.move_on_category_id else "",
    )


def placeable_statuses(tier: tiers.Tier) -> list[str]:
    """The statuses of the tier's referrals that a booking can take: those its workflow lets the
    booking's `confirmed` effect move on."""
    action = tier.booking_effects.get("confirmed")
    return [s for s in tier.workflow.codes if action and tier.workflow.next_status(s, action)]


def ready_to_place(user, *, crn: str = "") -> QuerySet[Referral]:
    """Referrals the user may book for: of their tiers, in a status their tier's workflow lets a booking
    take (CAS3: ready to place), in their region (or all for national users)."""
    check(user, Permission.PLACEMENT_SEARCH)
    placeable = Q()
    for tier in tiers.registered():
        placeable |= Q(service=tier.service, status__in=placeable_statuses(tier))
    referrals = scope(user, Permission.PLACEMENT_SEARCH, Referral.objects.live().filter(placeable))
    if crn:
        referrals = referrals.filter(crn=crn)
    return referrals.select_related("region", "pdu").order_by("accommodation_required_from", "submitted_at")


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


# The booking's steps as one UNION ALL of the step tables, each shaped to the same columns:
# kind, created_at, who (first name, last name, username), notes, then two dates, a flag, two
# numbers and three texts whose meaning depends on the kind. One query rather than one per kind
# of step: the booking page is one of the most used, and each query cost more to build and send
# than to run. Returns the SQL and the number of branches (each takes the booking as a parameter).
@functools.cache
def _steps_sql() -> tuple[str, int]:
    user = User._meta.db_table
    # Typed NULLs: PostgreSQL takes a UNION's column types from its first branch.
    date, number, text = "CAST(NULL AS DATE)", "CAST(NULL AS INTEGER)", "CAST(NULL AS TEXT)"

    def table(model, field="reason"):
        return model._meta.get_field(field).related_model._meta.db_table

    def reason(model):
        return f"JOIN {table(model)} r ON r.id = s.reason_id"

    branches = [
        ("confirmation", Confirmation, {}),
        ("arrival", Arrival, {"d1": "s.arrival_date", "d2": "s.expected_departure_date"}),
        ("date_change", DateChange, {"d1": "s.previous_departure_date", "d2": "s.new_departure_date"}),
        (
            "arrival_date_change",
            ArrivalDateChange,
            {"d1": "s.previous_arrival_date", "d2": "s.new_arrival_date"},
        ),
        (
            "overstay",
            Overstay,
            {
                "d1": "s.departure_date",
                "b1": "CASE WHEN s.is_authorised THEN 1 ELSE 0 END",
                "i1": "s.nights",
                "t1": "s.reason",
            },
        ),
        (
            "departure",
            Departure,
            {
                "d1": "s.departure_date",
                "t1": "r.name",
                "t2": "m.name",
                "t3": "p.name",
                "joins": f"{reason(Departure)} "
                f"JOIN {table(Departure, 'move_on_category')} m ON m.id = s.move_on_category_id "
                f"LEFT JOIN {table(Departure, 'destination_provider')} p ON p.id = s.destination_provider_id",
            },
        ),
        ("cancellation", Cancellation, {"d1": "s.cancelled_on", "t1": "r.name", "joins": reason(Cancellation)}),
        ("non_arrival", NonArrival, {"d1": "s.expected_on", "t1": "r.name", "joins": reason(NonArrival)}),
        (
            "turnaround",
            TurnaroundChange,
            {
                "i1": "s.previous_working_days",
                "i2": "s.working_days",
                "where": "AND s.previous_working_days IS NOT NULL",
            },
        ),
    ]
    selects = []
    for n, (kind, model, columns) in enumerate(branches):
        c = {"d1": date, "d2": date, "b1": number, "i1": number, "i2": number, "t1": text, "t2": text, "t3": text}
        c.update(columns)
        # Every name and expression here is ours (models' tables, fixed columns); the booking is a parameter.
        selects.append(
            f"SELECT '{kind}' AS kind, {n} AS n, s.created_at, u.first_name, u.last_name, u.username, "  # noqa: S608
            f"s.notes, {c['d1']} AS d1, {c['d2']} AS d2, {c['b1']} AS b1, {c['i1']} AS i1, {c['i2']} AS i2, "
            f"{c['t1']} AS t1, {c['t2']} AS t2, {c['t3']} AS t3 "
            f"FROM {model._meta.db_table} s LEFT JOIN {user} u ON u.id = s.created_by_id {c.get('joins', '')} "
            f"WHERE s.booking_id = %s {c.get('where', '')}"
        )
    # By time; steps recorded in the same instant in the order the services write them.
    return " UNION ALL ".join(selects) + " ORDER BY 3, 2", len(selects)


def timeline(booking: Booking, incidents: list[Incident] | None = None) -> list[TimelineEntry]:
    """Every step of the booking and every incident during it (`incidents`, when the caller has
    them already), newest first. Two queries, however long the history."""
    entries: list[TimelineEntry] = [
        TimelineEntry(
            "Booked (provisional)",
            booking.created_at,
            booking.created_by.get_full_name() if booking.created_by else "the system",
            [f"Bedspace {booking.bedspace.reference} at {booking.premises.reference}"]
            + ([f"Notes: {booking.notes}"] if booking.notes else []),
        )
    ]
    seen: set[str] = set()
    sql, branches = _steps_sql()
    for kind, _, at, first, last, username, notes, d1, d2, b1, i1, i2, t1, t2, t3 in raw_sql.rows(
        sql, raw_sql.uuid_params([booking.pk]) * branches
    ):
        by = (f"{first} {last}".strip() or username) if username is not None else "the system"
        again = kind in seen
        seen.add(kind)
        d1, d2 = raw_sql.as_date(d1), raw_sql.as_date(d2)
        if kind == "confirmation":
            label, lines = "Booking confirmed", []
        elif kind == "arrival":
            label = "Arrival date changed" if again else "Arrived"
            lines = [f"Arrival date: {long_date(d1)}", f"Expected departure date: {long_date(d2)}"]
        elif kind == "arrival_date_change":
            label = "Arrival date changed"
            lines = [f"Expected arrival date: {long_date(d1)} changed to {long_date(d2)}"]
        elif kind == "date_change":
            label = "Stay extended" if d2 > d1 else "Stay shortened"  # as DateChange.is_extension
            lines = [f"Departure date: {long_date(d1)} changed to {long_date(d2)}"]
        elif kind == "overstay":
            label = "Overstay authorised" if b1 else "Overstay not authorised"
            lines = [f"{i1} nights, to {long_date(d1)}"] + ([f"Reason: {t1}"] if t1 else [])
        elif kind == "departure":
            label = "Departure details updated" if again else "Departed"
            lines = [
                f"Departure date: {long_date(d1)}",
                f"Reason: {t1}",
                f"Move-on category: {t2}",
                *([f"Destination provider: {t3}"] if t3 else []),
            ]
        elif kind == "cancellation":
            label = "Cancellation updated" if again else "Booking cancelled"
            lines = [f"Cancelled on: {long_date(d1)}", f"Reason: {t1}"]
        elif kind == "non_arrival":
            label, lines = "Did not arrive", [f"Expected on: {long_date(d1)}", f"Reason: {t1}"]
        else:
            label, lines = "Turnaround changed", [f"{i1} working days changed to {i2}"]
        if notes:
            lines.append(f"Notes: {notes}")
        entries.append(TimelineEntry(label, raw_sql.as_moment(at), by, lines))
    if incidents is None:
        incidents = incidents_for(booking=booking)
    for incident in incidents:
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
