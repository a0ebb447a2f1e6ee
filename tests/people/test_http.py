"""HTTP-specific behaviour: retries, error mapping, request shapes and the JSON mappings."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import requests

from cas.people import replay
from cas.people.http import client
from cas.people.http.case_system import HttpCaseSystem, parse_case_detail
from cas.people.http.prison_system import HttpPrisonSystem, release_type_from_inmate_detail
from cas.people.http.risk_system import HttpRiskSystem, parse_mappa_and_flags, parse_rosh
from cas.people.ports import NoPrisonNumber, PersonNotFound, UpstreamUnavailable
from cas.people.synthetic.case_system import SyntheticCaseSystem
from cas.people.synthetic.dataset import SYNTHETIC_ANCHOR
from cas.people.synthetic.demo_people import CASE_SYSTEM_TIMEOUT_CRN, PRISON_SYSTEM_FAILURE_CRN, RISK_SYSTEM_TIMEOUT_CRN
from cas.people.synthetic.prison_system import SyntheticPrisonSystem
from cas.people.synthetic.risk_system import SyntheticRiskSystem

from . import upstream_json
from .conftest import fixed_clock, recorded_http_adapters


def case_system(session: replay.RecordedSession, **kwargs: Any) -> HttpCaseSystem:
    return HttpCaseSystem("https://delius.invalid", session=session, retry_delay=0, clock=fixed_clock, **kwargs)


# --- Retries ------------------------------------------------------------------------------------


def test_a_timeout_then_success_retries_once_and_succeeds() -> None:
    session = replay.RecordedSession().fail("timeout", times=1)

    person = case_system(session).find_by_crn("X100001")

    assert person.crn == "X100001"
    assert [c.path for c in session.calls] == ["/probation-cases/X100001/details"] * 2


def test_two_timeouts_raise_upstream_unavailable_after_exactly_two_attempts() -> None:
    session = replay.RecordedSession().fail("timeout", times=2)

    with pytest.raises(UpstreamUnavailable) as raised:
        case_system(session).find_by_crn("X100001")

    assert str(raised.value) == "The probation case system is not responding. Try again later."
    assert "ReadTimeout" in raised.value.detail
    assert len(session.calls) == 2


def test_a_timeout_every_time_still_makes_only_two_attempts() -> None:
    session = replay.RecordedSession().fail("timeout", times=None)

    with pytest.raises(UpstreamUnavailable):
        case_system(session).find_by_crn("X100001")
    assert len(session.calls) == 2


def test_a_503_then_200_succeeds() -> None:
    session = replay.RecordedSession().fail(503)

    assert case_system(session).find_by_crn("X100002").name == "Sarah Lawson"
    assert len(session.calls) == 2


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_twice_raise_upstream_unavailable(status: int) -> None:
    session = replay.RecordedSession().fail(status, times=2)

    with pytest.raises(UpstreamUnavailable) as raised:
        case_system(session).find_by_crn("X100001")
    assert f"HTTP {status}" in raised.value.detail
    assert len(session.calls) == 2


def test_a_connection_error_is_retried() -> None:
    session = replay.RecordedSession().fail("connection")

    assert case_system(session).find_by_crn("X100001").crn == "X100001"
    assert len(session.calls) == 2


def test_a_500_is_upstream_unavailable_without_a_retry() -> None:
    session = replay.RecordedSession().fail(500)

    with pytest.raises(UpstreamUnavailable) as raised:
        case_system(session).find_by_crn("X100001")
    assert "HTTP 500" in raised.value.detail
    assert len(session.calls) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 429])
def test_other_error_statuses_are_upstream_unavailable(status: int) -> None:
    session = replay.RecordedSession().fail(status)

    with pytest.raises(UpstreamUnavailable, match="not responding"):
        case_system(session).find_by_crn("X100001")


def test_get_risk_names_the_system_that_failed() -> None:
    # get_risk reads NDelius first: when nothing answers, users are told NDelius is down.
    adapters = recorded_http_adapters(replay.RecordedSession().fail("timeout", times=None))
    with pytest.raises(UpstreamUnavailable, match="probation case system"):
        adapters.risk.get_risk("X100001")

    # NDelius answers but OASys fails: users are told the risk system is down.
    session = replay.RecordedSession(
        interactions=[{"request": {"method": "GET", "path": "/risks/X100001/summary"}, "response": {"status": 503}}]
    )
    adapters = recorded_http_adapters(session)
    with pytest.raises(UpstreamUnavailable, match="risk assessment system"):
        adapters.risk.get_risk("X100001")


def test_the_retry_waits_before_trying_again(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(client.time, "sleep", sleeps.append)
    session = replay.RecordedSession().fail("timeout")

    HttpCaseSystem("https://delius.invalid", session=session, retry_delay=0.25).find_by_crn("X100001")

    assert sleeps == [0.25]


# --- Requests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("adapter", [HttpCaseSystem, HttpRiskSystem, HttpPrisonSystem])
def test_an_empty_base_url_is_refused_at_construction(adapter: type) -> None:
    with pytest.raises(ValueError, match="base_url"):
        adapter("", session=replay.RecordedSession())


def test_requests_carry_the_timeout_token_and_accept_header() -> None:
    session = replay.RecordedSession()
    system = HttpCaseSystem("https://delius.invalid/", timeout=2.5, session=session, token_provider=lambda: "token-123")

    system.find_by_crn("X100001")

    (call,) = session.calls
    assert call.url == "https://delius.invalid/probation-cases/X100001/details"
    assert call.timeout == 2.5
    assert call.headers["Authorization"] == "Bearer token-123"
    assert call.headers["Accept"] == "application/json"


def test_a_failing_token_provider_is_an_outage_not_a_crash() -> None:
    def broken() -> str:
        raise RuntimeError("auth server down")

    with pytest.raises(UpstreamUnavailable, match="probation case system"):
        HttpCaseSystem("https://delius.invalid", session=replay.RecordedSession(), token_provider=broken).find_by_crn(
            "X100001"
        )


def test_access_check_posts_the_crn_for_the_user() -> None:
    session = replay.RecordedSession()

    case_system(session).check_access("x100008", " demo.restricted-access ")

    (call,) = session.calls
    assert (call.method, call.path) == ("POST", "/users/access")
    assert call.params == {"username": "demo.restricted-access"}
    assert call.json == ["X100008"]


def test_access_answer_that_leaves_out_the_crn_fails_closed() -> None:
    session = replay.RecordedSession(
        include_default_recordings=False,
        interactions=[
            {
                "request": {"method": "POST", "path": "/users/access"},
                "response": {"body": {"access": [{"crn": "X555555", "userExcluded": False, "userRestricted": False}]}},
            }
        ],
    )
    with pytest.raises(UpstreamUnavailable):
        case_system(session).check_access("X100001", "someone")


@pytest.mark.parametrize("bad", ["../../users", "X100001/../../admin", "X1000O1", ""])
def test_malformed_identifiers_never_reach_the_upstream(bad: str) -> None:
    session = replay.RecordedSession()
    adapters = recorded_http_adapters(session)

    with pytest.raises(PersonNotFound):
        adapters.case.find_by_crn(bad)
    with pytest.raises(PersonNotFound):
        adapters.risk.get_risk(bad)
    if bad:
        with pytest.raises(PersonNotFound):
            adapters.case.find_by_noms(bad)
        with pytest.raises(PersonNotFound):
            adapters.prison.get_prison_record(bad)
    assert session.calls == []


def test_prison_system_needs_a_prison_number_without_calling_out() -> None:
    session = replay.RecordedSession()
    with pytest.raises(NoPrisonNumber):
        recorded_http_adapters(session).prison.get_prison_record("  ")
    assert session.calls == []


def test_search_looks_up_exact_identifiers_only() -> None:
    session = replay.RecordedSession()
    system = case_system(session)

    assert [p.crn for p in system.search("a1001aa")] == ["X100001"]
    assert system.search("Hughes") == []
    assert system.search("X100001", limit=0) == []


# --- Mapping surprising bodies ------------------------------------------------------------------


def _details_session(body: Any = None, text: str | None = None) -> replay.RecordedSession:
    response: dict[str, Any] = {"status": 200}
    if text is not None:
        response["text"] = text
    else:
        response["body"] = body
    return replay.RecordedSession(
        include_default_recordings=False,
        interactions=[{"request": {"method": "GET", "path": "/probation-cases/X100001/details"}, "response": response}],
    )


def _recorded_details(crn: str = "X100001") -> dict[str, Any]:
    person = SyntheticCaseSystem(anchor=SYNTHETIC_ANCHOR).find_by_crn(crn)
    risk = SyntheticRiskSystem(anchor=SYNTHETIC_ANCHOR).get_risk(crn)
    return upstream_json.case_detail(person, risk)


def test_a_body_that_is_not_json_is_upstream_unavailable() -> None:
    with pytest.raises(UpstreamUnavailable, match="probation case system"):
        case_system(_details_session(text="<html>Gateway error</html>")).find_by_crn("X100001")


def test_a_body_missing_required_fields_is_upstream_unavailable() -> None:
    body = _recorded_details()
    del body["case"]["name"]
    with pytest.raises(UpstreamUnavailable) as raised:
        case_system(_details_session(body)).find_by_crn("X100001")
    assert "unexpected case details response" in raised.value.detail


def test_index_offence_is_the_main_offence_of_the_latest_event() -> None:
    body = _recorded_details("X100014")
    offences = body["offences"]
    for number, offence in enumerate(offences, start=1):
        offence["eventNumber"] = str(number)
        offence["main"] = True

    person = case_system(_details_session(body)).find_by_crn("X100001")

    assert person.index_offence is not None
    assert person.index_offence.offence_id == offences[-1]["id"]
    assert sum(o.is_index for o in person.offences) == 1


@pytest.mark.parametrize(
    ("upstream", "expected"),
    [
        ("Trans woman", "Transgender Female"),
        ("transgender man", "Transgender Male"),
        ("Non binary", "Non-binary"),
        ("Not stated", "Prefer not to say"),
        ("Female", "Female"),
        ("Something else", None),
        (None, None),
    ],
)
def test_gender_identity_is_normalised(upstream: str | None, expected: str | None) -> None:
    body = _recorded_details()
    body["case"]["profile"]["genderIdentity"] = upstream
    assert case_system(_details_session(body)).find_by_crn("X100001").gender_identity == expected


def test_region_comes_from_the_probation_area_mapping() -> None:
    body = _recorded_details()
    body["case"]["manager"]["team"]["provider"] = {"code": "N02", "description": "NPS North East"}
    # N02 is an old probation area code that maps to the North East region (N54).
    assert case_system(_details_session(body)).find_by_crn("X100001").manager.region_code == "N54"


def test_rosh_and_mappa_registrations_are_not_repeated_as_flags() -> None:
    mappa, flags = parse_mappa_and_flags(
        {
            "mappaDetail": {"category": 2, "level": 0},
            "registrations": [
                {"code": "RHRH", "description": "High RoSH"},
                {"code": "MAPP", "description": "MAPPA"},
                {"code": "RARN", "description": "ARSON"},
                {"code": "XYZ", "description": "Gang affiliation"},
            ],
        }
    )
    assert mappa is not None and (mappa.category, mappa.level) == (2, None)
    assert flags == ("Arson", "Gang affiliation")


def test_rosh_summary_mapping_tolerates_gaps() -> None:
    rosh, assessed_on, risk_to_self = parse_rosh(
        {
            "assessedOn": "2026-10-01T10:00:00",
            "summary": {"riskInCommunity": {"HIGH": ["Children"], "NOT_KNOWN": ["Staff"], "LOW": None}},
        }
    )
    assert (rosh.children, rosh.staff, rosh.public, rosh.overall) == ("High", None, None, "High")
    assert assessed_on is not None and assessed_on.isoformat() == "2026-10-01"
    assert risk_to_self is None
    assert parse_rosh({"assessedOn": "2026-10-01", "summary": None})[0].overall is None
    assert parse_rosh(None)[1] is None


@pytest.mark.parametrize(
    ("legal_status", "imprisonment_status", "sentence", "expected"),
    [
        ("REMAND", "RX", {}, "Remand / bail"),
        ("RECALL", "FTR_ORA", {"releaseDate": "2026-12-01"}, "Fixed-term recall"),
        ("RECALL", "LR_ORA", {"releaseDate": "2026-12-01"}, "Standard recall"),
        ("SENTENCED", "SENT03", {"releaseDate": "2026-12-01", "homeDetentionCurfewActualDate": "2026-12-01"}, "HDC"),
        ("SENTENCED", "SENT03", {"releaseDate": "2026-12-01", "actualParoleDate": "2026-12-01"}, "Parole"),
        ("SENTENCED", "SENT03", {"releaseDate": "2026-12-01", "topupSupervisionStartDate": "2026-12-01"}, "PSS"),
        ("SENTENCED", "SENT03", {"releaseDate": "2026-12-01", "conditionalReleaseDate": "2026-12-19"}, "ECSL"),
        ("SENTENCED", "SENT03", {"releaseDate": "2026-12-01", "conditionalReleaseDate": "2026-12-01"}, "CRD licence"),
        ("SENTENCED", "SENT03", {}, None),
    ],
)
def test_release_type_from_nomis(
    legal_status: str, imprisonment_status: str, sentence: dict[str, str], expected: str | None
) -> None:
    detail = {"legalStatus": legal_status, "imprisonmentStatus": imprisonment_status, "sentenceDetail": sentence}
    assert release_type_from_inmate_detail(detail) == expected


# --- Recordings and round trips -----------------------------------------------------------------


@pytest.mark.parametrize("crn", upstream_json.RECORDED_CRNS)
def test_recordings_describe_the_same_people_as_the_synthetic_adapter(crn: str) -> None:
    """Demos look the same whichever adapter is selected; if this fails, re-record with
    ``python -m tests.people.upstream_json``."""
    adapters = recorded_http_adapters()
    # The recordings were made with the people anchored on SYNTHETIC_ANCHOR.
    case = SyntheticCaseSystem(anchor=SYNTHETIC_ANCHOR)
    person = adapters.case.find_by_crn(crn)

    assert person == case.find_by_crn(crn)
    if crn != RISK_SYSTEM_TIMEOUT_CRN:
        assert adapters.risk.get_risk(crn) == SyntheticRiskSystem(anchor=SYNTHETIC_ANCHOR).get_risk(crn)
    if person.noms_number and crn != PRISON_SYSTEM_FAILURE_CRN:
        prison = SyntheticPrisonSystem(anchor=SYNTHETIC_ANCHOR)
        assert adapters.prison.get_prison_record(person.noms_number) == prison.get_prison_record(person.noms_number)


def _round_trip_session(crns: list[str]) -> replay.RecordedSession:
    interactions: list[dict[str, Any]] = []
    for crn in crns:
        for recorded in upstream_json.interactions_for(crn).values():
            interactions += recorded
    return replay.RecordedSession(include_default_recordings=False, interactions=copy.deepcopy(interactions))


def test_every_synthetic_person_survives_the_http_mappings() -> None:
    """Serialise every generated person as the upstreams would and read them back through the HTTP
    adapters: every release type, flag, gender identity and ethnicity goes through the mappings."""
    case = SyntheticCaseSystem(clock=fixed_clock)
    risk = SyntheticRiskSystem(clock=fixed_clock)
    prison = SyntheticPrisonSystem(clock=fixed_clock)
    failing = {
        CASE_SYSTEM_TIMEOUT_CRN,
        RISK_SYSTEM_TIMEOUT_CRN,
        PRISON_SYSTEM_FAILURE_CRN,
    }
    crns = [crn for crn in case.all_crns() if crn not in failing]
    adapters = recorded_http_adapters(_round_trip_session(crns))

    release_types: set[str | None] = set()
    for crn in crns:
        person = case.find_by_crn(crn)
        assert adapters.case.find_by_crn(crn) == person, crn
        assert adapters.risk.get_risk(crn) == risk.get_risk(crn), crn
        if person.noms_number:
            record = prison.get_prison_record(person.noms_number)
            assert adapters.prison.get_prison_record(person.noms_number) == record, crn
            release_types.add(record.release_type)
    assert release_types >= {
        "CRD licence",
        "PSS",
        "HDC",
        "Parole",
        "Fixed-term recall",
        "Standard recall",
        "ECSL",
        "Remand / bail",
    }


def test_recorded_session_serves_the_json_the_mappers_read() -> None:
    response = replay.RecordedSession().get("https://prison.invalid/api/offenders/A1001AA", timeout=1)

    assert isinstance(response, requests.Response)
    assert response.status_code == 200
    assert response.json()["offenderNo"] == "A1001AA"
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("recorded_gender", ["Not Known", "Other", "", None])
def test_a_sex_other_than_male_or_female_is_not_known_not_a_failure(recorded_gender) -> None:
    import json
    from datetime import UTC, datetime

    recordings = replay.RECORDED_DIR / "delius_case_details.json"
    body = copy.deepcopy(json.loads(recordings.read_text())["interactions"][0]["response"]["body"])
    body["case"]["gender"] = recorded_gender
    person = parse_case_detail(body, datetime(2026, 11, 23, tzinfo=UTC))
    assert person.sex is None and person.crn == body["case"]["crn"]
