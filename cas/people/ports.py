"""Ports to the upstream systems that hold people's records.

The rest of the service only ever sees these dataclasses, exceptions and protocols; adapters (the
``synthetic`` package for development and demos, ``http`` for the real HMPPS APIs) turn upstream
data into them. Nothing here may import Django: the ports are used from plain Python tests and scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Literal, Protocol, runtime_checkable

from cas.core.dates import add_months

# --- Vocabularies -------------------------------------------------------------------------------

type Sex = Literal["Male", "Female"]
type GenderIdentity = Literal[
    "Male",
    "Female",
    "Transgender Male",
    "Transgender Female",
    "Non-binary",
    "Transgender",
    "Prefer not to say",
]
type RoshLevel = Literal["Low", "Medium", "High", "Very high"]
type AccessReason = Literal["restricted", "excluded"]

SEXES: Final[tuple[Sex, ...]] = ("Male", "Female")
GENDER_IDENTITIES: Final[tuple[GenderIdentity, ...]] = (
    "Male",
    "Female",
    "Transgender Male",
    "Transgender Female",
    "Non-binary",
    "Transgender",
    "Prefer not to say",
)
# Ordered lowest first so that max() by index gives the overall level.
ROSH_LEVELS: Final[tuple[RoshLevel, ...]] = ("Low", "Medium", "High", "Very high")

CUSTODY_IN_CUSTODY: Final = "In custody"
CUSTODY_REMANDED: Final = "Remanded in custody"
CUSTODY_ON_LICENCE: Final = "On licence"
CUSTODY_IN_COMMUNITY: Final = "In the community"
CUSTODY_STATUSES: Final[tuple[str, ...]] = (
    CUSTODY_IN_CUSTODY,
    CUSTODY_REMANDED,
    CUSTODY_ON_LICENCE,
    CUSTODY_IN_COMMUNITY,
)

RELEASE_TYPES: Final[tuple[str, ...]] = (
    "CRD licence",
    "PSS",
    "HDC",
    "Parole",
    "Fixed-term recall",
    "Standard recall",
    "ECSL",
    "Remand / bail",
)

# Risk flags (NDelius registrations) the service reacts to. Upstream may send others; they are kept
# as given so nothing is silently dropped.
FLAG_REGISTERED_SEX_OFFENDER: Final = "Registered sex offender"
FLAG_SEXUAL_RISK_TO_CHILDREN: Final = "Sexual risk to children"
FLAG_SEXUAL_RISK_TO_ADULTS: Final = "Sexual risk to adults"
FLAG_ARSON: Final = "Arson"
FLAG_HATE_CRIME: Final = "Hate crime"
FLAG_DOMESTIC_ABUSE: Final = "Domestic abuse perpetrator"
FLAG_RISK_TO_SELF: Final = "Risk to self"
FLAG_RISK_TO_STAFF: Final = "Risk to staff"
FLAG_RISK_TO_KNOWN_ADULT: Final = "Risk to known adult"
FLAG_CHILD_CONCERNS: Final = "Child concerns"
FLAG_WEAPONS: Final = "Weapons"
FLAG_STREET_GANGS: Final = "Street gangs"
# Not a risk: NDelius has no registration for access needs, so the ports carry it as a flag and
# placement search can filter on it the same way as on the risk flags.
FLAG_WHEELCHAIR_USER: Final = "Wheelchair user"
KNOWN_FLAGS: Final[tuple[str, ...]] = (
    FLAG_REGISTERED_SEX_OFFENDER,
    FLAG_SEXUAL_RISK_TO_CHILDREN,
    FLAG_SEXUAL_RISK_TO_ADULTS,
    FLAG_ARSON,
    FLAG_HATE_CRIME,
    FLAG_DOMESTIC_ABUSE,
    FLAG_RISK_TO_SELF,
    FLAG_RISK_TO_STAFF,
    FLAG_RISK_TO_KNOWN_ADULT,
    FLAG_CHILD_CONCERNS,
    FLAG_WEAPONS,
    FLAG_STREET_GANGS,
    FLAG_WHEELCHAIR_USER,
)

# Human names of the upstream systems, used in UpstreamUnavailable messages shown to users.
CASE_SYSTEM_NAME: Final = "probation case system"
RISK_SYSTEM_NAME: Final = "risk assessment system"
PRISON_SYSTEM_NAME: Final = "prison system"

CRN_PATTERN: Final = re.compile(r"^[A-Z][0-9]{6}$")
NOMS_PATTERN: Final = re.compile(r"^[A-Z][0-9]{4}[A-Z]{2}$")


def normalise_identifier(value: str) -> str:
    """CRNs and prison numbers are typed by people: ignore case and surrounding spaces."""
    return value.strip().upper()


def is_crn(value: str) -> bool:
    return bool(CRN_PATTERN.match(normalise_identifier(value)))


def is_noms_number(value: str) -> bool:
    return bool(NOMS_PATTERN.match(normalise_identifier(value)))


# --- Exceptions ---------------------------------------------------------------------------------


class PeopleError(Exception):
    """Base class so callers can catch every port failure in one place."""


class PersonNotFound(PeopleError):
    def __init__(self, crn_or_noms: str) -> None:
        self.identifier = crn_or_noms
        kind = "a prison number" if is_noms_number(crn_or_noms) else "a CRN"
        super().__init__(f"No person with {kind} of '{crn_or_noms}' was found")


class UpstreamUnavailable(PeopleError):
    """The upstream timed out or failed. ``str(exc)`` is safe to show to users; ``detail`` is for logs."""

    def __init__(self, system: str, detail: str = "") -> None:
        self.system = system
        self.detail = detail
        self.message = f"The {system} is not responding. Try again later."
        super().__init__(self.message)


class NoPrisonNumber(PeopleError):
    """The person has no NOMS number in NDelius, so nothing can be imported from the prison system."""

    def __init__(self, crn: str | None = None) -> None:
        self.crn = crn
        who = f"The person with CRN {crn}" if crn else "This person"
        super().__init__(
            f"{who} has no prison number (NOMS number) in NDelius, so we cannot import their"
            " adjudications or ACCT information from the prison system."
        )


# --- People -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Offence:
    offence_id: str
    description: str
    main_category: str
    sub_category: str
    offence_date: date | None
    conviction_date: date | None
    is_index: bool


@dataclass(frozen=True, slots=True)
class OffenderManager:
    staff_code: str
    name: str
    email: str
    team_name: str
    pdu_code: str  # a probation delivery unit delius_code
    region_code: str  # a probation region delius_code


@dataclass(frozen=True, slots=True)
class Person:
    crn: str
    noms_number: str | None
    pnc_number: str | None
    first_name: str
    last_name: str
    date_of_birth: date
    sex: Sex | None  # None when the case system records neither (not known, or another value)
    gender_identity: GenderIdentity | None
    ethnicity: str | None
    nationality: str | None
    religion: str | None
    custody_status: str
    prison_code: str | None
    prison_name: str | None
    offences: tuple[Offence, ...]
    manager: OffenderManager
    is_restricted: bool
    is_excluded: bool
    # Two reads of the same record are the same person, whenever they were fetched.
    fetched_at: datetime = field(compare=False)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def index_offence(self) -> Offence | None:
        for offence in self.offences:
            if offence.is_index:
                return offence
        return self.offences[0] if len(self.offences) == 1 else None

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday


@dataclass(frozen=True, slots=True)
class AccessDecision:
    crn: str
    allowed: bool
    reason: AccessReason | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class AccessLimits:
    """Who the case system lets see a person: `restricted_to` None means anyone not excluded;
    otherwise only those usernames (lower case) may, and never the `excluded_users`."""

    crn: str
    restricted_to: frozenset[str] | None = None
    excluded_users: frozenset[str] = frozenset()

    def allows(self, username: str) -> bool:
        user = username.strip().lower()
        if user in self.excluded_users:
            return False
        return self.restricted_to is None or user in self.restricted_to


# --- Risk ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoshLevels:
    """Risk of serious harm in the community; None means not known (no OASys assessment)."""

    children: RoshLevel | None
    public: RoshLevel | None
    known_adult: RoshLevel | None
    staff: RoshLevel | None
    overall: RoshLevel | None

    @classmethod
    def unknown(cls) -> RoshLevels:
        return cls(None, None, None, None, None)

    @classmethod
    def from_groups(
        cls,
        children: RoshLevel | None,
        public: RoshLevel | None,
        known_adult: RoshLevel | None,
        staff: RoshLevel | None,
    ) -> RoshLevels:
        """Build levels with ``overall`` as the highest group, as OASys does."""
        known = [level for level in (children, public, known_adult, staff) if level is not None]
        overall = max(known, key=ROSH_LEVELS.index) if known else None
        return cls(children, public, known_adult, staff, overall)

    @property
    def is_known(self) -> bool:
        return self.overall is not None


@dataclass(frozen=True, slots=True)
class Mappa:
    category: Literal[1, 2, 3] | None
    level: Literal[1, 2, 3] | None

    @property
    def label(self) -> str:
        category = self.category if self.category is not None else "unknown"
        level = self.level if self.level is not None else "unknown"
        return f"CAT {category} / LEVEL {level}"


@dataclass(frozen=True, slots=True)
class RiskManagementPlan:
    """OASys RM28 to RM35, pre-filled into the referral and editable there."""

    further_considerations: str | None
    additional_comments: str | None
    contingency_plans: str | None
    victim_safety_planning: str | None
    interventions_and_treatment: str | None
    monitoring_and_control: str | None
    supervision: str | None


@dataclass(frozen=True, slots=True)
class Concern:
    """OASys answers yes / no / don't know; None stands for don't know or not answered."""

    current: bool | None
    previous: bool | None


@dataclass(frozen=True, slots=True)
class RiskToSelf:
    suicide: Concern
    self_harm: Concern
    custody: Concern  # coping in custody or a hostel
    vulnerability: Concern

    @property
    def has_current_concerns(self) -> bool:
        return any(c.current for c in (self.suicide, self.self_harm, self.custody, self.vulnerability))

    @property
    def has_any_concerns(self) -> bool:
        return self.has_current_concerns or any(
            c.previous for c in (self.suicide, self.self_harm, self.custody, self.vulnerability)
        )


@dataclass(frozen=True, slots=True)
class RiskSummary:
    crn: str
    rosh: RoshLevels
    mappa: Mappa | None
    flags: tuple[str, ...]
    tier: str | None
    risk_management_plan: RiskManagementPlan | None
    assessment_completed_on: date | None
    risk_to_self: RiskToSelf | None
    fetched_at: datetime = field(compare=False)

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags

    def assessment_is_recent(self, today: date, months: int = 6) -> bool:
        """CAS only pre-fills from OASys assessments completed in the last six months."""
        if self.assessment_completed_on is None:
            return False
        return self.assessment_completed_on >= add_months(today, -months)


# --- Prison -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Adjudication:
    adjudication_id: str
    reported_at: datetime
    establishment: str
    offence_description: str
    hearing_held: bool
    finding: str


@dataclass(frozen=True, slots=True)
class AcctAlert:
    alert_id: str
    comment: str
    date_created: date
    date_expires: date | None

    def is_active_on(self, day: date) -> bool:
        return self.date_created <= day and (self.date_expires is None or self.date_expires >= day)


@dataclass(frozen=True, slots=True)
class PrisonRecord:
    noms_number: str
    prison_code: str | None  # current prison, or the last one for people already released
    prison_name: str | None
    release_date: date | None
    release_type: str | None
    adjudications: tuple[Adjudication, ...]
    acct_alerts: tuple[AcctAlert, ...]
    fetched_at: datetime = field(compare=False)


# --- Protocols ----------------------------------------------------------------------------------


@runtime_checkable
class CaseSystem(Protocol):
    """NDelius, through the approved-premises-and-delius context API."""

    def find_by_crn(self, crn: str) -> Person: ...

    def find_by_noms(self, noms: str) -> Person: ...

    def check_access(self, crn: str, username: str) -> AccessDecision: ...

    def access_limits(self, crns: list[str]) -> dict[str, AccessLimits]:
        """The restriction and exclusion lists of many people in one call; CRNs the case system does
        not know, or that have no limits, may be left out of the answer."""
        ...

    def search(self, text: str, limit: int = 20) -> list[Person]: ...


@runtime_checkable
class RiskSystem(Protocol):
    """OASys RoSH and risk management plan, NDelius MAPPA and flags, and the HMPPS tier."""

    def get_risk(self, crn: str) -> RiskSummary: ...


@runtime_checkable
class PrisonSystem(Protocol):
    """NOMIS through the Prison API, plus ACCT alerts from the prisoner alerts API."""

    def get_prison_record(self, noms: str | None) -> PrisonRecord: ...
