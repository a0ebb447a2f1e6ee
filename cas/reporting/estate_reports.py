"""The estate reports: what each bedspace was used for (bedspace usage), how full it was
(occupancy) and when it stood empty (gaps).

Each reads three streams in a fixed number of queries, whatever the size of the estate: the
bedspaces, their bookings and their void periods, all in the same order (region, property,
bedspace), and walks them side by side, one bedspace at a time. Only one bedspace's bookings and
voids are ever in memory.

Days, as the placement module counts them (`cas/placements/README.md`): a booking holds its
bedspace from the arrival date up to, not including, `available_from`. The person sleeps there
the nights from arrival to the day before departure; the turnaround keeps the departure day and
the days up to its last working day. A void covers its start and end dates, both included. A
bedspace is in service from its start date until the day before its archive date.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cas.core import clock
from cas.core.tiers import Service
from cas.core.working_days import is_working_day
from cas.placements.models import Booking
from cas.placements.status import ACTIVE_STATUSES, current_status
from cas.placements.status import BookingStatus as S
from cas.premises.models import Bedspace, VoidPeriod
from cas.reporting.mi import Column, ReportDefinition, ReportParams
from cas.reporting.report_fields import overlap_days, short_ref, yes_no

ONE_DAY = dt.timedelta(days=1)
OVERSTAY_NIGHTS = 84


def _bedspaces(params: ReportParams):
    bedspaces = Bedspace.objects.filter(premises__service=Service.CAS3)
    if params.region_id:
        bedspaces = bedspaces.filter(premises__region_id=params.region_id)
    return bedspaces


# The one order every stream is read in; the bedspace id makes it total, so each stream lists
# the bedspaces in exactly the same sequence.
ORDER = ("premises__region__name", "premises__pdu__name", "premises__reference", "reference", "id")


def _busy_bookings(params: ReportParams):
    bookings = Booking.objects.filter(
        status__in=ACTIVE_STATUSES,
        bedspace__premises__service=Service.CAS3,
        arrival_date__lte=params.end_date,
        available_from__gt=params.start_date,
    )
    if params.region_id:
        bookings = bookings.filter(bedspace__premises__region_id=params.region_id)
    return bookings.order_by(*(f"bedspace__{key}" for key in ORDER), "arrival_date")


def _voids(params: ReportParams):
    voids = VoidPeriod.objects.filter(
        cancelled_at__isnull=True,
        bedspace__premises__service=Service.CAS3,
        start_date__lte=params.end_date,
        end_date__gte=params.start_date,
    )
    if params.region_id:
        voids = voids.filter(bedspace__premises__region_id=params.region_id)
    return voids.order_by(*(f"bedspace__{key}" for key in ORDER), "start_date")


BOOKING_VALUES = (
    "bedspace_id",
    "crn",
    "status",
    "arrival_date",
    "departure_date",
    "available_from",
    "overstay_authorised",
    "overstay_reason",
)
VOID_VALUES = ("bedspace_id", "start_date", "end_date", "reason__name", "notes", "cost_borne_by")


@dataclass
class BedspaceDays:
    """One bedspace with its bookings and voids that touch the period."""

    bedspace: object
    bookings: list = field(default_factory=list)
    voids: list = field(default_factory=list)


class _Stream:
    """A sorted stream of rows read one bedspace at a time."""

    def __init__(self, rows: Iterator):
        self.rows, self.head = rows, next(rows, None)

    def take(self, bedspace_id) -> list:
        taken = []
        while self.head is not None and self.head.bedspace_id == bedspace_id:
            taken.append(self.head)
            self.head = next(self.rows, None)
        return taken


def each_bedspace(params: ReportParams, *, with_estate_details: bool = True) -> Iterator[BedspaceDays]:
    """Every bedspace in scope with its bookings and voids in the period: three queries in all."""
    bedspaces = _bedspaces(params).order_by(*ORDER)
    if with_estate_details:
        bedspaces = bedspaces.select_related(
            "premises", "premises__region", "premises__pdu", "premises__local_authority"
        )
    # Bookings and voids as plain named tuples of the few values the reports need: there are many
    # of them, and building model instances would be most of the work.
    bookings = _Stream(_busy_bookings(params).values_list(*BOOKING_VALUES, named=True).iterator(chunk_size=5000))
    voids = _Stream(_voids(params).values_list(*VOID_VALUES, named=True).iterator(chunk_size=5000))
    for bedspace in bedspaces.iterator(chunk_size=2000):
        yield BedspaceDays(bedspace, bookings.take(bedspace.id), voids.take(bedspace.id))
    if bookings.head is not None or voids.head is not None:
        # Every booking and void belongs to a bedspace read above; anything left means the streams
        # disagreed, and a report that silently dropped rows would be worse than none.
        raise RuntimeError("Bookings or voids were read for a bedspace outside the report")


def _estate_columns() -> tuple[Column, ...]:
    return (
        Column("probationRegion", "Probation region", "The region of the property"),
        Column("pdu", "PDU", "The probation delivery unit of the property"),
        Column("localAuthority", "Local authority", "The local authority the property is in"),
        Column("propertyRef", "Property reference", "The property's reference, as the HPT named it"),
        Column("addressLine1", "Address line 1", "First line of the property's address"),
        Column("town", "Town", "Town of the property"),
        Column("postCode", "Postcode", "Postcode of the property"),
        Column("bedspaceRef", "Bedspace reference", "The bedspace's reference, as the HPT named it"),
    )


def _estate_values(bedspace) -> tuple:
    premises = bedspace.premises
    return (
        premises.region.name,
        premises.pdu.name,
        premises.local_authority.name if premises.local_authority else "",
        premises.reference,
        premises.address_line1,
        premises.town,
        premises.postcode,
        bedspace.reference,
    )


UNIQUE_REF_COLUMNS = (
    Column("uniquePropertyRef", "Unique property reference", "A short code for the property that never changes"),
    Column("uniqueBedspaceRef", "Unique bedspace reference", "A short code for the bedspace that never changes"),
)


def _nights(booking) -> tuple[dt.date, dt.date]:
    """The days the person sleeps there: arrival to the day before departure."""
    return booking.arrival_date, booking.departure_date - ONE_DAY


def _turnaround(booking) -> tuple[dt.date, dt.date]:
    """The days kept for the turnaround: the departure day up to its last working day."""
    return booking.departure_date, booking.available_from - ONE_DAY


def _online(bedspace) -> tuple[dt.date, dt.date | None]:
    return bedspace.start_date, (bedspace.end_date - ONE_DAY) if bedspace.end_date else None


def _touches(start: dt.date, end: dt.date, params: ReportParams) -> bool:
    return start <= end and start <= params.end_date and end >= params.start_date


# Bedspace usage ---------------------------------------------------------------------------------------------

BEDSPACE_USAGE_COLUMNS = (
    *_estate_columns(),
    Column("crn", "CRN", "For a booking or turnaround: the person's case reference number"),
    Column("type", "Type", "Booking, Turnaround or Void"),
    Column("startDate", "Start date", "Booking: arrival date. Turnaround: the departure day. Void: first day"),
    Column(
        "endDate",
        "End date",
        "Booking: departure date (the last night is the night before). Turnaround: its last day. Void: last day",
    ),
    Column(
        "durationOfBookingDays",
        "Duration (days)",
        "Booking: nights booked. Turnaround and void: days, both ends included",
    ),
    Column("bookingStatus", "Booking status", "For a booking or turnaround: the booking's status today"),
    Column("overstay", "Overstay", f"For a booking: Yes when the stay is longer than {OVERSTAY_NIGHTS} nights"),
    Column("authorised", "Overstay authorised", "For an overstay: Yes or No, as the HPT decided"),
    Column("reason", "Overstay reason", "For an overstay: the reason the HPT gave"),
    Column("voidCategory", "Void reason", "For a void: why the bedspace was out of service"),
    Column("voidNotes", "Void notes", "For a void: the notes recorded with it"),
    Column("costCentre", "Cost borne by", "For a void: HMPPS or the supplier"),
    *UNIQUE_REF_COLUMNS,
)


def bedspace_usage_rows(params: ReportParams):
    cost_centres = dict(VoidPeriod.CostBorneBy.choices)
    today = clock.today()
    for item in each_bedspace(params):
        bedspace = item.bedspace
        estate = _estate_values(bedspace)
        refs = (short_ref(bedspace.premises_id), short_ref(bedspace.id))
        uses = []
        for b in item.bookings:
            status = current_status(b.status, b.available_from, today).label
            first, last = _nights(b)
            if _touches(first, last, params):
                nights = (b.departure_date - b.arrival_date).days
                overstay = nights > OVERSTAY_NIGHTS
                uses.append(
                    (
                        b.arrival_date,
                        0,
                        (b.crn, "Booking", b.arrival_date, b.departure_date, nights, status, yes_no(overstay))
                        + ((yes_no(b.overstay_authorised), b.overstay_reason) if overstay else ("", ""))
                        + ("", "", ""),
                    )
                )
            first, last = _turnaround(b)
            if _touches(first, last, params):
                uses.append(
                    (
                        first,
                        1,
                        (b.crn, "Turnaround", first, last, (last - first).days + 1, status, "", "", "", "", "", ""),
                    )
                )
        for v in item.voids:
            uses.append(
                (
                    v.start_date,
                    2,
                    (
                        "",
                        "Void",
                        v.start_date,
                        v.end_date,
                        (v.end_date - v.start_date).days + 1,
                        "",
                        "",
                        "",
                        "",
                        v.reason__name,
                        v.notes,
                        cost_centres.get(v.cost_borne_by, v.cost_borne_by),
                    ),
                )
            )
        uses.sort(key=lambda use: (use[0], use[1]))
        for _, _, values in uses:
            yield estate + values + refs


BEDSPACE_USAGE = ReportDefinition(
    key="bedspace-usage",
    title="Bedspace usage",
    description=(
        "One row for each booking, turnaround and void period of each bedspace in the region's properties "
        "that falls in the period, whole (not cut at the period's ends)."
    ),
    columns=BEDSPACE_USAGE_COLUMNS,
    count=lambda params: _busy_bookings(params).count() + _voids(params).count(),
    service=Service.CAS3,
    rows=bedspace_usage_rows,
)


# Occupancy --------------------------------------------------------------------------------------------------

OCCUPANCY_COLUMNS = (
    *_estate_columns(),
    Column(
        "bookedDaysActiveAndClosed",
        "Nights occupied",
        "Nights in the period of bookings whose person arrived (still there or left)",
    ),
    Column("confirmedDays", "Nights confirmed", "Nights in the period of confirmed bookings not yet arrived"),
    Column("provisionalDays", "Nights provisional", "Nights in the period of provisional bookings"),
    Column(
        "scheduledTurnaroundDays",
        "Turnaround working days",
        "Working days of turnarounds in the period (weekends and bank holidays not counted)",
    ),
    Column(
        "effectiveTurnaroundDays",
        "Turnaround days",
        "Calendar days in the period held for turnarounds, from each departure day to the turnaround's last day",
    ),
    Column("voidDays", "Void days", "Days in the period the bedspace was void (out of service for a reason)"),
    Column("totalBookedDays", "Total nights occupied", "Nights in the period someone was staying (arrived bookings)"),
    Column("bedspaceStartDate", "Bedspace start date", "The first day the bedspace was in service"),
    Column("bedspaceEndDate", "Bedspace archive date", "The first day the bedspace was out of service, if archived"),
    Column("bedspaceOnlineDays", "Days online", "Days in the period the bedspace was in service"),
    Column(
        "occupancyRate",
        "Occupancy rate (%)",
        "Total nights occupied as a percentage of days online, to one decimal place",
    ),
    *UNIQUE_REF_COLUMNS,
)


def _working_days_in(start: dt.date, end: dt.date) -> int:
    count, day = 0, start
    while day <= end:
        count += is_working_day(day)
        day += ONE_DAY
    return count


def _percentage(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def occupancy_rows(params: ReportParams):
    start, end = params.start_date, params.end_date
    for item in each_bedspace(params):
        bedspace = item.bedspace
        online_first, online_last = _online(bedspace)
        online_days = overlap_days(online_first, online_last or end, start, end)
        if not online_days and not item.bookings and not item.voids:
            continue
        arrived = confirmed = provisional = scheduled = effective = 0
        for b in item.bookings:
            nights = overlap_days(*_nights(b), start, end)
            if b.status in (S.ARRIVED, S.DEPARTED, S.CLOSED):
                arrived += nights
            elif b.status == S.CONFIRMED:
                confirmed += nights
            elif b.status == S.PROVISIONAL:
                provisional += nights
            first, last = _turnaround(b)
            effective += overlap_days(first, last, start, end)
            # The turnaround's working days are those after the departure day.
            scheduled += _working_days_in(max(first + ONE_DAY, start), min(last, end))
        void_days = sum(overlap_days(v.start_date, v.end_date, start, end) for v in item.voids)
        yield (
            *_estate_values(bedspace),
            arrived,
            confirmed,
            provisional,
            scheduled,
            effective,
            void_days,
            arrived,
            bedspace.start_date,
            bedspace.end_date,
            online_days,
            _percentage(arrived, online_days),
            short_ref(bedspace.premises_id),
            short_ref(bedspace.id),
        )


OCCUPANCY = ReportDefinition(
    key="occupancy",
    title="Occupancy",
    description=(
        "One row for each bedspace in the region's properties that was in service or in use in the period: "
        "nights booked by status, turnaround and void days, days online and the occupancy rate."
    ),
    columns=OCCUPANCY_COLUMNS,
    count=lambda params: _bedspaces(params).count(),
    service=Service.CAS3,
    rows=occupancy_rows,
)


# Gaps -------------------------------------------------------------------------------------------------------

GAP_COLUMNS = (
    Column("probationRegion", "Probation region", "The region of the property"),
    Column("pduName", "PDU", "The probation delivery unit of the property"),
    Column("premisesName", "Property reference", "The property's reference, as the HPT named it"),
    Column("bedName", "Bedspace reference", "The bedspace's reference, as the HPT named it"),
    Column(
        "gap",
        "Empty from and to",
        "The first and last days (YYYY-MM-DD to YYYY-MM-DD) in the period the bedspace was in service with no "
        "booking, turnaround or void",
    ),
    Column("gapDays", "Empty days", "The number of days in the gap, both ends included"),
)


def bedspace_gaps(item: BedspaceDays, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The runs of days in service in [start, end] that no booking, turnaround or void holds."""
    online_first, online_last = _online(item.bedspace)
    first, last = max(start, online_first), min(end, online_last or end)
    if first > last:
        return []
    busy = sorted(
        [(b.arrival_date, b.available_from - ONE_DAY) for b in item.bookings]
        + [(v.start_date, v.end_date) for v in item.voids]
    )
    gaps, free_from = [], first
    for busy_start, busy_end in busy:
        if busy_end < free_from:
            continue
        if busy_start > last:
            break
        if busy_start > free_from:
            gaps.append((free_from, busy_start - ONE_DAY))
        free_from = max(free_from, busy_end + ONE_DAY)
    if free_from <= last:
        gaps.append((free_from, last))
    return gaps


def gap_rows(params: ReportParams):
    for item in each_bedspace(params):
        bedspace = item.bedspace
        premises = bedspace.premises
        for first, last in bedspace_gaps(item, params.start_date, params.end_date):
            yield (
                premises.region.name,
                premises.pdu.name,
                premises.reference,
                bedspace.reference,
                f"{first.isoformat()} to {last.isoformat()}",
                (last - first).days + 1,
            )


GAPS = ReportDefinition(
    key="gaps",
    title="Gaps",
    description=(
        "The empty periods of each bedspace in the region's properties: runs of days in the period when it was "
        "in service but neither booked, in turnaround nor void."
    ),
    columns=GAP_COLUMNS,
    count=lambda params: _bedspaces(params).count(),
    service=Service.CAS3,
    rows=gap_rows,
)
