"""The deterministic person generator: the ``GENERATED_PEOPLE`` people after the demo ones, and any
person of the national pool.

Each person has their own ``random.Random`` seeded from a string (``cas-people:person:{index}``),
so every run on every machine gives the same people, and adding a field changes only that field and
not everybody after it. Dates that must look current are measured from the anchor; names, CRNs and
dates of birth are not.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from .. import reference_data
from ..ports import (
    CUSTODY_IN_COMMUNITY,
    CUSTODY_IN_CUSTODY,
    CUSTODY_ON_LICENCE,
    CUSTODY_REMANDED,
    FLAG_ARSON,
    FLAG_CHILD_CONCERNS,
    FLAG_DOMESTIC_ABUSE,
    FLAG_HATE_CRIME,
    FLAG_REGISTERED_SEX_OFFENDER,
    FLAG_RISK_TO_KNOWN_ADULT,
    FLAG_RISK_TO_SELF,
    FLAG_RISK_TO_STAFF,
    FLAG_SEXUAL_RISK_TO_ADULTS,
    FLAG_SEXUAL_RISK_TO_CHILDREN,
    FLAG_STREET_GANGS,
    FLAG_WEAPONS,
    FLAG_WHEELCHAIR_USER,
    ROSH_LEVELS,
    AcctAlert,
    Adjudication,
    Concern,
    GenderIdentity,
    Mappa,
    RiskToSelf,
    RoshLevel,
    RoshLevels,
    Sex,
)
from ..reference_data import Pdu
from .demo_people import RESTRICTED_ACCESS_USER
from .drafts import UK_TZ, Draft, OffenceDraft, pronouns, staff_for_pdu
from .tables import (
    ACCT_COMMENTS,
    ADDITIONAL_KIND_WEIGHTS,
    ADJUDICATION_CHARGES,
    ETHNICITIES,
    FINDINGS,
    INDEX_KIND_WEIGHTS_MEN,
    INDEX_KIND_WEIGHTS_WOMEN,
    NAMES,
    NATIONALITIES,
    OFFENCES,
    OFFENCES_BY_KIND,
    PRISONS_BY_REGION,
    RELEASE_TYPE_WEIGHTS,
    RELEASE_WINDOW_DAYS,
    RELIGIONS,
    WOMENS_PRISONS,
)

# Dates of birth are measured from a fixed day so people keep their identity whatever the anchor.
_BIRTH_REFERENCE = date(2026, 6, 1)
GENERATED_PEOPLE = 1300


def _weighted[T](rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    values = [value for value, _ in pairs]
    weights = [weight for _, weight in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


def _rosh_for(rng: random.Random, kind: str, flags: list[str]) -> RoshLevels:
    if kind.startswith("sexual"):
        overall = _weighted(rng, (("Low", 2), ("Medium", 30), ("High", 60), ("Very high", 8)))
    elif kind in {"violent", "weapons", "domestic", "arson", "hate"}:
        overall = _weighted(rng, (("Low", 8), ("Medium", 45), ("High", 40), ("Very high", 7)))
    else:
        overall = _weighted(rng, (("Low", 38), ("Medium", 50), ("High", 11), ("Very high", 1)))
    top = ROSH_LEVELS.index(overall)
    if kind == "sexual_child":
        target = "children"
    elif kind == "domestic" or FLAG_DOMESTIC_ABUSE in flags:
        target = "known_adult"
    elif FLAG_RISK_TO_STAFF in flags:
        target = "staff"
    else:
        target = "public"

    def lower() -> RoshLevel:
        return ROSH_LEVELS[rng.randint(0, top)]

    groups: dict[str, RoshLevel] = {g: lower() for g in ("children", "public", "known_adult", "staff")}
    groups[target] = overall
    return RoshLevels.from_groups(**groups)


def _tier_for(rng: random.Random, rosh: RoshLevels, mappa: Mappa | None) -> str | None:
    if rng.random() < 0.02:
        return None
    if rosh.overall == "Very high" or (rosh.overall == "High" and mappa is not None and (mappa.level or 0) >= 2):
        letter = "A"
    elif rosh.overall == "High":
        letter = "B"
    elif rosh.overall == "Medium":
        letter = "C"
    elif rosh.overall == "Low":
        letter = "D"
    else:
        letter = rng.choice("CD")
    return f"{letter}{_weighted(rng, ((0, 10), (1, 35), (2, 35), (3, 20)))}"


def _concern(rng: random.Random, current_p: float, previous_p: float) -> Concern:
    if rng.random() < 0.03:
        return Concern(None, None)
    current = rng.random() < current_p
    return Concern(current, current or rng.random() < previous_p)


def generated_draft(index: int, anchor: date) -> Draft:
    rng = random.Random(f"cas-people:person:{index}")
    local = reference_data.local_pdus()
    pdu: Pdu = local[index] if index < len(local) else rng.choice(local)
    region_code = pdu.region.delius_code
    # Every 16th person is a woman (6%, as in the probation caseload), so the share does not drift
    # when the generator changes.
    sex: Sex = "Female" if index % 16 == 5 else "Male"

    ethnicity, _weight, pool = _weighted(rng, [((e, w, p), w) for e, w, p in ETHNICITIES])
    if pool == "english" and region_code == "N03" and rng.random() < 0.7:
        pool = "welsh"
    men, women, surnames = NAMES[pool]
    first = rng.choice(women if sex == "Female" else men)
    last = rng.choice(surnames)
    religion = _weighted(rng, RELIGIONS.get(pool, RELIGIONS["default"]))
    if rng.random() < 0.03:
        religion = None
    nationality = _weighted(rng, NATIONALITIES.get(pool, NATIONALITIES["default"]))

    gender_identity: GenderIdentity | None = _weighted(
        rng,
        (
            (sex, 78),
            (None, 15),
            ("Prefer not to say", 3),
            ("Transgender Female" if sex == "Male" else "Transgender Male", 1.5 if sex == "Male" else 4),
            ("Non-binary", 1.5),
            ("Transgender", 1),
        ),
    )

    low, high = _weighted(rng, (((18, 24), 18), ((25, 34), 34), ((35, 44), 26), ((45, 54), 13), ((55, 72), 9)))
    age = rng.randint(low, high)
    dob = _BIRTH_REFERENCE - timedelta(days=age * 365 + age // 4 + rng.randint(0, 364))

    crn = f"{rng.choice('ABCDEFGHJKLMNPRSTVW')}{(index * 7919 + 104729) % 900000 + 100000}"
    has_noms = rng.random() >= 0.08
    noms = (
        f"{rng.choice('GHJKLMNPRSTVW')}{(index * 7 + 1000) % 10000:04d}"
        f"{rng.choice('ABCDEFGHJKLMNPRSTVWXYZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXYZ')}"
        if has_noms
        else None
    )
    pnc = (
        f"{min(dob.year + rng.randint(14, 30), 2025)}/{rng.randint(0, 9999999):07d}{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}"
        if rng.random() < 0.92
        else None
    )

    # Offences: one index offence of a kind typical for the person, plus older additional ones.
    kind = _weighted(rng, INDEX_KIND_WEIGHTS_WOMEN if sex == "Female" else INDEX_KIND_WEIGHTS_MEN)
    conviction = anchor - timedelta(days=rng.randint(90, 1600))
    offences = [
        OffenceDraft(
            rng.choice(OFFENCES_BY_KIND[kind]),
            True,
            None if rng.random() < 0.04 else conviction - timedelta(days=rng.randint(20, 400)),
            conviction,
        )
    ]
    extra = _weighted(rng, ((0, 50), (1, 25), (2, 15), (3, 6), (4, 3), (5, 1)))
    for _ in range(extra):
        key = rng.choice(OFFENCES_BY_KIND[_weighted(rng, ADDITIONAL_KIND_WEIGHTS)])
        older = conviction - timedelta(days=rng.randint(60, 3000))
        offences.append(
            OffenceDraft(
                key,
                False,
                None if rng.random() < 0.15 else older - timedelta(days=rng.randint(10, 300)),
                older if rng.random() < 0.9 else None,
            )
        )
    kinds = {OFFENCES[o.key][3] for o in offences}

    flags: list[str] = []
    if "sexual_child" in kinds:
        flags += [FLAG_REGISTERED_SEX_OFFENDER, FLAG_SEXUAL_RISK_TO_CHILDREN]
        if rng.random() < 0.5:
            flags.append(FLAG_CHILD_CONCERNS)
    if "sexual_adult" in kinds:
        flags += [FLAG_REGISTERED_SEX_OFFENDER, FLAG_SEXUAL_RISK_TO_ADULTS]
    if "arson" in kinds or rng.random() < 0.02:  # some arson history sits in old, spent convictions
        flags.append(FLAG_ARSON)
    if "hate" in kinds:
        flags.append(FLAG_HATE_CRIME)
    if "domestic" in kinds or ("violent" in kinds and rng.random() < 0.12):
        flags += [FLAG_DOMESTIC_ABUSE, FLAG_RISK_TO_KNOWN_ADULT]
    if "weapons" in kinds and rng.random() < 0.5:
        flags.append(FLAG_WEAPONS)
    if age < 30 and kinds & {"violent", "drugs", "weapons"} and rng.random() < 0.08:
        flags.append(FLAG_STREET_GANGS)
    if rng.random() < 0.03:
        flags.append(FLAG_RISK_TO_STAFF)
    if rng.random() < 0.10:
        flags.append(FLAG_RISK_TO_SELF)
    if rng.random() < (0.06 if age >= 55 else 0.012):
        flags.append(FLAG_WHEELCHAIR_USER)

    # OASys: most people have a recent assessment; some old; a few none at all.
    assessment = _weighted(rng, (("recent", 83), ("old", 12), ("none", 5)))
    if assessment == "none":
        rosh, assessed_on, risk_to_self = RoshLevels.unknown(), None, None
    else:
        rosh = _rosh_for(rng, kind, flags)
        days_ago = rng.randint(1, 175) if assessment == "recent" else rng.randint(200, 900)
        assessed_on = anchor - timedelta(days=days_ago)
        at_risk = FLAG_RISK_TO_SELF in flags
        risk_to_self = RiskToSelf(
            suicide=_concern(rng, 0.7 if at_risk else 0.0, 0.15),
            self_harm=_concern(rng, 0.8 if at_risk else 0.0, 0.2),
            custody=_concern(rng, 0.5 if at_risk else 0.05, 0.2),
            vulnerability=_concern(rng, 0.4 if at_risk else 0.05, 0.15),
        )

    mappa: Mappa | None = None
    if FLAG_REGISTERED_SEX_OFFENDER in flags:
        mappa = Mappa(1, _weighted(rng, ((1, 80), (2, 17), (3, 3))))
    elif rosh.overall in {"High", "Very high"} and kinds & {"violent", "weapons", "domestic", "arson", "hate"}:
        if rng.random() < 0.35:
            mappa = Mappa(2, _weighted(rng, ((1, 60), (2, 32), (3, 8))))
        elif rng.random() < 0.06:
            mappa = Mappa(3, _weighted(rng, ((2, 70), (3, 30))))
    tier = _tier_for(rng, rosh, mappa)

    # Custody and release.
    if noms is None:
        custody_status = CUSTODY_IN_COMMUNITY
    else:
        custody_status = _weighted(rng, ((CUSTODY_IN_CUSTODY, 86), (CUSTODY_ON_LICENCE, 10), (CUSTODY_REMANDED, 4)))
    prisons = WOMENS_PRISONS if sex == "Female" else PRISONS_BY_REGION[region_code]
    prison = last_prison = None
    release_date = release_type = None
    if custody_status in {CUSTODY_IN_CUSTODY, CUSTODY_REMANDED}:
        prison = rng.choice(prisons)
    elif custody_status == CUSTODY_ON_LICENCE:
        last_prison = rng.choice(prisons)
    if custody_status == CUSTODY_REMANDED:
        release_type = "Remand / bail"
    elif custody_status == CUSTODY_IN_CUSTODY:
        release_type = _weighted(rng, RELEASE_TYPE_WEIGHTS)
        past = rng.random() < 0.1  # NDelius and NOMIS are not always up to date
        release_date = anchor + timedelta(days=rng.randint(-25, -1) if past else rng.randint(*RELEASE_WINDOW_DAYS))
    elif custody_status == CUSTODY_ON_LICENCE:
        release_type = _weighted(rng, RELEASE_TYPE_WEIGHTS)
        release_date = anchor - timedelta(days=rng.randint(5, 250))

    draft = Draft(
        crn=crn,
        noms=noms,
        pnc=pnc,
        first=first,
        last=last,
        dob=dob,
        sex=sex,
        gender_identity=gender_identity,
        ethnicity=ethnicity,
        nationality=nationality,
        religion=religion,
        pdu_code=pdu.delius_code,
        staff_index=rng.randrange(4),
        custody_status=custody_status,
        prison=prison,
        last_prison=last_prison,
        offences=offences,
        rosh=rosh,
        mappa=mappa,
        flags=flags,
        tier=tier,
        assessed_on=assessed_on,
        risk_to_self=risk_to_self,
        release_date=release_date,
        release_type=release_type,
    )

    if noms is not None:
        where = prison or last_prison
        if where and rng.random() < 0.22:
            draft.adjudications = [
                _adjudication(rng, anchor, where[1], sex, recent=i == 0) for i in range(rng.randint(1, 4))
            ]
        if rng.random() < (0.7 if FLAG_RISK_TO_SELF in flags else 0.04):
            draft.acct_alerts = [_acct(rng, anchor) for _ in range(rng.randint(1, 2))]

    if rng.random() < 0.012:
        draft.restricted_to = frozenset(
            {RESTRICTED_ACCESS_USER, staff_for_pdu(pdu.delius_code)[draft.staff_index].username}
        )
    if rng.random() < 0.015:
        other = staff_for_pdu(rng.choice(local).delius_code)[rng.randrange(4)]
        draft.excluded_users = frozenset({other.username})
    return draft


def _adjudication(rng: random.Random, anchor: date, establishment: str, sex: Sex, *, recent: bool) -> Adjudication:
    reported = datetime.combine(
        anchor - timedelta(days=rng.randint(3, 60) if recent else rng.randint(60, 700)),
        time(rng.randint(7, 20), rng.choice((0, 15, 30, 45))),
        tzinfo=UK_TZ,
    )
    heard = not (recent and rng.random() < 0.3)
    return Adjudication(
        adjudication_id=str(rng.randint(1_000_000, 4_999_999)),
        reported_at=reported,
        establishment=establishment,
        offence_description=rng.choice(ADJUDICATION_CHARGES).format(**pronouns(sex)),
        hearing_held=heard,
        finding=_weighted(rng, FINDINGS) if heard else "Not yet heard",
    )


def _acct(rng: random.Random, anchor: date) -> AcctAlert:
    created = anchor - timedelta(days=rng.randint(10, 700))
    closed = rng.random() < 0.6
    return AcctAlert(
        alert_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        comment=rng.choice(ACCT_COMMENTS),
        date_created=created,
        date_expires=created + timedelta(days=rng.randint(20, 150)) if closed else None,
    )
