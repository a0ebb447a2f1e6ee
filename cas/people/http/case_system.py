"""The probation case system over HTTP: approved-premises-and-delius (``/probation-cases/{crn}/details``,
``/users/access``, ``/probation-cases/limited-access``), and the mappings from its JSON to the ports'
``Person``, ``AccessDecision`` and ``AccessLimits``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Final

from .. import reference_data
from ..ports import (
    CASE_SYSTEM_NAME,
    GENDER_IDENTITIES,
    AccessDecision,
    AccessLimits,
    GenderIdentity,
    Offence,
    OffenderManager,
    Person,
    PersonNotFound,
    Sex,
    is_crn,
    is_noms_number,
    normalise_identifier,
)
from .client import (
    Client,
    JsonObject,
    MappingError,
    SessionLike,
    TokenProvider,
    mapped,
    parse_date,
    path_segment,
    utcnow,
)

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
                offence_date=parse_date(o.get("date")),
                conviction_date=parse_date(o.get("convictionDate")),
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
    raise MappingError(f"no access entry for {crn}")


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
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._client = Client(CASE_SYSTEM_NAME, base_url, timeout, session, token_provider, retry_delay)
        self._clock = clock

    def find_by_crn(self, crn: str) -> Person:
        crn = normalise_identifier(crn)
        if not is_crn(crn):
            raise PersonNotFound(crn)
        body = self._client.call("get", f"/probation-cases/{path_segment(crn)}/details", identifier=crn)
        return mapped(CASE_SYSTEM_NAME, "case details", lambda: parse_case_detail(body, self._clock()))

    def find_by_noms(self, noms: str) -> Person:
        noms = normalise_identifier(noms)
        if not is_noms_number(noms):
            raise PersonNotFound(noms)
        body = self._client.call("get", f"/probation-cases/{path_segment(noms)}/crn", identifier=noms)
        crn = mapped(CASE_SYSTEM_NAME, "identifier", lambda: str(body["crn"]))
        return self.find_by_crn(crn)

    def check_access(self, crn: str, username: str) -> AccessDecision:
        crn = normalise_identifier(crn)
        body = self._client.call(
            "post", "/users/access", params={"username": username.strip()}, json=[crn], identifier=crn
        )
        return mapped(CASE_SYSTEM_NAME, "user access", lambda: parse_access(body, crn))

    def access_limits(self, crns: list[str]) -> dict[str, AccessLimits]:
        wanted = sorted({normalise_identifier(c) for c in crns if c})
        found: dict[str, AccessLimits] = {}
        for start in range(0, len(wanted), ACCESS_LIMITS_BATCH):
            batch = wanted[start : start + ACCESS_LIMITS_BATCH]
            body = self._client.call(
                "post", "/probation-cases/limited-access", json=batch, not_found={"limitedAccess": []}
            )
            found.update(mapped(CASE_SYSTEM_NAME, "limited access", lambda body=body: parse_access_limits(body)))
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
