"""What keeps a bedspace busy, from every source, as one kind of interval.

Void periods are the only source today. Bookings and their turnarounds will register a source here
(`register_source`, from their app's `ready()`), and then automatically:
- block archiving (the earliest archive date is the day after the last busy day),
- clash with void periods (no overlaps), and
- appear on the occupancy calendar and in its table alternative.

A `Period` covers `start` to `end`, both days included; `end=None` means open-ended.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from cas.core.working_days import add_working_days
from cas.premises.models import VoidPeriod


@dataclass(frozen=True)
class Period:
    bedspace_id: object
    kind: str  # "void", "booking", "turnaround" (sources); "archived", "upcoming" (the calendar adds these)
    start: dt.date
    end: dt.date | None
    label: str  # short text for the timeline, e.g. "Void"
    description: str  # full sentence for the table alternative and screen readers
    noun: str = ""  # how a refusal names it: "a void period", "a booking"
    object_id: str = ""
    status: str = ""  # e.g. a booking's status; drawn as its own pattern on the calendar
    # The person a period names in its description (a booking's), by CRN, so it can be masked.
    crn: str = ""
    person: str = ""

    def masked(self, hidden: str) -> "Period":
        """The same period naming `hidden` instead of the person."""
        if not self.person:
            return self
        return replace(self, description=self.description.replace(self.person, hidden), person=hidden)

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        starts_before_other_ends = end is None or self.start <= end
        ends_after_other_starts = self.end is None or self.end >= start
        return starts_before_other_ends and ends_after_other_starts


class OccupancySource(Protocol):
    name: str

    def periods(self, bedspace_ids: Sequence, start: dt.date, end: dt.date | None) -> Iterable[Period]:
        """Periods on these bedspaces that overlap `start`..`end` (`end=None`: from `start` on)."""


class VoidSource:
    name = "voids"

    def periods(self, bedspace_ids, start, end):
        voids = VoidPeriod.objects.filter(bedspace_id__in=list(bedspace_ids), cancelled_at__isnull=True).filter(
            end_date__gte=start
        )
        if end is not None:
            voids = voids.filter(start_date__lte=end)
        for void in voids.select_related("reason").order_by("start_date"):
            yield Period(
                bedspace_id=void.bedspace_id,
                kind="void",
                start=void.start_date,
                end=void.end_date,
                label="Void",
                description=f"Void: {void.reason.name}"
                + (f" (reference {void.reference_number})" if void.reference_number else ""),
                noun="a void period",
                object_id=str(void.pk),
            )


_SOURCES: list[OccupancySource] = [VoidSource()]


def register_source(source: OccupancySource) -> None:
    if all(existing.name != source.name for existing in _SOURCES):
        _SOURCES.append(source)


def busy_periods(bedspace_ids: Sequence, start: dt.date, end: dt.date | None = None, *, exclude: str = ""):
    """Every busy period from every source on these bedspaces overlapping `start`..`end`."""
    found = []
    for source in _SOURCES:
        found.extend(p for p in source.periods(bedspace_ids, start, end) if not exclude or p.object_id != exclude)
    return sorted(found, key=lambda p: (p.start, p.end or dt.date.max))


def turnaround_period(bedspace_id, departure: dt.date, working_days: int, *, object_id: str = "") -> Period | None:
    """The turnaround after someone leaves on `departure`: the working days after it, ending on
    `add_working_days(departure, working_days)`. None for a same-day (0-day) turnaround."""
    if working_days <= 0:
        return None
    end = add_working_days(departure, working_days)
    return Period(
        bedspace_id,
        "turnaround",
        departure + dt.timedelta(days=1),
        end,
        "Turnaround",
        f"Turnaround: {working_days} working day{'s' if working_days != 1 else ''} after {departure.day} {departure:%B %Y}",
        noun="a turnaround",
        object_id=object_id,
    )
