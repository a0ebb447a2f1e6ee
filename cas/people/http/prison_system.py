"""The prison system over HTTP: the Prison API (``/api/offenders/{noms}`` and adjudications) and the
prisoner alerts API (ACCT alerts, code ``HA``), and the mappings from their JSON to the ports'
``PrisonRecord`` (with the release type worked out from NOMIS sentence dates).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Final

from ..ports import (
    PRISON_SYSTEM_NAME,
    AcctAlert,
    Adjudication,
    NoPrisonNumber,
    PersonNotFound,
    PrisonRecord,
    is_noms_number,
    normalise_identifier,
)
from .client import (
    Client,
    JsonObject,
    SessionLike,
    TokenProvider,
    mapped,
    parse_date,
    parse_local_datetime,
    path_segment,
    utcnow,
)

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
                    reported_at=parse_local_datetime(item["reportTime"]),
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
            date_expires=parse_date(a.get("activeTo")),
        )
        for a in (alerts or {}).get("content") or []
        if (a.get("alertCode") or {}).get("code") == "HA"
    ]
    return PrisonRecord(
        noms_number=detail["offenderNo"],
        prison_code=prison_code,
        prison_name=prison_name,
        release_date=parse_date((detail.get("sentenceDetail") or {}).get("releaseDate")),
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
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._client = Client(PRISON_SYSTEM_NAME, base_url, timeout, session, token_provider, retry_delay)
        self._alerts_base_url = alerts_base_url
        self._clock = clock

    def get_prison_record(self, noms: str | None) -> PrisonRecord:
        if noms is None or not noms.strip():
            raise NoPrisonNumber()
        noms = normalise_identifier(noms)
        if not is_noms_number(noms):
            raise PersonNotFound(noms)
        segment = path_segment(noms)
        detail = self._client.call("get", f"/api/offenders/{segment}", identifier=noms)
        adjudications = self._client.call("get", f"/api/offenders/{segment}/adjudications", not_found=None)
        alerts = self._client.call(
            "get",
            f"/prisoners/{segment}/alerts",
            base_url=self._alerts_base_url,
            params={"alertCode": "HA"},
            not_found=None,
        )
        return mapped(
            PRISON_SYSTEM_NAME,
            "prison",
            lambda: parse_prison_record(detail, adjudications, alerts, self._clock()),
        )
