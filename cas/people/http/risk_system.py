"""The risk system over HTTP: the OASys RoSH summary and risk management plan, the HMPPS tier
service, and MAPPA and registrations (flags) from the NDelius case details, as the MoJ's CAS API
does; and the mappings from their JSON to the ports' ``RiskSummary``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Final

from ..ports import (
    CASE_SYSTEM_NAME,
    KNOWN_FLAGS,
    RISK_SYSTEM_NAME,
    Concern,
    Mappa,
    PersonNotFound,
    RiskManagementPlan,
    RiskSummary,
    RiskToSelf,
    RoshLevel,
    RoshLevels,
    is_crn,
    normalise_identifier,
)
from .client import Client, JsonObject, SessionLike, TokenProvider, mapped, parse_date, path_segment, utcnow

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
    return rosh, parse_date(summary.get("assessedOn")), risk_to_self


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
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._client = Client(RISK_SYSTEM_NAME, base_url, timeout, session, token_provider, retry_delay)
        # MAPPA and flags come from NDelius: an outage there is reported as the case system's.
        self._case_client = Client(
            CASE_SYSTEM_NAME, case_base_url or base_url, timeout, self._client.session, token_provider, retry_delay
        )
        self._tier_base_url = tier_base_url
        self._clock = clock

    def get_risk(self, crn: str) -> RiskSummary:
        crn = normalise_identifier(crn)
        if not is_crn(crn):
            raise PersonNotFound(crn)
        segment = path_segment(crn)
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

        return mapped(RISK_SYSTEM_NAME, "risk", build)
