"""The synthetic data set for an anchor date: the demo people, then the generated ones, by CRN and by
NOMS number, built once per anchor; and the national pool, people made on demand for any CRN of the
generator's scheme.

The adapters anchor on the day their clock reads (``base.py``), so releases stay in the next few
months whatever the day; a fixed ``anchor`` (a date) pins them. ``SYNTHETIC_ANCHOR`` is the day the
golden world stops the clock on (``tests/golden/world.py``) and the anchor of the national pool's
people made for bulk data (``national_person``) and of the recorded upstream answers in the tests.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from ..ports import Person, RiskSummary
from .demo_people import demo_drafts
from .drafts import Entry, finish
from .generator import GENERATED_PEOPLE, generated_draft

SYNTHETIC_ANCHOR = date(2026, 11, 16)


@dataclass(frozen=True, slots=True)
class Dataset:
    entries: dict[str, Entry]  # by CRN: demo people first, then generated ones
    crn_by_noms: dict[str, str]


@functools.lru_cache(maxsize=4)
def dataset_for(anchor: date) -> Dataset:
    drafts = demo_drafts(anchor)
    drafts += [generated_draft(index, anchor) for index in range(GENERATED_PEOPLE)]
    entries: dict[str, Entry] = {}
    for serial, draft in enumerate(drafts):
        if draft.crn in entries:  # the generator's CRN scheme is a bijection; this guards edits
            raise AssertionError(f"duplicate synthetic CRN {draft.crn}")
        entries[draft.crn] = finish(draft, serial)
    crn_by_noms = {e.person.noms_number: crn for crn, e in entries.items() if e.person.noms_number}
    return Dataset(entries, crn_by_noms)


# The national pool: beyond the people built up front, every index of the CRN scheme is a person
# made on demand, so national-scale test data (hundreds of thousands of referrals) has a matching
# person for every CRN without building them all. The CRN's number is a bijection of the index.
NATIONAL_POOL = 900_000
_CRN_STEP_INVERSE = pow(7919, -1, 900_000)


def national_crn(index: int, anchor: date | None = None) -> str:
    """The CRN of person `index` of the national pool (0 <= index < NATIONAL_POOL)."""
    return generated_draft(index, anchor or SYNTHETIC_ANCHOR).crn


def national_person(index: int, anchor: date | None = None) -> tuple[Person, RiskSummary]:
    """Person `index` of the national pool and their risk summary, exactly as the case and risk
    systems return them for `national_crn(index)` (the data generator snapshots them like a booking does)."""
    entry = finish(generated_draft(index, anchor or SYNTHETIC_ANCHOR), index + 10_000)
    return entry.person, entry.risk


@functools.lru_cache(maxsize=20_000)
def national_entry(crn: str, anchor: date) -> Entry | None:
    if len(crn) != 7 or not crn[1:].isdigit():
        return None
    number = int(crn[1:])
    if number < 100_000:
        return None
    index = ((number - 100_000 - 104_729) * _CRN_STEP_INVERSE) % 900_000
    if index < GENERATED_PEOPLE:
        return None  # built up front; not found there means it does not exist
    draft = generated_draft(index, anchor)
    if draft.crn != crn:
        return None
    return finish(draft, index + 10_000)
