"""What the three synthetic adapters share: the anchor date, the clock and looking a person up in
the data set (or the national pool).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from ..ports import PersonNotFound, normalise_identifier
from .dataset import SYNTHETIC_ANCHOR, Dataset, dataset_for, national_entry
from .drafts import Entry


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _resolve_anchor(anchor: date | str | None) -> date:
    if anchor is None:
        return SYNTHETIC_ANCHOR
    if anchor == "today":
        return date.today()
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
        self.anchor = _resolve_anchor(anchor)
        self._clock = clock

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
