"""One contract for every adapter: the synthetic ones and the HTTP ones replaying recordings.

Anything the service relies on about the ports belongs here, so that switching adapters in
settings cannot change behaviour.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cas.people.ports import (
    CUSTODY_STATUSES,
    GENDER_IDENTITIES,
    RELEASE_TYPES,
    ROSH_LEVELS,
    AccessDecision,
    AcctAlert,
    Adjudication,
    CaseSystem,
    Mappa,
    NoPrisonNumber,
    Offence,
    OffenderManager,
    Person,
    PersonNotFound,
    PrisonRecord,
    PrisonSystem,
    RiskManagementPlan,
    RiskSummary,
    RiskSystem,
    RiskToSelf,
    UpstreamUnavailable,
    is_crn,
    is_noms_number,
)
from cas.people.reference_data import pdus_by_code, regions_by_code
from cas.people.synthetic.demo_people import EXCLUDED_DEMO_USER, RESTRICTED_ACCESS_USER

from .conftest import FIXED_NOW, Adapters

ORDINARY_USER = "demo.cas3.assessor"


def assert_valid_person(person: Person) -> None:
    assert isinstance(person, Person)
    assert is_crn(person.crn)
    assert person.noms_number is None or is_noms_number(person.noms_number)
    assert person.first_name and person.last_name
    assert person.name == f"{person.first_name} {person.last_name}"
    assert isinstance(person.date_of_birth, date)
    assert person.sex in ("Male", "Female")
    assert person.gender_identity is None or person.gender_identity in GENDER_IDENTITIES
    assert person.custody_status in CUSTODY_STATUSES
    assert all(isinstance(o, Offence) for o in person.offences)
    assert sum(o.is_index for o in person.offences) == 1
    assert person.index_offence is not None and person.index_offence.is_index
    assert isinstance(person.manager, OffenderManager)
    assert person.manager.pdu_code in pdus_by_code()
    assert person.manager.region_code in regions_by_code()
    assert pdus_by_code()[person.manager.pdu_code].region.delius_code == person.manager.region_code
    assert person.manager.email.endswith("@justice.gov.uk")
    assert person.fetched_at == FIXED_NOW


def test_adapters_satisfy_the_protocols(adapters: Adapters) -> None:
    assert isinstance(adapters.case, CaseSystem)
    assert isinstance(adapters.risk, RiskSystem)
    assert isinstance(adapters.prison, PrisonSystem)


def test_find_by_crn_returns_a_complete_person(adapters: Adapters) -> None:
    person = adapters.case.find_by_crn("X100001")

    assert_valid_person(person)
    assert person.crn == "X100001"
    assert person.name == "Daniel Hughes"
    assert person.noms_number == "A1001AA"
    assert (person.prison_code, person.prison_name) == ("LEI", "Leeds (HMP)")
    assert person.manager.region_code == "N55"


def test_find_by_crn_ignores_case_and_spaces(adapters: Adapters) -> None:
    assert adapters.case.find_by_crn("  x100002 ").crn == "X100002"


def test_find_by_noms_returns_the_same_person(adapters: Adapters) -> None:
    by_crn = adapters.case.find_by_crn("X100002")
    assert by_crn.noms_number is not None

    assert adapters.case.find_by_noms(by_crn.noms_number) == by_crn


@pytest.mark.parametrize("crn", ["X000000", "not-a-crn", "X12345"])
def test_unknown_crn_raises_person_not_found(adapters: Adapters, crn: str) -> None:
    with pytest.raises(PersonNotFound) as raised:
        adapters.case.find_by_crn(crn)
    assert crn.upper() in str(raised.value)


def test_unknown_prison_number_raises_person_not_found(adapters: Adapters) -> None:
    with pytest.raises(PersonNotFound, match="prison number of 'Z9999ZZ'"):
        adapters.case.find_by_noms("Z9999ZZ")


def test_person_without_prison_number(adapters: Adapters) -> None:
    person = adapters.case.find_by_crn("X100010")

    assert person.noms_number is None
    assert person.custody_status == "In the community"
    assert person.prison_code is None
    with pytest.raises(NoPrisonNumber, match="no prison number"):
        adapters.prison.get_prison_record(person.noms_number)


def test_restricted_person_is_hidden_from_everyone_but_the_listed_user(adapters: Adapters) -> None:
    assert adapters.case.find_by_crn("X100008").is_restricted

    for user in (ORDINARY_USER, EXCLUDED_DEMO_USER):
        decision = adapters.case.check_access("X100008", user)
        assert isinstance(decision, AccessDecision)
        assert (decision.allowed, decision.reason) == (False, "restricted")
        assert decision.message

    allowed = adapters.case.check_access("X100008", RESTRICTED_ACCESS_USER)
    assert (allowed.allowed, allowed.reason, allowed.message) == (True, None, None)


def test_excluded_user_cannot_see_the_person_but_others_can(adapters: Adapters) -> None:
    assert adapters.case.find_by_crn("X100009").is_excluded

    excluded = adapters.case.check_access("X100009", EXCLUDED_DEMO_USER)
    assert (excluded.allowed, excluded.reason) == (False, "excluded")
    assert excluded.message

    assert adapters.case.check_access("X100009", ORDINARY_USER).allowed


def test_access_limits_of_many_people_come_in_one_answer(adapters: Adapters) -> None:
    """Lists, searches and reports mask people from a stored copy of these lists."""
    limits = adapters.case.access_limits(["X100001", "X100008", "X100009"])
    assert set(limits) == {"X100008", "X100009"}  # an ordinary person has no limits to report
    restricted, excluded = limits["X100008"], limits["X100009"]
    assert restricted.restricted_to == frozenset({RESTRICTED_ACCESS_USER}) and not restricted.excluded_users
    assert excluded.restricted_to is None and excluded.excluded_users == frozenset({EXCLUDED_DEMO_USER})
    assert restricted.allows(RESTRICTED_ACCESS_USER.upper()) and not restricted.allows(ORDINARY_USER)
    assert excluded.allows(ORDINARY_USER) and not excluded.allows(EXCLUDED_DEMO_USER)
    with pytest.raises(UpstreamUnavailable):
        adapters.case.access_limits(["X999991"])


def test_ordinary_person_is_visible_to_anyone(adapters: Adapters) -> None:
    decision = adapters.case.check_access("X100001", ORDINARY_USER)
    assert decision == AccessDecision("X100001", True, None, None)


def test_search_by_crn_finds_the_person(adapters: Adapters) -> None:
    found = adapters.case.search("X100004")
    assert [p.crn for p in found] == ["X100004"]
    assert_valid_person(found[0])


def test_search_for_unknown_crn_is_empty(adapters: Adapters) -> None:
    assert adapters.case.search("X000000") == []


def test_get_risk_returns_the_summary(adapters: Adapters) -> None:
    risk = adapters.risk.get_risk("X100004")

    assert isinstance(risk, RiskSummary)
    assert risk.crn == "X100004"
    assert risk.rosh.children == "High"
    assert risk.rosh.overall == "High"
    assert all(
        level is None or level in ROSH_LEVELS
        for level in (risk.rosh.children, risk.rosh.public, risk.rosh.known_adult, risk.rosh.staff)
    )
    assert risk.mappa == Mappa(1, 1)
    assert {"Registered sex offender", "Sexual risk to children"} <= set(risk.flags)
    assert risk.tier == "B1"
    assert isinstance(risk.risk_management_plan, RiskManagementPlan)
    assert risk.risk_management_plan.victim_safety_planning
    assert isinstance(risk.assessment_completed_on, date)
    assert isinstance(risk.risk_to_self, RiskToSelf)
    assert risk.fetched_at == FIXED_NOW


def test_no_risk_assessment_means_unknown_rosh(adapters: Adapters) -> None:
    risk = adapters.risk.get_risk("X100012")

    assert not risk.rosh.is_known
    assert risk.assessment_completed_on is None
    assert risk.risk_management_plan is None
    assert risk.risk_to_self is None
    assert risk.tier is None


def test_risk_to_self_concerns(adapters: Adapters) -> None:
    risk = adapters.risk.get_risk("X100015")

    assert risk.risk_to_self is not None and risk.risk_to_self.has_current_concerns
    assert risk.risk_to_self.suicide.current and risk.risk_to_self.self_harm.current
    assert "Risk to self" in risk.flags


def test_get_risk_for_unknown_crn_raises_person_not_found(adapters: Adapters) -> None:
    with pytest.raises(PersonNotFound):
        adapters.risk.get_risk("X000000")


def test_get_prison_record(adapters: Adapters) -> None:
    record = adapters.prison.get_prison_record("A1018AU")

    assert isinstance(record, PrisonRecord)
    assert record.noms_number == "A1018AU"
    assert (record.prison_code, record.prison_name) == ("FMI", "Forest Bank (HMP & YOI)")
    assert record.release_type == "Fixed-term recall"
    assert record.release_type in RELEASE_TYPES
    assert isinstance(record.release_date, date)
    assert len(record.adjudications) == 4
    assert all(isinstance(a, Adjudication) for a in record.adjudications)
    assert all(isinstance(a.reported_at, datetime) and a.reported_at.tzinfo for a in record.adjudications)
    newest_first = [a.reported_at for a in record.adjudications]
    assert newest_first == sorted(newest_first, reverse=True)
    assert not record.adjudications[0].hearing_held
    assert record.fetched_at == FIXED_NOW


def test_acct_alerts(adapters: Adapters) -> None:
    record = adapters.prison.get_prison_record("A1015AR")

    assert len(record.acct_alerts) == 2
    assert all(isinstance(a, AcctAlert) for a in record.acct_alerts)
    open_alert, closed_alert = record.acct_alerts
    assert open_alert.date_expires is None
    assert closed_alert.date_expires is not None


def test_released_person_keeps_their_last_prison(adapters: Adapters) -> None:
    person = adapters.case.find_by_crn("X100017")
    assert person.noms_number is not None
    record = adapters.prison.get_prison_record(person.noms_number)

    assert person.custody_status == "On licence"
    assert person.prison_code is None
    assert record.prison_code == "LEI"
    assert record.release_date is not None and record.release_date < FIXED_NOW.date()


def test_unknown_prison_number_in_prison_system(adapters: Adapters) -> None:
    with pytest.raises(PersonNotFound):
        adapters.prison.get_prison_record("Z9999ZZ")


def test_case_system_timeout(adapters: Adapters) -> None:
    with pytest.raises(UpstreamUnavailable) as raised:
        adapters.case.find_by_crn("X999991")
    assert str(raised.value) == "The probation case system is not responding. Try again later."
    with pytest.raises(UpstreamUnavailable):
        adapters.case.check_access("X999991", ORDINARY_USER)
    # MAPPA and flags come from NDelius, so risk is unavailable too.
    with pytest.raises(UpstreamUnavailable, match="probation case system"):
        adapters.risk.get_risk("X999991")


def test_risk_system_timeout_leaves_case_and_prison_working(adapters: Adapters) -> None:
    person = adapters.case.find_by_crn("X999992")
    assert person.noms_number is not None

    with pytest.raises(UpstreamUnavailable) as raised:
        adapters.risk.get_risk("X999992")
    assert str(raised.value) == "The risk assessment system is not responding. Try again later."
    assert adapters.prison.get_prison_record(person.noms_number).noms_number == person.noms_number


def test_prison_system_failure_leaves_case_and_risk_working(adapters: Adapters) -> None:
    person = adapters.case.find_by_crn("X999993")
    assert person.noms_number is not None
    assert adapters.risk.get_risk("X999993").crn == "X999993"

    with pytest.raises(UpstreamUnavailable) as raised:
        adapters.prison.get_prison_record(person.noms_number)
    assert str(raised.value) == "The prison system is not responding. Try again later."
