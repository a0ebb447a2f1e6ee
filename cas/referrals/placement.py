"""What the person who made a referral may know of the placement made for it: where the person is
booked to stay, when they are expected and, later, when they arrived, when they left and where they
moved on to. Nothing else of the booking (its notes, the bedspace, the reasons the HPT recorded):
the booking's own pages stay the HPT's.

Referrals sit below placements, so the bookings app registers the source from its `ready()`
(`register_source`), as it does for the open matters of `cas3/queries.py`; the referrer's page and
API ask `for_referrer(referral)`, and the booking's timeline entries on the referral are written by
the booking services through `timeline.record_placement`. Nothing here names a tier: a tier whose
bookings say nothing to the referrer returns None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from cas.core.dates import long_date
from cas.referrals.models import Referral

# Where the person is in their stay, in the referrer's words.
BOOKED, ARRIVED, LEFT = "booked", "arrived", "left"
STAGE_LABELS = {BOOKED: "Booked, not arrived yet", ARRIVED: "Arrived", LEFT: "Moved on"}


@dataclass(frozen=True)
class Placement:
    address: str  # one line: the property's address and postcode
    expected_arrival: dt.date  # the arrival date booked (the arrival itself once recorded)
    expected_departure: dt.date
    arrived_on: dt.date | None = None
    left_on: dt.date | None = None
    move_on: str = ""  # where they moved on to (the move-on category), once they have left

    @property
    def stage(self) -> str:
        if self.left_on:
            return LEFT
        return ARRIVED if self.arrived_on else BOOKED

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    def rows(self) -> list[tuple[str, str]]:
        """(question, answer) rows for the referrer's page, in the order things happen."""
        rows = [("Placement", self.stage_label), ("Address", self.address)]
        if self.arrived_on is None:
            rows.append(("Expected arrival", long_date(self.expected_arrival)))
        else:
            rows.append(("Arrived on", long_date(self.arrived_on)))
        if self.left_on is None:
            rows.append(("Expected to leave by", long_date(self.expected_departure)))
        else:
            rows.append(("Left on", long_date(self.left_on)))
            rows.append(("Moved on to", self.move_on or "Not recorded"))
        return rows


_SOURCES: list[Callable[[Referral], Placement | None]] = []


def register_source(source: Callable[[Referral], Placement | None]) -> None:
    """The bookings app's reader of a referral's placement (from its `ready()`)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def for_referrer(referral: Referral) -> Placement | None:
    """The placement made for a submitted referral, as its referrer may see it, or None."""
    for source in _SOURCES:
        placement = source(referral)
        if placement is not None:
            return placement
    return None
