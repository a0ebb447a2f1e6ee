"""Anonymising people: the retention rules, and anonymised copies of the database.

Both use the same rules, applied to one row's values at a time (`anonymise_row`):
- identifiers are replaced by stable pseudonyms: the same CRN always becomes the same pseudonym CRN
  (a keyed hash, so pseudonyms cannot be reversed without the key), prison numbers likewise, the
  name becomes "Person <pseudonym CRN>", the date of birth a different day of the same year (ages
  and age groups in reports stay about right);
- free text that may describe the person (answers, notes, details, reasons, email bodies, upstream
  snapshots) is cleared;
- any other text or JSON that still quotes a known CRN, prison number, name or date of birth has it
  replaced by the pseudonym (audit labels, event details, subjects).
"""

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models

from cas.people.ports import CRN_PATTERN

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, as in real prison numbers
ANONYMISED_TEXT = ""

# Columns holding a person's identity, in any table.
IDENTITY_COLUMNS = {"crn", "noms_number", "person_name", "date_of_birth", "pnc_number"}
# Free text and upstream copies cleared outright, per table (JSON columns become empty).
CLEARED_COLUMNS: dict[str, set[str]] = {
    "referrals.referral": {
        "answers",
        "document",
        "risk_snapshot",
        "prison_snapshot",
        "form_notices",
        "rejection_details",
        "prison_problem",
        "risk_problem",
    },
    "referrals.timelineentry": {"text"},
    "placements.booking": {"overstay_reason", "notes"},
    "placements.confirmation": {"notes"},
    "placements.arrival": {"notes"},
    "placements.departure": {"notes"},
    "placements.datechange": {"notes"},
    "placements.arrivaldatechange": {"notes"},
    "placements.overstay": {"notes", "reason"},
    "placements.cancellation": {"notes"},
    "placements.nonarrival": {"notes"},
    "placements.turnaroundchange": {"notes"},
    "placements.incident": {"details"},
    "events.outboundemail": {"body", "personalisation"},
}
# Keys of JSON documents (audit before/after, event details) that hold free text.
FREE_TEXT_KEYS = {
    "answers",
    "document",
    "notes",
    "text",
    "details",
    "reason",
    "rejection_details",
    "overstay_reason",
    "risk_snapshot",
    "prison_snapshot",
}


@dataclass
class Pseudonyms:
    """Stable pseudonyms under one key. `taken` holds CRNs and prison numbers in use, so a pseudonym
    never collides with a real identifier or another pseudonym."""

    key: bytes
    taken: set[str] = field(default_factory=set)
    _crns: dict[str, str] = field(default_factory=dict)
    _noms: dict[str, str] = field(default_factory=dict)

    def _number(self, kind: str, value: str, attempt: int) -> int:
        digest = hmac.new(self.key, f"{kind}:{value}:{attempt}".encode(), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big")

    def crn(self, crn: str) -> str:
        if crn not in self._crns:
            attempt = 0
            while True:
                candidate = f"Z{self._number('crn', crn, attempt) % 1_000_000:06d}"
                if candidate not in self.taken:
                    break
                attempt += 1
            self.taken.add(candidate)
            self._crns[crn] = candidate
        return self._crns[crn]

    def noms(self, noms: str) -> str:
        if not noms:
            return ""
        if noms not in self._noms:
            attempt = 0
            while True:
                n = self._number("noms", noms, attempt)
                candidate = f"Z{n % 10_000:04d}{LETTERS[(n >> 20) % 24]}{LETTERS[(n >> 30) % 24]}"
                if candidate not in self.taken:
                    break
                attempt += 1
            self.taken.add(candidate)
            self._noms[noms] = candidate
        return self._noms[noms]

    def name(self, crn: str) -> str:
        return f"Person {self.crn(crn)}"

    def date_of_birth(self, crn: str, dob: dt.date | None) -> dt.date | None:
        if dob is None:
            return None
        start = dt.date(dob.year, 1, 1)
        days = (dt.date(dob.year, 12, 31) - start).days + 1
        offset = self._number("dob", crn, 0) % days
        if start + dt.timedelta(days=offset) == dob:
            offset = (offset + 1) % days
        return start + dt.timedelta(days=offset)


@dataclass(frozen=True)
class Identity:
    crn: str
    noms_numbers: frozenset[str]
    names: frozenset[str]
    dates_of_birth: frozenset[dt.date]


class Replacer:
    """Replaces every known identifier of the given people, wherever it is quoted, by its pseudonym."""

    def __init__(self, people: Iterable[Identity], pseudonyms: Pseudonyms):
        self.pseudonyms = pseudonyms
        self.by_crn = {p.crn: p for p in people}
        self.crn_of_noms = {n: p.crn for p in self.by_crn.values() for n in p.noms_numbers}
        self.crn_of_name = {n.lower(): p.crn for p in self.by_crn.values() for n in p.names if n}
        self.dob = {(p.crn, d) for p in self.by_crn.values() for d in p.dates_of_birth}
        mapping: dict[str, str] = {}
        for person in self.by_crn.values():
            mapping[person.crn.lower()] = pseudonyms.crn(person.crn)
            for noms in person.noms_numbers:
                mapping[noms.lower()] = pseudonyms.noms(noms)
            for name in person.names:
                if name:
                    mapping[name.lower()] = pseudonyms.name(person.crn)
            for dob in person.dates_of_birth:
                mapping[dob.isoformat()] = pseudonyms.date_of_birth(person.crn, dob).isoformat()
        self.mapping = mapping
        terms = sorted(mapping, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None

    def text(self, value: str) -> str:
        if not value or self.pattern is None:
            return value
        return self.pattern.sub(lambda m: self.mapping[m.group(0).lower()], value)

    def json(self, value, key: str = ""):
        if key in FREE_TEXT_KEYS and value not in (None, "", [], {}):
            return {} if isinstance(value, dict) else [] if isinstance(value, list) else ""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.json(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(v, key) for v in value]
        return value

    def crn_for(self, values: dict) -> str | None:
        """The original CRN a row is about, from its identity columns."""
        crn = values.get("crn")
        if crn in self.by_crn:
            return crn
        if values.get("noms_number") in self.crn_of_noms:
            return self.crn_of_noms[values["noms_number"]]
        name = (values.get("person_name") or "").lower()
        return self.crn_of_name.get(name)


def anonymise_row(label: str, fields: list[models.Field], values: dict, replacer: Replacer) -> dict:
    """The changed values (by attname) of one row of table `label` once its people are anonymised."""
    changes: dict = {}
    crn = replacer.crn_for(values)
    p = replacer.pseudonyms
    cleared = CLEARED_COLUMNS.get(label, set())
    for f in fields:
        name, value = f.attname, values.get(f.attname)
        if f.is_relation or value is None:
            continue
        if name in cleared:
            # JSON columns become empty (null where allowed), text columns blank.
            new = (None if f.null else type(value)()) if isinstance(f, models.JSONField) else ANONYMISED_TEXT
        elif name == "crn" and value and crn:
            new = p.crn(crn)
        elif name == "noms_number" and value:
            new = p.noms(value) if value in replacer.crn_of_noms else value
        elif name == "person_name" and crn:
            new = p.name(crn)
        elif name == "date_of_birth" and crn:
            new = p.date_of_birth(crn, value)
        elif name == "pnc_number" and crn:
            new = ""
        elif name == "subject_id" and CRN_PATTERN.match(str(value)) and value in replacer.by_crn:
            new = p.crn(value)
        elif isinstance(f, models.JSONField):
            new = replacer.json(value)
        elif isinstance(f, models.CharField | models.TextField):
            new = replacer.text(value)
        else:
            continue
        if isinstance(new, str) and getattr(f, "max_length", None):
            new = new[: f.max_length]
        if new != value:
            changes[name] = new
    return changes
