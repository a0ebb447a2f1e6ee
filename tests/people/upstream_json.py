"""Turn synthetic people into upstream JSON, the inverse of the HTTP adapters' mappings (``cas.people.http``).

Used to check the HTTP mappings against every synthetic person (so every release type, flag and
gender identity goes through them) and to (re)write the recordings in ``cas/people/recorded``.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from cas.people import reference_data, replay
from cas.people.http.client import UK_TZ
from cas.people.ports import Concern, Person, PrisonRecord, RiskSummary
from cas.people.synthetic.case_system import EXCLUSION_MESSAGE, RESTRICTION_MESSAGE, SyntheticCaseSystem
from cas.people.synthetic.dataset import SYNTHETIC_ANCHOR, dataset_for
from cas.people.synthetic.demo_people import (
    CASE_SYSTEM_TIMEOUT_CRN,
    PRISON_SYSTEM_FAILURE_CRN,
    RISK_SYSTEM_TIMEOUT_CRN,
    UNKNOWN_CRN,
)
from cas.people.synthetic.tables import PRISONS_BY_REGION, WOMENS_PRISONS

_LEVEL_CODES = {"Low": "LOW", "Medium": "MEDIUM", "High": "HIGH", "Very high": "VERY_HIGH"}
_GROUP_NAMES = {"children": "Children", "public": "Public", "known_adult": "Known Adult", "staff": "Staff"}
_FINDING_CODES = {
    "Proved": "PROVED",
    "Not proved": "NOT_PROVEN",
    "Dismissed": "DISMISSED",
    "Not proceeded with": "NOT_PROCEED",
    "Referred to police": "REF_POLICE",
}
_REGISTRATION_CODES = {
    "Registered sex offender": "RSOR",
    "Sexual risk to children": "RCSX",
    "Sexual risk to adults": "RASX",
    "Arson": "RARN",
    "Hate crime": "RHCR",
    "Domestic abuse perpetrator": "ADVP",
    "Risk to self": "ALSH",
    "Risk to staff": "RSTF",
    "Risk to known adult": "RKAD",
    "Child concerns": "RCCO",
    "Weapons": "WEAP",
    "Street gangs": "STRG",
    "Wheelchair user": "DWHL",
}
_PRISON_CODES = {name: code for prisons in (*PRISONS_BY_REGION.values(), WOMENS_PRISONS) for code, name in prisons}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def case_detail(person: Person, risk: RiskSummary) -> dict[str, Any]:
    """``GET /probation-cases/{crn}/details``; MAPPA and registrations come from ``risk``."""
    pdu = reference_data.pdus_by_code()[person.manager.pdu_code]
    region = reference_data.regions_by_code()[person.manager.region_code]
    staff_forename, _, staff_surname = person.manager.name.partition(" ")
    custody: dict[str, Any] = {"status": person.custody_status}
    if person.prison_code:
        custody["institution"] = {"nomisCode": person.prison_code, "description": person.prison_name}
    return {
        "case": {
            "crn": person.crn,
            "nomsId": person.noms_number,
            "pnc": person.pnc_number,
            "name": {"forename": person.first_name, "surname": person.last_name, "middleNames": []},
            "dateOfBirth": person.date_of_birth.isoformat(),
            "gender": person.sex,
            "profile": {
                "ethnicity": person.ethnicity,
                "genderIdentity": person.gender_identity,
                "selfDescribedGender": None,
                "nationality": person.nationality,
                "religion": person.religion,
            },
            "manager": {
                "staff": {
                    "code": person.manager.staff_code,
                    "name": {"forename": staff_forename, "surname": staff_surname},
                    "email": person.manager.email,
                },
                "team": {
                    "code": f"{pdu.delius_code[:6]}T1",
                    "name": person.manager.team_name,
                    "ldu": {"code": pdu.delius_code, "name": pdu.name},
                    "borough": {"code": pdu.delius_code, "description": pdu.name},
                    "provider": {"code": region.delius_code, "description": region.name},
                    "startDate": "2024-04-01",
                    "endDate": None,
                },
            },
            "currentExclusion": person.is_excluded,
            "currentRestriction": person.is_restricted,
            "custody": custody,
        },
        "offences": [
            {
                "id": offence.offence_id,
                "description": offence.description,
                "mainCategoryDescription": offence.main_category,
                "subCategoryDescription": offence.sub_category,
                "date": _iso(offence.offence_date),
                "convictionDate": _iso(offence.conviction_date),
                "main": offence.is_index,
                "eventNumber": "1",
                "eventId": 2500000000 + int(person.crn[1:]),
            }
            for offence in person.offences
        ],
        "registrations": [
            {"code": _REGISTRATION_CODES.get(flag, "OTHR"), "description": flag, "startDate": "2025-01-06"}
            for flag in risk.flags
        ],
        "mappaDetail": (
            {
                "level": risk.mappa.level or 0,
                "levelDescription": f"MAPPA Level {risk.mappa.level}",
                "category": risk.mappa.category or 0,
                "categoryDescription": f"MAPPA Cat {risk.mappa.category}",
                "startDate": "2025-01-06",
                "lastUpdated": "2025-01-06T10:15:00+00:00",
            }
            if risk.mappa
            else None
        ),
    }


def user_access(crn: str, *, excluded: bool, restricted: bool) -> dict[str, Any]:
    return {
        "access": [
            {
                "crn": crn,
                "userExcluded": excluded,
                "userRestricted": restricted,
                "exclusionMessage": EXCLUSION_MESSAGE if excluded else None,
                "restrictionMessage": RESTRICTION_MESSAGE if restricted else None,
            }
        ]
    }


def _concern(concern: Concern) -> dict[str, Any]:
    def answer(value: bool | None) -> str:
        return {True: "YES", False: "NO", None: "DK"}[value]

    return {
        "risk": answer(concern.current or concern.previous),
        "current": answer(concern.current),
        "previous": answer(concern.previous),
        "currentConcernsText": "Concerns noted in the OASys R8 section." if concern.current else None,
        "previousConcernsText": None,
    }


def risk_summary(risk: RiskSummary) -> dict[str, Any] | None:
    """``GET /risks/{crn}/summary``; None when there is no OASys assessment (404)."""
    if risk.assessment_completed_on is None:
        return None
    in_community: dict[str, list[str]] = {}
    for group, name in _GROUP_NAMES.items():
        level = getattr(risk.rosh, group)
        if level is not None:
            in_community.setdefault(_LEVEL_CODES[level], []).append(name)
    body: dict[str, Any] = {
        "assessedOn": f"{risk.assessment_completed_on.isoformat()}T10:30:00",
        "summary": {
            "whoIsAtRisk": "Members of the public and known adults.",
            "natureOfRisk": "Physical and psychological harm.",
            "riskImminence": "Risk is not imminent while accommodation is stable.",
            "riskInCommunity": in_community,
            "riskInCustody": {},
            "overallRiskLevel": _LEVEL_CODES[risk.rosh.overall] if risk.rosh.overall else None,
        },
    }
    if risk.risk_to_self is not None:
        body["riskToSelf"] = {
            "suicide": _concern(risk.risk_to_self.suicide),
            "selfHarm": _concern(risk.risk_to_self.self_harm),
            "custody": _concern(risk.risk_to_self.custody),
            "hostelSetting": _concern(risk.risk_to_self.custody),
            "vulnerability": _concern(risk.risk_to_self.vulnerability),
        }
    return body


def risk_management_plan(risk: RiskSummary) -> dict[str, Any] | None:
    plan = risk.risk_management_plan
    if plan is None or risk.assessment_completed_on is None:
        return None
    completed = f"{risk.assessment_completed_on.isoformat()}T10:30:00"
    return {
        "assessmentId": 9_000_000 + int(risk.crn[1:]),
        "assessmentType": "LAYER3",
        "dateCompleted": completed,
        "assessorSignedDate": completed,
        "initiationDate": completed,
        "assessmentStatus": "COMPLETE",
        "superStatus": "COMPLETE",
        "limitedAccessOffender": False,
        "riskManagementPlan": {
            "assessmentId": 9_000_000 + int(risk.crn[1:]),
            "dateCompleted": completed,
            "furtherConsiderations": plan.further_considerations,
            "additionalComments": plan.additional_comments,
            "contingencyPlans": plan.contingency_plans,
            "victimSafetyPlanning": plan.victim_safety_planning,
            "interventionsAndTreatment": plan.interventions_and_treatment,
            "monitoringAndControl": plan.monitoring_and_control,
            "supervision": plan.supervision,
            "keyInformationAboutCurrentSituation": None,
        },
    }


def tier(risk: RiskSummary) -> dict[str, Any] | None:
    if risk.tier is None:
        return None
    return {
        "tierScore": risk.tier,
        "calculationId": str(uuid.UUID(int=int(risk.crn[1:]), version=4)),
        "calculationDate": "2026-10-01T09:00:00",
    }


def _sentence_detail(record: PrisonRecord) -> tuple[str, str, dict[str, Any]]:
    """(legalStatus, imprisonmentStatus, sentenceDetail) that the mapping reads back as the same type."""
    release = record.release_date
    kind = record.release_type
    if kind == "Remand / bail":
        return "REMAND", "RX", {"bookingId": 1}
    if release is None:
        return "SENTENCED", "SENT03", {"bookingId": 1}
    r = release.isoformat()
    after = (release + timedelta(days=365)).isoformat()
    detail: dict[str, Any] = {"bookingId": 1, "releaseDate": r, "sentenceStartDate": "2024-05-01"}
    match kind:
        case "Fixed-term recall":
            return "RECALL", "FTR_ORA", {**detail, "postRecallReleaseDate": r, "nonDtoReleaseDateType": "PRRD"}
        case "Standard recall":
            return "RECALL", "LR_ORA", {**detail, "postRecallReleaseDate": r, "nonDtoReleaseDateType": "PRRD"}
        case "HDC":
            crd = (release + timedelta(days=90)).isoformat()
            return (
                "SENTENCED",
                "SENT03",
                {
                    **detail,
                    "homeDetentionCurfewEligibilityDate": r,
                    "homeDetentionCurfewActualDate": r,
                    "conditionalReleaseDate": crd,
                    "nonDtoReleaseDateType": "CRD",
                },
            )
        case "Parole":
            return (
                "SENTENCED",
                "SENT03",
                {
                    **detail,
                    "paroleEligibilityDate": (release - timedelta(days=30)).isoformat(),
                    "actualParoleDate": r,
                    "nonDtoReleaseDateType": "ARD",
                },
            )
        case "PSS":
            return (
                "SENTENCED",
                "SENT03",
                {
                    **detail,
                    "sentenceExpiryDate": r,
                    "topupSupervisionStartDate": r,
                    "topupSupervisionExpiryDate": after,
                },
            )
        case "ECSL":
            crd = (release + timedelta(days=18)).isoformat()
            return "SENTENCED", "SENT03", {**detail, "conditionalReleaseDate": crd, "nonDtoReleaseDateType": "CRD"}
        case _:
            return (
                "SENTENCED",
                "SENT03",
                {
                    **detail,
                    "conditionalReleaseDate": r,
                    "licenceExpiryDate": after,
                    "nonDtoReleaseDateType": "CRD",
                },
            )


def inmate_detail(person: Person, record: PrisonRecord) -> dict[str, Any]:
    """``GET /api/offenders/{noms}`` (Prison API InmateDetail)."""
    legal_status, imprisonment_status, sentence = _sentence_detail(record)
    in_prison = person.prison_code is not None
    body: dict[str, Any] = {
        "offenderNo": record.noms_number,
        "bookingId": 1_200_000 + int(person.crn[1:]) % 100_000,
        "bookingNo": f"{int(person.crn[1:]) % 100_000:05d}A",
        "offenderId": 3_000_000 + int(person.crn[1:]) % 100_000,
        "firstName": person.first_name.upper(),
        "lastName": person.last_name.upper(),
        "dateOfBirth": person.date_of_birth.isoformat(),
        "activeFlag": in_prison,
        "agencyId": record.prison_code if in_prison else "OUT",
        "latestLocationId": record.prison_code,
        "latestLocation": record.prison_name,
        "status": "ACTIVE IN" if in_prison else "INACTIVE OUT",
        "legalStatus": legal_status,
        "imprisonmentStatus": imprisonment_status,
        "recall": legal_status == "RECALL",
        "sentenceDetail": sentence,
    }
    if in_prison:
        body["assignedLivingUnit"] = {
            "agencyId": record.prison_code,
            "locationId": 100_000 + int(person.crn[1:]) % 1000,
            "description": "A-2-014",
            "agencyName": record.prison_name,
        }
    return body


def adjudications(record: PrisonRecord) -> dict[str, Any]:
    """``GET /api/offenders/{noms}/adjudications`` (Prison API AdjudicationSearchResponse)."""
    agencies: dict[str, str] = {}
    results = []
    for adjudication in record.adjudications:
        code = _PRISON_CODES.get(adjudication.establishment, adjudication.establishment[:3].upper())
        agencies[code] = adjudication.establishment
        results.append(
            {
                "adjudicationNumber": int(adjudication.adjudication_id),
                "reportTime": adjudication.reported_at.astimezone(UK_TZ).replace(tzinfo=None).isoformat(),
                "agencyIncidentId": int(adjudication.adjudication_id) + 7,
                "agencyId": code,
                "partySeq": 1,
                "adjudicationCharges": [
                    {
                        "oicChargeId": f"{adjudication.adjudication_id}/1",
                        "offenceCode": "51:12",
                        "offenceDescription": adjudication.offence_description,
                        "findingCode": _FINDING_CODES.get(adjudication.finding) if adjudication.hearing_held else None,
                    }
                ],
            }
        )
    return {
        "results": results,
        "offences": [],
        "agencies": [{"agencyId": code, "description": name} for code, name in agencies.items()],
    }


def alerts(record: PrisonRecord) -> dict[str, Any]:
    """``GET /prisoners/{noms}/alerts?alertCode=HA`` (prisoner alerts API, paged)."""
    content = [
        {
            "alertUuid": alert.alert_id,
            "prisonNumber": record.noms_number,
            "alertCode": {
                "alertTypeCode": "H",
                "alertTypeDescription": "Self Harm",
                "code": "HA",
                "description": "ACCT Open (HMPS)",
            },
            "description": alert.comment,
            "authorisedBy": None,
            "activeFrom": alert.date_created.isoformat(),
            "activeTo": _iso(alert.date_expires),
            "isActive": alert.date_expires is None,
            "createdAt": f"{alert.date_created.isoformat()}T08:00:00",
            "createdBy": "SYNTHETIC_USER",
        }
        for alert in record.acct_alerts
    ]
    return {"content": content, "totalElements": len(content), "totalPages": 1, "number": 0, "size": 100}


def _ok(method: str, path: str, body: Any, **request: Any) -> dict[str, Any]:
    return {"request": {"method": method, "path": path, **request}, "response": {"status": 200, "body": body}}


def interactions_for(crn: str, *, anchor: date = SYNTHETIC_ANCHOR) -> dict[str, list[dict[str, Any]]]:
    """Every upstream interaction for one synthetic person, grouped by recording file name."""
    case = SyntheticCaseSystem(anchor=anchor)
    entry = dataset_for(case.anchor).entries[crn]
    person, risk, prison = entry.person, entry.risk, entry.prison
    files: dict[str, list[dict[str, Any]]] = {name: [] for name in RECORDING_FILES}
    files["delius_case_details"].append(_ok("GET", f"/probation-cases/{crn}/details", case_detail(person, risk)))
    if person.noms_number:
        files["delius_noms_to_crn"].append(
            _ok("GET", f"/probation-cases/{person.noms_number}/crn", {"crn": crn, "nomsId": person.noms_number})
        )
    files["delius_user_access"].append(
        _ok(
            "POST",
            "/users/access",
            user_access(crn, excluded=False, restricted=entry.restricted_to is not None),
            json=[crn],
        )
    )
    for user in sorted(entry.restricted_to or ()):
        files["delius_user_access"].append(
            _ok(
                "POST",
                "/users/access",
                user_access(crn, excluded=False, restricted=False),
                query={"username": user},
                json=[crn],
            )
        )
    for user in sorted(entry.excluded_users):
        files["delius_user_access"].append(
            _ok(
                "POST",
                "/users/access",
                user_access(crn, excluded=True, restricted=entry.restricted_to is not None),
                query={"username": user},
                json=[crn],
            )
        )
    for name, body, path in (
        ("risk_summary", risk_summary(risk), f"/risks/{crn}/summary"),
        ("risk_management_plan", risk_management_plan(risk), f"/risks/{crn}/risk-management-plan"),
        ("tier", tier(risk), f"/crn/{crn}/tier"),
    ):
        if body is not None:
            files[name].append(_ok("GET", path, body))
    if person.noms_number and prison is not None:
        noms = person.noms_number
        files["prison_offender"].append(_ok("GET", f"/api/offenders/{noms}", inmate_detail(person, prison)))
        files["prison_adjudications"].append(_ok("GET", f"/api/offenders/{noms}/adjudications", adjudications(prison)))
        files["prison_alerts"].append(
            _ok("GET", f"/prisoners/{noms}/alerts", alerts(prison), query={"alertCode": "HA"})
        )
    return files


RECORDING_FILES = {
    "delius_case_details": "approved-premises-and-delius GET /probation-cases/{crn}/details",
    "delius_noms_to_crn": "approved-premises-and-delius GET /probation-cases/{nomsId}/crn",
    "delius_user_access": "approved-premises-and-delius POST /users/access?username={username} (body: CRNs)",
    "risk_summary": "risk GET /risks/{crn}/summary (assess-risks-and-needs RoSH summary and risk to self)",
    "risk_management_plan": "risk GET /risks/{crn}/risk-management-plan (approved-premises-and-oasys RM28-RM35)",
    "tier": "hmpps-tier GET /crn/{crn}/tier",
    "prison_offender": "prison-api GET /api/offenders/{noms}",
    "prison_adjudications": "prison-api GET /api/offenders/{noms}/adjudications",
    "prison_alerts": "alerts-api GET /prisoners/{noms}/alerts?alertCode=HA",
}


# --- Writing the recordings -------------------------------------------------------------------

RECORDED_CRNS = (
    "X100001",  # typical
    "X100002",  # woman
    "X100004",  # registered sex offender, MAPPA
    "X100008",  # restricted (LAO)
    "X100009",  # excluded user
    "X100010",  # no prison number
    "X100012",  # no OASys assessment: risk endpoints answer 404
    "X100015",  # risk to self, ACCT alerts
    "X100017",  # released, on licence
    "X100018",  # fixed-term recall with adjudications
    RISK_SYSTEM_TIMEOUT_CRN,
    PRISON_SYSTEM_FAILURE_CRN,
)


def _not_found(method: str, path: str, message: str) -> dict[str, Any]:
    return {
        "request": {"method": method, "path": path},
        "response": {"status": 404, "body": {"status": 404, "userMessage": message, "developerMessage": message}},
    }


def build_recordings() -> dict[str, list[dict[str, Any]]]:
    files: dict[str, list[dict[str, Any]]] = {name: [] for name in RECORDING_FILES}
    for crn in RECORDED_CRNS:
        for name, interactions in interactions_for(crn).items():
            files[name] += interactions

    # Outages, as recorded bodies so the demo CRNs fail the same way with either adapter.
    risk_timeout = RISK_SYSTEM_TIMEOUT_CRN
    files["risk_summary"] = [
        i for i in files["risk_summary"] if i["request"]["path"] != f"/risks/{risk_timeout}/summary"
    ] + [{"request": {"method": "GET", "path": f"/risks/{risk_timeout}/summary"}, "response": {"timeout": True}}]
    prison_failure_noms = SyntheticCaseSystem().find_by_crn(PRISON_SYSTEM_FAILURE_CRN).noms_number
    files["prison_offender"] = [
        i for i in files["prison_offender"] if i["request"]["path"] != f"/api/offenders/{prison_failure_noms}"
    ] + [
        {
            "request": {"method": "GET", "path": f"/api/offenders/{prison_failure_noms}"},
            "response": {"status": 500, "body": {"status": 500, "userMessage": "Internal Server Error"}},
        }
    ]
    case_timeout = CASE_SYSTEM_TIMEOUT_CRN
    files["delius_case_details"].append(
        {
            "request": {"method": "GET", "path": f"/probation-cases/{case_timeout}/details"},
            "response": {"timeout": True},
        }
    )
    files["delius_user_access"].append(
        {"request": {"method": "POST", "path": "/users/access", "json": [case_timeout]}, "response": {"timeout": True}}
    )

    unknown = UNKNOWN_CRN
    files["delius_case_details"].append(
        _not_found("GET", f"/probation-cases/{unknown}/details", f"No person with a CRN of '{unknown}' was found")
    )
    files["delius_noms_to_crn"].append(
        _not_found("GET", "/probation-cases/Z9999ZZ/crn", "No person with a NOMS number of 'Z9999ZZ' was found")
    )
    # NDelius answers "no limitation" for CRNs it does not know.
    files["delius_user_access"].append(
        _ok("POST", "/users/access", user_access(unknown, excluded=False, restricted=False), json=[unknown])
    )
    files["prison_offender"].append(
        _not_found("GET", "/api/offenders/Z9999ZZ", "Resource with id [Z9999ZZ] not found.")
    )
    return files


def write_recordings() -> None:
    import json

    directory = replay.RECORDED_DIR
    directory.mkdir(exist_ok=True)
    for name, interactions in build_recordings().items():
        document = {"endpoint": RECORDING_FILES[name], "interactions": interactions}
        (directory / f"{name}.json").write_text(
            json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    # Regenerate cas/people/recorded/*.json after changing a recorded demo person:
    #   python -m tests.people.upstream_json
    write_recordings()
