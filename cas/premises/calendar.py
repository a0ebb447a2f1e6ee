"""The occupancy calendar: for one property and a month or quarter, what each bedspace is doing on
each day, as runs of days ("segments") for the visual timeline and as periods for the table.

Every busy period comes from `occupancy.busy_periods` (voids now; bookings and turnarounds when they
register), and the calendar adds the bedspace's own life: not yet open, and archived (from the
history table, so past archive periods still show after a bedspace came back online).
"""

import datetime as dt
from dataclasses import dataclass, field

from cas.core.dates import add_months, format_date, long_date, month_name, quarter_start
from cas.core.working_days import is_working_day
from cas.people import services as people
from cas.premises.models import ArchiveChange, Bedspace, Premises
from cas.premises.occupancy import Period, busy_periods

PERIODS = ("month", "quarter")

# When two periods cover the same day, the first kind here is drawn.
PRIORITY = ("archived", "booking", "turnaround", "void", "upcoming")
LABELS = {
    "available": "",
    "archived": "Archived",
    "upcoming": "Not open",
    "void": "Void",
    "booking": "Booked",
    "turnaround": "Turnaround",
}
# The key under the timeline: each kind has a pattern and a letter as well as a colour.
KEY = (
    ("available", "Available", ""),
    ("booking", "Booked", "B"),
    ("turnaround", "Turnaround (getting the bedspace ready after someone leaves)", "T"),
    ("void", "Void (out of service)", "V"),
    ("archived", "Archived", "A"),
    ("upcoming", "Not yet open", "N"),
)


@dataclass
class Segment:
    kind: str
    start: dt.date
    end: dt.date
    label: str
    description: str
    object_id: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def letter(self) -> str:
        return next((letter for kind, _, letter in KEY if kind == self.kind), self.kind[:1].upper())


@dataclass
class Row:
    bedspace: Bedspace
    segments: list[Segment]
    periods: list[Period]  # every period touching the window, unclipped, for the table


@dataclass
class Day:
    date: dt.date
    working: bool

    @property
    def weekday_initial(self) -> str:
        return f"{self.date:%a}"[0]


@dataclass
class Calendar:
    premises: Premises
    period: str
    start: dt.date
    end: dt.date
    days: list[Day]
    months: list[tuple[str, int]]
    rows: list[Row] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.period == "month":
            return month_name(self.start)
        return f"{format_date(self.start, '%B')} to {month_name(self.end)}"

    @property
    def previous_start(self) -> dt.date:
        return add_months(self.start, -(1 if self.period == "month" else 3))

    @property
    def next_start(self) -> dt.date:
        return add_months(self.start, 1 if self.period == "month" else 3)


def window(period: str, year: int, month: int) -> tuple[dt.date, dt.date]:
    """The month, or the calendar quarter containing it."""
    start = dt.date(year, month, 1)
    if period == "quarter":
        start = quarter_start(start)
    end = add_months(start, 3 if period == "quarter" else 1) - dt.timedelta(days=1)
    return start, end


def _describe(start: dt.date, end: dt.date | None) -> str:
    if end is None:
        return f"from {long_date(start)}"
    if start == end:
        return f"on {long_date(start)}"
    return f"from {long_date(start)} to {long_date(end)}"


def lifecycle_periods(bedspace: Bedspace, changes: list[ArchiveChange]) -> list[Period]:
    """Not yet open, and archived periods, from the bedspace's dates and its archive history."""
    kept = sorted((c for c in changes if not c.is_cancelled), key=lambda c: (c.effective_date, c.created_at))
    first_start = min([bedspace.start_date, *(c.previous_start_date for c in kept)])
    periods = [
        Period(
            bedspace.pk,
            "upcoming",
            dt.date.min,
            first_start - dt.timedelta(days=1),
            LABELS["upcoming"],
            f"Not yet open: in service from {long_date(first_start)}",
        )
    ]
    archived_from = None
    for change in kept:
        if change.action == ArchiveChange.Action.ARCHIVE and archived_from is None:
            archived_from = change.effective_date
        elif change.action == ArchiveChange.Action.UNARCHIVE and archived_from is not None:
            last = change.effective_date - dt.timedelta(days=1)
            if last >= archived_from:
                periods.append(_archived(bedspace, archived_from, last))
            archived_from = None
    if archived_from is None and bedspace.end_date is not None:
        archived_from = bedspace.end_date  # archived without a history row (e.g. imported that way)
    if archived_from is not None:
        periods.append(_archived(bedspace, archived_from, None))
    return periods


def _archived(bedspace: Bedspace, start: dt.date, end: dt.date | None) -> Period:
    return Period(bedspace.pk, "archived", start, end, LABELS["archived"], f"Archived {_describe(start, end)}")


def _segments(periods: list[Period], start: dt.date, end: dt.date) -> list[Segment]:
    """Runs of days showing the same period (the highest-priority one where several overlap)."""
    rank = {kind: i for i, kind in enumerate(PRIORITY)}
    chosen: list[Period | None] = [None] * ((end - start).days + 1)
    for period in periods:
        first = max(period.start, start)
        last = min(period.end or end, end)
        for offset in range((first - start).days, (last - start).days + 1):
            current = chosen[offset]
            if current is None or rank.get(period.kind, 99) < rank.get(current.kind, 99):
                chosen[offset] = period
    segments: list[Segment] = []
    previous: Period | None = None
    for offset, period in enumerate(chosen):
        day = start + dt.timedelta(days=offset)
        if segments and period is previous:
            segments[-1].end = day
            continue
        previous = period
        if period is None:
            segments.append(Segment("available", day, day, "", "Available"))
            continue
        description = period.description
        if period.kind not in ("upcoming", "archived"):
            description = f"{description}, {_describe(period.start, period.end)}"
        segments.append(Segment(period.kind, day, day, period.label, description, period.object_id))
    return segments


def build_calendar(premises: Premises, period: str, year: int, month: int, viewer) -> Calendar:
    """The calendar as `viewer` may see it: people the case system limits from them are "Limited access"."""
    if period not in PERIODS:
        period = "month"
    start, end = window(period, year, month)
    days = [Day(start + dt.timedelta(days=i), False) for i in range((end - start).days + 1)]
    for day in days:
        day.working = is_working_day(day.date)
    months: list[tuple[str, int]] = []
    for day in days:
        name = month_name(day.date)
        if months and months[-1][0] == name:
            months[-1] = (name, months[-1][1] + 1)
        else:
            months.append((name, 1))
    calendar = Calendar(premises, period, start, end, days, months)
    bedspaces = list(premises.bedspaces.order_by("reference"))
    changes_by_bedspace: dict = {b.pk: [] for b in bedspaces}
    for change in ArchiveChange.objects.filter(premises=premises, bedspace__isnull=False):
        changes_by_bedspace[change.bedspace_id].append(change)
    busy_by_bedspace: dict = {b.pk: [] for b in bedspaces}
    busy = busy_periods([b.pk for b in bedspaces], start, end)
    limited = people.limited_access_crns(viewer, {p.crn for p in busy if p.crn})
    for period_ in busy:
        busy_by_bedspace[period_.bedspace_id].append(
            period_.masked(people.LIMITED_ACCESS) if period_.crn in limited else period_
        )
    for bedspace in bedspaces:
        periods = lifecycle_periods(bedspace, changes_by_bedspace[bedspace.pk]) + busy_by_bedspace[bedspace.pk]
        visible = [p for p in periods if p.overlaps(start, end)]
        visible.sort(key=lambda p: (p.start, PRIORITY.index(p.kind) if p.kind in PRIORITY else 99))
        calendar.rows.append(Row(bedspace, _segments(visible, start, end), visible))
    return calendar
