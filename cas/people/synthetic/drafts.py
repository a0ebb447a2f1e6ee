"""A person's draft and how it becomes what the ports return.

``Draft`` holds everything about one synthetic person (generated or hand-written) before ``finish``
freezes it into the ``Person``, ``RiskSummary`` and ``PrisonRecord`` that the adapters hand out
(an ``Entry``). Also the staff who manage people (four per PDU, made deterministically) and the
risk management plan text written from a person's offences and flags.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from .. import reference_data
from ..ports import (
    FLAG_DOMESTIC_ABUSE,
    AcctAlert,
    Adjudication,
    GenderIdentity,
    Mappa,
    Offence,
    OffenderManager,
    Person,
    PrisonRecord,
    RiskManagementPlan,
    RiskSummary,
    RiskToSelf,
    RoshLevels,
    Sex,
)
from .tables import NAMES, OFFENCES

UK_TZ = ZoneInfo("Europe/London")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# --- Staff --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Staff:
    manager: OffenderManager
    username: str


@functools.cache
def staff_for_pdu(pdu_code: str) -> tuple[Staff, ...]:
    pdu = reference_data.pdus_by_code()[pdu_code]
    region = pdu.region
    rng = random.Random(f"cas-people:staff:{pdu_code}")
    staff = []
    for number in range(4):
        pool = "welsh" if region.delius_code == "N03" and rng.random() < 0.6 else "english"
        men, women, surnames = NAMES[pool]
        first = rng.choice(men if rng.random() < 0.35 else women)
        last = rng.choice(surnames)
        team_number = number // 2 + 1
        code = f"{region.delius_code}{'ABCDEFGH'[number]}{rng.randint(100, 999)}"
        manager = OffenderManager(
            staff_code=code,
            name=f"{first} {last}",
            email=f"{_ascii(first).lower()}.{_ascii(last).lower().replace("'", '').replace(' ', '')}@justice.gov.uk",
            team_name=f"{pdu.short_name} Probation Team {team_number}",
            pdu_code=pdu.delius_code,
            region_code=region.delius_code,
        )
        username = f"{_ascii(first)[0]}{_ascii(last)}".lower().replace("'", "").replace(" ", "")
        staff.append(Staff(manager, username))
    return tuple(staff)


# --- Drafts: everything about one person, before being frozen into the port dataclasses --------


@dataclass(slots=True)
class OffenceDraft:
    key: str
    is_index: bool
    offence_date: date | None
    conviction_date: date | None


@dataclass(slots=True)
class Draft:
    crn: str
    noms: str | None
    pnc: str | None
    first: str
    last: str
    dob: date
    sex: Sex
    gender_identity: GenderIdentity | None
    ethnicity: str | None
    nationality: str | None
    religion: str | None
    pdu_code: str
    staff_index: int
    custody_status: str
    prison: tuple[str, str] | None  # where the person is now (custody and remand only)
    last_prison: tuple[str, str] | None  # for the prison record of people already released
    offences: list[OffenceDraft]
    restricted_to: frozenset[str] | None = None
    excluded_users: frozenset[str] = frozenset()
    rosh: RoshLevels = field(default_factory=RoshLevels.unknown)
    mappa: Mappa | None = None
    flags: list[str] = field(default_factory=list)
    tier: str | None = None
    assessed_on: date | None = None
    risk_to_self: RiskToSelf | None = None
    release_date: date | None = None
    release_type: str | None = None
    adjudications: list[Adjudication] = field(default_factory=list)
    acct_alerts: list[AcctAlert] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Entry:
    person: Person
    risk: RiskSummary
    prison: PrisonRecord | None
    restricted_to: frozenset[str] | None
    excluded_users: frozenset[str]


_PLACEHOLDER_FETCHED_AT = datetime(2000, 1, 1, tzinfo=UTC)


def finish(draft: Draft, serial: int) -> Entry:
    offences = tuple(
        Offence(
            offence_id=f"{'M' if o.is_index else 'A'}{2500000000 + serial * 10 + i}",
            description=OFFENCES[o.key][2],
            main_category=OFFENCES[o.key][0],
            sub_category=OFFENCES[o.key][1],
            offence_date=o.offence_date,
            conviction_date=o.conviction_date,
            is_index=o.is_index,
        )
        for i, o in enumerate(draft.offences)
    )
    staff = staff_for_pdu(draft.pdu_code)[draft.staff_index]
    person = Person(
        crn=draft.crn,
        noms_number=draft.noms,
        pnc_number=draft.pnc,
        first_name=draft.first,
        last_name=draft.last,
        date_of_birth=draft.dob,
        sex=draft.sex,
        gender_identity=draft.gender_identity,
        ethnicity=draft.ethnicity,
        nationality=draft.nationality,
        religion=draft.religion,
        custody_status=draft.custody_status,
        prison_code=draft.prison[0] if draft.prison else None,
        prison_name=draft.prison[1] if draft.prison else None,
        offences=offences,
        manager=staff.manager,
        is_restricted=draft.restricted_to is not None,
        is_excluded=bool(draft.excluded_users),
        fetched_at=_PLACEHOLDER_FETCHED_AT,
    )
    kinds = {OFFENCES[o.key][3] for o in draft.offences}
    plan = _risk_management_plan(draft.first, kinds, draft.flags, draft.mappa) if draft.assessed_on else None
    risk = RiskSummary(
        crn=draft.crn,
        rosh=draft.rosh,
        mappa=draft.mappa,
        flags=tuple(dict.fromkeys(draft.flags)),
        tier=draft.tier,
        risk_management_plan=plan,
        assessment_completed_on=draft.assessed_on,
        risk_to_self=draft.risk_to_self,
        fetched_at=_PLACEHOLDER_FETCHED_AT,
    )
    prison_record = None
    if draft.noms:
        where = draft.prison or draft.last_prison
        prison_record = PrisonRecord(
            noms_number=draft.noms,
            prison_code=where[0] if where else None,
            prison_name=where[1] if where else None,
            release_date=draft.release_date,
            release_type=draft.release_type,
            adjudications=tuple(sorted(draft.adjudications, key=lambda a: a.reported_at, reverse=True)),
            acct_alerts=tuple(sorted(draft.acct_alerts, key=lambda a: a.date_created, reverse=True)),
            fetched_at=_PLACEHOLDER_FETCHED_AT,
        )
    return Entry(person, risk, prison_record, draft.restricted_to, draft.excluded_users)


def _risk_management_plan(first: str, kinds: set[str], flags: list[str], mappa: Mappa | None) -> RiskManagementPlan:
    if "sexual_child" in kinds:
        victim = (
            f"No unsupervised contact with anyone under 18. {first} must not live in a household with"
            " children. Exclusion zone around the victim's school and home address."
        )
        interventions = "Horizon programme in the community; polygraph testing under licence."
    elif "sexual_adult" in kinds:
        victim = (
            "Exclusion zone covering the victim's home and workplace. Victim liaison officer informed of release plans."
        )
        interventions = "Kaizen programme started in custody, to be completed in the community."
    elif "domestic" in kinds or FLAG_DOMESTIC_ABUSE in flags:
        victim = (
            "Non-contact condition with the former partner. Police domestic abuse unit and the"
            " independent domestic violence adviser are aware of the release date."
        )
        interventions = "Building Better Relationships programme."
    elif "arson" in kinds:
        victim = "No identified victim. The fire and rescue service has been told of the release address."
        interventions = "Fire-setting intervention with the psychology service; mental health referral."
    else:
        victim = "No identified victim. No victim safety planning needed at present."
        interventions = "Thinking Skills Programme; referral to drug and alcohol services on release."
    supervision = "Weekly supervision for the first 12 weeks, then fortnightly if compliance is good."
    if mappa is not None and (mappa.level or 1) >= 2:
        supervision += " Reviewed at MAPPA meetings every 8 weeks."
    return RiskManagementPlan(
        further_considerations=(
            f"{first} has been homeless before and reoffended within weeks each time. Stable"
            " accommodation is the most important protective factor."
        ),
        additional_comments="Information checked with the prison offender manager before release.",
        contingency_plans=(
            f"If {first} does not arrive at the address or breaches licence conditions, the probation"
            " practitioner will consider recall and tell the police single point of contact."
        ),
        victim_safety_planning=victim,
        interventions_and_treatment=interventions,
        monitoring_and_control=(
            "Licence conditions: reside at an approved address, report as instructed, curfew from 7pm"
            " to 7am with electronic monitoring for the first 3 months."
        ),
        supervision=supervision,
    )


def pronouns(sex: Sex) -> dict[str, str]:
    return {"his": "her", "him": "her", "he": "she"} if sex == "Female" else {"his": "his", "him": "him", "he": "he"}
