"""The synthetic prison system (NOMIS and the alerts API): a person's prison record by NOMS number."""

from __future__ import annotations

from dataclasses import replace

from ..ports import (
    PRISON_SYSTEM_NAME,
    NoPrisonNumber,
    PersonNotFound,
    PrisonRecord,
    UpstreamUnavailable,
    normalise_identifier,
)
from .base import SyntheticBase
from .demo_people import PRISON_FAILS


class SyntheticPrisonSystem(SyntheticBase):
    def get_prison_record(self, noms: str | None) -> PrisonRecord:
        if noms is None or not noms.strip():
            raise NoPrisonNumber()
        noms = normalise_identifier(noms)
        crn = self._data.crn_by_noms.get(noms)
        if crn is None:
            raise PersonNotFound(noms)
        if crn in PRISON_FAILS:
            raise UpstreamUnavailable(PRISON_SYSTEM_NAME, f"synthetic failure for {noms}")
        record = self._data.entries[crn].prison
        assert record is not None  # everyone with a NOMS number has a prison record
        return replace(record, fetched_at=self._clock())
