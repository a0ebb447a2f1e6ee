"""HTTP adapters for the real HMPPS APIs.

- Case system: approved-premises-and-delius (``/probation-cases/{crn}/details``, ``/users/access``).
- Risk system: OASys RoSH summary and risk management plan, the HMPPS tier service, and MAPPA and
  registrations (flags) from the NDelius case details, as the MoJ's CAS API does.
- Prison system: the Prison API (``/api/offenders/{noms}`` and adjudications) and the prisoner alerts
  API (ACCT alerts, code ``HA``).

Every call has a timeout and exactly one retry on a timeout, a connection error or a 502/503/504.
404 means the person is not known (``PersonNotFound``); anything else that goes wrong becomes
``UpstreamUnavailable`` with a message fit for users. Where a real API does not carry a field the
ports need, the JSON mapping reads an extra field; README.md lists them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Final, Protocol
from urllib.parse import quote
from zoneinfo import ZoneInfo

import requests

from . import reference_data
from .ports import (
    CASE_SYSTEM_NAME,
    GENDER_IDENTITIES,
    KNOWN_FLAGS,
    PRISON_SYSTEM_NAME,
    RISK_SYSTEM_NAME,
    AccessDecision,
    AccessLimits,
    AcctAlert,
    Adjudication,
    Concern,
    GenderIdentity,
    Mappa,
    NoPrisonNumber,
    Offence,
    OffenderManager,
    Person,
    PersonNotFound,
    PrisonRecord,
    RiskManagementPlan,
    RiskSummary,
    RiskToSelf,
    RoshLevel,
    RoshLevels,
    Sex,
    UpstreamUnavailable,
    is_crn,
    is_noms_number,
    normalise_identifier,
)

RETRY_STATUSES: Final = frozenset({502, 503, 504})
UK_TZ = ZoneInfo("Europe/London")

type TokenProvider = Callable[[], str]
type JsonObject = dict[str, Any]


class SessionLike(Protocol):
    """What the adapters need of a session: ``requests.Session`` or ``replay.RecordedSession``."""

    def get(self, url: str, **kwargs: Any) -> requests.Response: ...

    def post(self, url: str, **kwargs: Any) -> requests.Response: ...


_MISSING: Final = object()


class _Client:
    """One upstream: base URL, session, auth header, timeout and the retry rule."""

    def __init__(
        self,
        system: str,
        base_url: str,
        timeout: float,
        session: SessionLike | None,
        token_provider: TokenProvider | None,
        retry_delay: float,
    ) -> None:
        if not base_url:
            # Fail at start-up rather than on the first person looked up.
            raise ValueError(f"The {system} adapter needs a base_url (see settings.INTEGRATIONS)")
        self.system = system
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # One session per adapter, made here and never at import, so importing opens no connections.
        self.session = session if session is not None else requests.Session()
        self.token_provider = token_provider
        self.retry_delay = retry_delay

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token_provider is not None:
            try:
                token = self.token_provider()
            except Exception as exc:  # a broken token source is an outage, not a crash
                raise UpstreamUnavailable(self.system, f"could not get an access token: {exc!r}") from exc
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        problem = ""
        for attempt in range(2):
            if attempt and self.retry_delay:
                time.sleep(self.retry_delay)
            try:
                response = getattr(self.session, method)(url, timeout=self.timeout, headers=self._headers(), **kwargs)
            except (requests.Timeout, requests.ConnectionError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                continue
            except requests.RequestException as exc:
                raise UpstreamUnavailable(self.system, f"{method.upper()} {url}: {exc!r}") from exc
            if response.status_code in RETRY_STATUSES:
                problem = f"HTTP {response.status_code}"
                response.close()  # hand the connection back to the pool before retrying
                continue
            return response
        raise UpstreamUnavailable(self.system, f"{method.upper()} {url}: {problem} (after one retry)")

    def call(
        self,
        method: str,
        path: str,
        *,
        base_url: str | None = None,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        not_found: Any = _MISSING,
        identifier: str = "",
    ) -> Any:
        """Return the decoded JSON body; on 404 return ``not_found`` or raise PersonNotFound."""
        url = (base_url.rstrip("/") if base_url else self.base_url) + path
        kwargs: dict[str, Any] = {"params": dict(params) if params else None}
        if method == "post":
            kwargs["json"] = json
        response = self._send(method, url, **kwargs)
        if response.status_code == 404:
            if not_found is _MISSING:
                raise PersonNotFound(identifier)
            return not_found
        if response.status_code != 200:
            raise UpstreamUnavailable(self.system, f"{method.upper()} {url}: HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as exc:
            raise UpstreamUnavailable(self.system, f"{method.upper()} {url}: body is not JSON") from exc


def _segment(value: str) -> str:
    # Identifiers go into URL paths: never let one add path segments or a query.
    return quote(value, safe="")


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    return date.fromisoformat(value[:10])


def _parse_local_datetime(value: str) -> datetime:
    """NOMIS and OASys send UK local times without an offset; make them aware."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UK_TZ)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class _MappingError(Exception):
    pass


def _mapped[T](system: str, what: str, build: Callable[[], T]) -> T:
    """Turn a surprising upstream body into UpstreamUnavailable rather than a 500 page."""
    try:
        return build()
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, _MappingError) as exc:
        raise UpstreamUnavailable(system, f"unexpected {what} response: {exc!r}") from exc


# --- Case system (NDelius) ----------------------------------------------------------------------

_GENDER_IDENTITY_ALIASES: Final[dict[str, GenderIdentity]] = {
    "trans woman": "Transgender Female",
    "transgender woman": "Transgender Female",
    "trans female": "Transgender Female",
    "trans man": "Transgender Male",
    "transgender man": "Transgender Male",
    "trans male": "Transgender Male",
    "non binary": "Non-binary",
    "nonbinary": "Non-binary",
    "prefer not to say": "Prefer not to say",
    "not stated": "Prefer not to say",
}


_SEXES: Final[dict[str, Sex]] = {"male": "Male", "m": "Male", "female": "Female", "f": "Female"}


def _gender_identity(value: str | None) -> GenderIdentity | None:
    if not value:
        return None
    for known in GENDER_IDENTITIES:
        if value.casefold() == known.casefold():
            return known
    return _GENDER_IDENTITY_ALIASES.get(value.casefold().replace("-", " "))


def _index_offence_id(offences: list[JsonObject]) -> str | None:
    """NDelius marks the main offence of every event; the index offence is that of the latest event."""
    mains = [o for o in offences if o.get("main")]
    if not mains:
        return offences[0]["id"] if len(offences) == 1 else None
    latest = max(mains, key=lambda o: int(o.get("eventNumber") or 0))
    return latest["id"]


def parse_case_detail(body: JsonObject, fetched_at: datetime) -> Person:
    """Map ``GET /probation-cases/{crn}/details`` to a Person."""
    case = body["case"]
    profile = case.get("profile") or {}
    manager = case["manager"]
    team = manager["team"]
    staff = manager.get("staff") or {}
    staff_name = staff.get("name") or {}
    borough = team.get("borough") or {}
    provider = team.get("provider") or {}
    region = reference_data.region_for_probation_area(provider.get("code", ""))
    pdu = reference_data.pdus_by_code().get(borough.get("code", ""))
    if region is None and pdu is not None:
        region = pdu.region
    custody = case.get("custody") or {}
    institution = custody.get("institution") or {}
    offences = body.get("offences") or []
    index_id = _index_offence_id(offences)
    # Sex is counted as Male, Female or not known (the official statistics' categories); any
    # other recorded value is "not known" rather than a failure to show the person.
    gender = _SEXES.get((case.get("gender") or "").strip().casefold())
    return Person(
        crn=case["crn"],
        noms_number=case.get("nomsId") or None,
        pnc_number=case.get("pnc") or None,
        first_name=case["name"]["forename"],
        last_name=case["name"]["surname"],
        date_of_birth=date.fromisoformat(case["dateOfBirth"]),
        sex=gender,
        gender_identity=_gender_identity(profile.get("genderIdentity")),
        ethnicity=profile.get("ethnicity"),
        nationality=profile.get("nationality"),
        religion=profile.get("religion"),
        custody_status=custody.get("status") or ("In custody" if institution else "In the community"),
        prison_code=institution.get("nomisCode"),
        prison_name=institution.get("description"),
        offences=tuple(
            Offence(
                offence_id=o["id"],
                description=o["description"],
                main_category=o["mainCategoryDescription"],
                sub_category=o["subCategoryDescription"],
                offence_date=_parse_date(o.get("date")),
                conviction_date=_parse_date(o.get("convictionDate")),
                is_index=o["id"] == index_id,
            )
            for o in offences
        ),
        manager=OffenderManager(
            staff_code=staff.get("code", ""),
            name=" ".join(p for p in (staff_name.get("forename"), staff_name.get("surname")) if p),
            email=staff.get("email", ""),
            team_name=team["name"],
            pdu_code=pdu.delius_code if pdu else borough.get("code", ""),
            region_code=region.delius_code if region else "",
        ),
        is_restricted=bool(case.get("currentRestriction")),
        is_excluded=bool(case.get("currentExclusion")),
        fetched_at=fetched_at,
    )


def parse_access(body: JsonObject, crn: str) -> AccessDecision:
    """Map ``POST /users/access`` (``{"access": [{"crn", "userExcluded", "userRestricted", ...}]}``)."""
    for item in body["access"]:
        if item["crn"] != crn:
            continue
        if item.get("userExcluded"):
            return AccessDecision(crn, False, "excluded", item.get("exclusionMessage") or None)
        if item.get("userRestricted"):
            return AccessDecision(crn, False, "restricted", item.get("restrictionMessage") or None)
        return AccessDecision(crn, True)
    # Fail closed: an answer that does not mention the CRN must not grant access.
    raise _MappingError(f"no access entry for {crn}")


def parse_access_limits(body: JsonObject) -> dict[str, AccessLimits]:
    """Map ``POST /probation-cases/limited-access`` (``{"limitedAccess": [{"crn", "restrictedTo":
    [{"username"}], "excludedFrom": [{"username"}]}]}``); an empty ``restrictedTo`` means no
    restriction."""
    found: dict[str, AccessLimits] = {}
    for item in body["limitedAccess"]:
        crn = normalise_identifier(str(item["crn"]))
        restricted = frozenset(u["username"].strip().lower() for u in item.get("restrictedTo") or [])
        excluded = frozenset(u["username"].strip().lower() for u in item.get("excludedFrom") or [])
        if restricted or excluded:
            found[crn] = AccessLimits(crn, restricted or None, excluded)
    return found


# One request names at most this many CRNs (the context API's page size).
ACCESS_LIMITS_BATCH = 500


class HttpCaseSystem:
    def __init__(
        self,
        base_url: str,
        timeout: float = 4.0,
        session: SessionLike | None = None,
        token_provider: TokenProvider | None = None,
        *,
        retry_delay: float = 0.2,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._client = _Client(CASE_SYSTEM_NAME, base_url, timeout, session, token_provider, retry_delay)
        self._clock = clock

    def find_by_crn(self, crn: str) -> Person:
        crn = normalise_identifier(crn)
        if not is_crn(crn):
            raise PersonNotFound(crn)
        body = self._client.call("get", f"/probation-cases/{_segment(crn)}/details", identifier=crn)
        return _mapped(CASE_SYSTEM_NAME, "case details", lambda: parse_case_detail(body, self._clock()))

    def find_by_noms(self, noms: str) -> Person:
        noms = normalise_identifier(noms)
        if not is_noms_number(noms):
            raise PersonNotFound(noms)
        body = self._client.call("get", f"/probation-cases/{_segment(noms)}/crn", identifier=noms)
        crn = _mapped(CASE_SYSTEM_NAME, "identifier", lambda: str(body["crn"]))
        return self.find_by_crn(crn)

    def check_access(self, crn: str, username: str) -> AccessDecision:
        crn = normalise_identifier(crn)
        body = self._client.call(
            "post", "/users/access", params={"username": username.strip()}, json=[crn], identifier=crn
        )
        return _mapped(CASE_SYSTEM_NAME, "user access", lambda: parse_access(body, crn))

    def access_limits(self, crns: list[str]) -> dict[str, AccessLimits]:
        wanted = sorted({normalise_identifier(c) for c in crns if c})
        found: dict[str, AccessLimits] = {}
        for start in range(0, len(wanted), ACCESS_LIMITS_BATCH):
            batch = wanted[start : start + ACCESS_LIMITS_BATCH]
            body = self._client.call(
                "post", "/probation-cases/limited-access", json=batch, not_found={"limitedAccess": []}
            )
            found.update(_mapped(CASE_SYSTEM_NAME, "limited access", lambda body=body: parse_access_limits(body)))
        return found

    def search(self, text: str, limit: int = 20) -> list[Person]:
        """The context API has no name search: only an exact CRN or prison number is looked up."""
        query = normalise_identifier(text)
        if limit < 1 or not (is_crn(query) or is_noms_number(query)):
            return []
        try:
            return [self.find_by_crn(query) if is_crn(query) else self.find_by_noms(query)]
        except PersonNotFound:
            return []


# --- Risk system (OASys, tier, NDelius registrations) -------------------------------------------

_ROSH_LEVEL: Final[dict[str, RoshLevel]] = {
    "LOW": "Low",
    "MEDIUM": "Medium",
    "HIGH": "High",
    "VERY_HIGH": "Very high",
}
_ROSH_GROUP: Final[dict[str, str]] = {
    "children": "children",
    "public": "public",
    "known adult": "known_adult",
    "staff": "staff",
}
# NDelius register types the service knows by their own names; anything else keeps its description.
_REGISTRATION_FLAGS: Final[dict[str, str]] = {
    "registered sex offender": "Registered sex offender",
    "sex offender": "Registered sex offender",
    "sexual risk to children": "Sexual risk to children",
    "sexual risk to adults": "Sexual risk to adults",
    "arson": "Arson",
    "hate crime": "Hate crime",
    "domestic abuse perpetrator": "Domestic abuse perpetrator",
    "risk to self": "Risk to self",
    "risk to staff": "Risk to staff",
    "risk to known adult": "Risk to known adult",
    "child concerns": "Child concerns",
    "weapons": "Weapons",
    "street gangs": "Street gangs",
    "wheelchair user": "Wheelchair user",
}
# RoSH and MAPPA registrations duplicate what the summary already carries.
_IGNORED_REGISTRATION_CODES: Final = frozenset({"RLRH", "RMRH", "RHRH", "RVHR", "MAPP"})


def _flag(description: str) -> str:
    known = _REGISTRATION_FLAGS.get(description.strip().casefold())
    if known:
        return known
    for flag in KNOWN_FLAGS:
        if flag.casefold() == description.strip().casefold():
            return flag
    return description.strip()


def _yes_no(value: str | None) -> bool | None:
    return {"YES": True, "NO": False}.get((value or "").upper())


def _concern(body: JsonObject | None) -> Concern:
    body = body or {}
    return Concern(_yes_no(body.get("current")), _yes_no(body.get("previous")))


def parse_rosh(summary: JsonObject | None) -> tuple[RoshLevels, date | None, RiskToSelf | None]:
    """Map ``GET /risks/{crn}/summary`` (assess-risks-and-needs shape); None means no assessment."""
    if not summary:
        return RoshLevels.unknown(), None, None
    section = summary.get("summary") or {}
    groups: dict[str, RoshLevel | None] = dict.fromkeys(_ROSH_GROUP.values())
    for level, who in (section.get("riskInCommunity") or {}).items():
        for group in who or ():
            key = _ROSH_GROUP.get(group.casefold())
            if key is not None:
                # OASys may send levels we do not grade (e.g. NOT_KNOWN): treat them as unknown.
                groups[key] = _ROSH_LEVEL.get(level)
    rosh = RoshLevels.from_groups(groups["children"], groups["public"], groups["known_adult"], groups["staff"])
    if overall := _ROSH_LEVEL.get(section.get("overallRiskLevel") or ""):
        rosh = RoshLevels(rosh.children, rosh.public, rosh.known_adult, rosh.staff, overall)
    risk_to_self = None
    if (answers := summary.get("riskToSelf")) is not None:
        risk_to_self = RiskToSelf(
            suicide=_concern(answers.get("suicide")),
            self_harm=_concern(answers.get("selfHarm")),
            custody=_concern(answers.get("custody")),
            vulnerability=_concern(answers.get("vulnerability")),
        )
    return rosh, _parse_date(summary.get("assessedOn")), risk_to_self


def parse_risk_management_plan(body: JsonObject | None) -> RiskManagementPlan | None:
    """Map ``GET /risks/{crn}/risk-management-plan`` (approved-premises-and-oasys shape)."""
    if not body or not body.get("riskManagementPlan"):
        return None
    plan = body["riskManagementPlan"]
    return RiskManagementPlan(
        further_considerations=plan.get("furtherConsiderations"),
        additional_comments=plan.get("additionalComments"),
        contingency_plans=plan.get("contingencyPlans"),
        victim_safety_planning=plan.get("victimSafetyPlanning"),
        interventions_and_treatment=plan.get("interventionsAndTreatment"),
        monitoring_and_control=plan.get("monitoringAndControl"),
        supervision=plan.get("supervision"),
    )


def parse_mappa_and_flags(case_detail: JsonObject) -> tuple[Mappa | None, tuple[str, ...]]:
    detail = case_detail.get("mappaDetail")
    mappa = None
    if detail:
        mappa = Mappa(_mappa_number(detail.get("category")), _mappa_number(detail.get("level")))
    flags = tuple(
        dict.fromkeys(
            _flag(r["description"])
            for r in case_detail.get("registrations") or []
            if r.get("code") not in _IGNORED_REGISTRATION_CODES
        )
    )
    return mappa, flags


def _mappa_number(value: Any) -> Any:
    # NDelius uses 0 for "not yet decided"; the ports use None for that.
    return value if value in (1, 2, 3) else None


class HttpRiskSystem:
    def __init__(
        self,
        base_url: str,
        timeout: float = 4.0,
        session: SessionLike | None = None,
        token_provider: TokenProvider | None = None,
        *,
        case_base_url: str | None = None,
        tier_base_url: str | None = None,
        retry_delay: float = 0.2,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._client = _Client(RISK_SYSTEM_NAME, base_url, timeout, session, token_provider, retry_delay)
        # MAPPA and flags come from NDelius: an outage there is reported as the case system's.
        self._case_client = _Client(
            CASE_SYSTEM_NAME, case_base_url or base_url, timeout, self._client.session, token_provider, retry_delay
        )
        self._tier_base_url = tier_base_url
        self._clock = clock

    def get_risk(self, crn: str) -> RiskSummary:
        crn = normalise_identifier(crn)
        if not is_crn(crn):
            raise PersonNotFound(crn)
        segment = _segment(crn)
        case_detail = self._case_client.call("get", f"/probation-cases/{segment}/details", identifier=crn)
        summary = self._client.call("get", f"/risks/{segment}/summary", not_found=None)
        plan = self._client.call("get", f"/risks/{segment}/risk-management-plan", not_found=None)
        tier = self._client.call("get", f"/crn/{segment}/tier", base_url=self._tier_base_url, not_found=None)

        def build() -> RiskSummary:
            mappa, flags = parse_mappa_and_flags(case_detail)
            rosh, assessed_on, risk_to_self = parse_rosh(summary)
            return RiskSummary(
                crn=crn,
                rosh=rosh,
                mappa=mappa,
                flags=flags,
                tier=(tier or {}).get("tierScore"),
                risk_management_plan=parse_risk_management_plan(plan),
                assessment_completed_on=assessed_on,
                risk_to_self=risk_to_self,
                fetched_at=self._clock(),
            )

        return _mapped(RISK_SYSTEM_NAME, "risk", build)


# --- Prison system (Prison API and prisoner alerts API) -----------------------------------------

_FINDINGS: Final[dict[str, str]] = {
    "PROVED": "Proved",
    "NOT_PROVEN": "Not proved",
    "D": "Dismissed",
    "DISMISSED": "Dismissed",
    "NOT_PROCEED": "Not proceeded with",
    "REF_POLICE": "Referred to police",
}


def release_type_from_inmate_detail(detail: JsonObject) -> str | None:
    """Work out the CAS release type from NOMIS legal status and sentence dates.

    NOMIS has no single "release type"; this follows how release dates are calculated: recalls from
    the imprisonment status, then whichever actual date (HDC, parole, PSS start) equals the release
    date, and ECSL when release comes before the conditional release date.
    """
    legal_status = (detail.get("legalStatus") or "").upper()
    status = (detail.get("imprisonmentStatus") or "").upper()
    sentence = detail.get("sentenceDetail") or {}
    release = sentence.get("releaseDate")
    if legal_status == "REMAND":
        return "Remand / bail"
    if legal_status == "RECALL" or status.startswith(("LR", "FTR", "14FTR", "28FTR")):
        return "Fixed-term recall" if "FTR" in status else "Standard recall"
    if not release:
        return None
    if sentence.get("homeDetentionCurfewActualDate") == release:
        return "HDC"
    if sentence.get("actualParoleDate") == release:
        return "Parole"
    if sentence.get("topupSupervisionStartDate") == release:
        return "PSS"
    crd = sentence.get("conditionalReleaseDate")
    if crd and release < crd:
        return "ECSL"
    return "CRD licence"


def parse_prison_record(
    detail: JsonObject,
    adjudications: JsonObject | None,
    alerts: JsonObject | None,
    fetched_at: datetime,
) -> PrisonRecord:
    if detail.get("agencyId") == "OUT" or detail.get("activeFlag") is False:
        prison_code = detail.get("latestLocationId")
        prison_name = detail.get("latestLocation")
    else:
        prison_code = detail.get("agencyId")
        prison_name = (detail.get("assignedLivingUnit") or {}).get("agencyName")
    agencies = {a["agencyId"]: a["description"] for a in (adjudications or {}).get("agencies") or []}
    parsed_adjudications = []
    for item in (adjudications or {}).get("results") or []:
        for charge in item.get("adjudicationCharges") or [{}]:
            finding_code = charge.get("findingCode")
            parsed_adjudications.append(
                Adjudication(
                    adjudication_id=str(item["adjudicationNumber"]),
                    reported_at=_parse_local_datetime(item["reportTime"]),
                    establishment=agencies.get(item.get("agencyId", ""), item.get("agencyId", "")),
                    offence_description=charge.get("offenceDescription", ""),
                    hearing_held=finding_code is not None,
                    finding=_FINDINGS.get(finding_code, finding_code) if finding_code else "Not yet heard",
                )
            )
    acct = [
        AcctAlert(
            alert_id=str(a["alertUuid"]),
            comment=a.get("description") or "",
            date_created=date.fromisoformat(a["activeFrom"]),
            date_expires=_parse_date(a.get("activeTo")),
        )
        for a in (alerts or {}).get("content") or []
        if (a.get("alertCode") or {}).get("code") == "HA"
    ]
    return PrisonRecord(
        noms_number=detail["offenderNo"],
        prison_code=prison_code,
        prison_name=prison_name,
        release_date=_parse_date((detail.get("sentenceDetail") or {}).get("releaseDate")),
        release_type=release_type_from_inmate_detail(detail),
        adjudications=tuple(sorted(parsed_adjudications, key=lambda a: a.reported_at, reverse=True)),
        acct_alerts=tuple(sorted(acct, key=lambda a: a.date_created, reverse=True)),
        fetched_at=fetched_at,
    )


class HttpPrisonSystem:
    def __init__(
        self,
        base_url: str,
        timeout: float = 4.0,
        session: SessionLike | None = None,
        token_provider: TokenProvider | None = None,
        *,
        alerts_base_url: str | None = None,
        retry_delay: float = 0.2,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._client = _Client(PRISON_SYSTEM_NAME, base_url, timeout, session, token_provider, retry_delay)
        self._alerts_base_url = alerts_base_url
        self._clock = clock

    def get_prison_record(self, noms: str | None) -> PrisonRecord:
        if noms is None or not noms.strip():
            raise NoPrisonNumber()
        noms = normalise_identifier(noms)
        if not is_noms_number(noms):
            raise PersonNotFound(noms)
        segment = _segment(noms)
        detail = self._client.call("get", f"/api/offenders/{segment}", identifier=noms)
        adjudications = self._client.call("get", f"/api/offenders/{segment}/adjudications", not_found=None)
        alerts = self._client.call(
            "get",
            f"/prisoners/{segment}/alerts",
            base_url=self._alerts_base_url,
            params={"alertCode": "HA"},
            not_found=None,
        )
        return _mapped(
            PRISON_SYSTEM_NAME,
            "prison",
            lambda: parse_prison_record(detail, adjudications, alerts, self._clock()),
        )
