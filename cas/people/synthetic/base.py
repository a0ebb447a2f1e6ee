"""What the three synthetic adapters share: the anchor date, the clock and looking a person up in
the data set (or the national pool).

The anchor is the day the clock reads in England and Wales unless a fixed one is given, so release
dates, assessments and alerts stay current whatever day the service runs: the registry gives the
adapters the service's clock (`cas.core.clock`), so a test that stops or moves that clock (the golden
world, `travel`) moves the people's dates with it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from ..ports import PersonNotFound, normalise_identifier
from .dataset import Dataset, dataset_for, national_entry
from .drafts import UK_TZ, Entry


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _fixed_anchor(anchor: date | str | None) -> date | None:
    """A fixed anchor, or None for the day the clock reads ("today", the default)."""
    if anchor is None or anchor == "today":
        return None
    if isinstance(anchor, str):
        return date.fromisoformat(anchor)
    return anchor


class SyntheticBase:
    """``base_url`` and ``timeout`` are accepted and ignored so settings can swap classes freely."""

    def __init__(
        self,
        *,
        anchor: date | str | None = None,
        clock: Callable[[], datetime] = _utcnow,
        base_url: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self._fixed_anchor = _fixed_anchor(anchor)
        self._clock = clock

    @property
    def anchor(self) -> date:
        if self._fixed_anchor is not None:
            return self._fixed_anchor
        return self._clock().astimezone(UK_TZ).date()

    @property
    def _data(self) -> Dataset:
        return dataset_for(self.anchor)

    def _entry(self, crn: str) -> Entry:
        crn = normalise_identifier(crn)
        entry = self._data.entries.get(crn) or national_entry(crn, self.anchor)
        if entry is None:
            raise PersonNotFound(crn)
        return entry

    # Helpers for tests, fixtures and the demo-data loader: not part of the ports.
    def all_crns(self) -> list[str]:
        return list(self._data.entries)
