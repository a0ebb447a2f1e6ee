"""The synthetic probation case system (NDelius): people by CRN or NOMS number, access decisions
for restricted and excluded people, and search by CRN, NOMS number or name.
"""

from __future__ import annotations

from dataclasses import replace

from ..ports import (
    CASE_SYSTEM_NAME,
    AccessDecision,
    AccessLimits,
    Person,
    PersonNotFound,
    UpstreamUnavailable,
    normalise_identifier,
)
from .base import SyntheticBase
from .demo_people import CASE_FAILS

RESTRICTION_MESSAGE = (
    "This person's record is restricted. Only named staff can see it. Contact the person's"
    " probation practitioner if you need access."
)
EXCLUSION_MESSAGE = (
    "You have been excluded from seeing this person's record. Contact your line manager if you think this is wrong."
)


class SyntheticCaseSystem(SyntheticBase):
    def find_by_crn(self, crn: str) -> Person:
        crn = normalise_identifier(crn)
        if crn in CASE_FAILS:
            raise UpstreamUnavailable(CASE_SYSTEM_NAME, f"synthetic timeout for {crn}")
        return replace(self._entry(crn).person, fetched_at=self._clock())

    def find_by_noms(self, noms: str) -> Person:
        noms = normalise_identifier(noms)
        crn = self._data.crn_by_noms.get(noms)
        if crn is None:
            raise PersonNotFound(noms)
        return self.find_by_crn(crn)

    def check_access(self, crn: str, username: str) -> AccessDecision:
        crn = normalise_identifier(crn)
        if crn in CASE_FAILS:
            raise UpstreamUnavailable(CASE_SYSTEM_NAME, f"synthetic timeout for {crn}")
        entry = self._data.entries.get(crn)
        if entry is None:
            # NDelius answers "no limitation" for CRNs it does not know; find_by_crn reports them.
            return AccessDecision(crn, True)
        user = username.strip().lower()
        if user in entry.excluded_users:
            return AccessDecision(crn, False, "excluded", EXCLUSION_MESSAGE)
        if entry.restricted_to is not None and user not in entry.restricted_to:
            return AccessDecision(crn, False, "restricted", RESTRICTION_MESSAGE)
        return AccessDecision(crn, True)

    def access_limits(self, crns: list[str]) -> dict[str, AccessLimits]:
        found: dict[str, AccessLimits] = {}
        for crn in {normalise_identifier(c) for c in crns}:
            if crn in CASE_FAILS:
                raise UpstreamUnavailable(CASE_SYSTEM_NAME, f"synthetic timeout for {crn}")
            entry = self._data.entries.get(crn)
            if entry is not None and (entry.restricted_to is not None or entry.excluded_users):
                found[crn] = AccessLimits(crn, entry.restricted_to, entry.excluded_users)
        return found

    def search(self, text: str, limit: int = 20) -> list[Person]:
        query = text.strip()
        if not query:
            return []
        upper = query.upper()
        if upper in CASE_FAILS:
            raise UpstreamUnavailable(CASE_SYSTEM_NAME, f"synthetic timeout for {upper}")
        folded = query.casefold()
        now = self._clock()
        found: list[Person] = []
        for crn, entry in self._data.entries.items():
            if crn in CASE_FAILS:
                continue
            person = entry.person
            if upper in crn or upper == person.noms_number or folded in person.name.casefold():
                found.append(replace(person, fetched_at=now))
                if len(found) >= limit:
                    break
        return found
