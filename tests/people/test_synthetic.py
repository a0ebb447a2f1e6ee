"""The synthetic data set: deterministic, big and varied enough for demos and tests."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from cas.people import reference_data
from cas.people.ports import (
    GENDER_IDENTITIES,
    RELEASE_TYPES,
    ROSH_LEVELS,
    NoPrisonNumber,
    Person,
    PersonNotFound,
    PrisonRecord,
    RiskSummary,
    UpstreamUnavailable,
    is_crn,
    is_noms_number,
)
from cas.people.synthetic.case_system import SyntheticCaseSystem
from cas.people.synthetic.dataset import NATIONAL_POOL, SYNTHETIC_ANCHOR, dataset_for, national_crn
from cas.people.synthetic.demo_people import (
    CASE_SYSTEM_TIMEOUT_CRN,
    DEMO_CRNS,
    PRISON_SYSTEM_FAILURE_CRN,
    RISK_SYSTEM_TIMEOUT_CRN,
    UNKNOWN_CRN,
)
from cas.people.synthetic.generator import GENERATED_PEOPLE
from cas.people.synthetic.prison_system import SyntheticPrisonSystem
from cas.people.synthetic.risk_system import SyntheticRiskSystem
from cas.people.synthetic.tables import NAMES, WHITE_BRITISH

from .conftest import FIXED_NOW, fixed_clock

ANCHOR = SYNTHETIC_ANCHOR
FAILING = {CASE_SYSTEM_TIMEOUT_CRN, RISK_SYSTEM_TIMEOUT_CRN, PRISON_SYSTEM_FAILURE_CRN}


@pytest.fixture(scope="module")
def people() -> list[Person]:
    case = SyntheticCaseSystem(clock=fixed_clock)
    return [case.find_by_crn(crn) for crn in case.all_crns() if crn != CASE_SYSTEM_TIMEOUT_CRN]


@pytest.fixture(scope="module")
def risks() -> list[RiskSummary]:
    risk = SyntheticRiskSystem(clock=fixed_clock)
    return [risk.get_risk(crn) for crn in risk.all_crns() if crn not in FAILING]


@pytest.fixture(scope="module")
def prison_records(people: list[Person]) -> list[PrisonRecord]:
    prison = SyntheticPrisonSystem(clock=fixed_clock)
    return [
        prison.get_prison_record(p.noms_number) for p in people if p.noms_number and p.crn != PRISON_SYSTEM_FAILURE_CRN
    ]


# --- Determinism and speed ----------------------------------------------------------------------


def test_two_instances_give_identical_people_risks_and_prison_records() -> None:
    first, second = SyntheticCaseSystem(), SyntheticCaseSystem()
    crns = first.all_crns()
    assert crns == second.all_crns()
    # A fresh build, not the cached one, so this really compares two generations.
    rebuilt = dataset_for.__wrapped__(ANCHOR)
    cached = dataset_for(ANCHOR)
    assert rebuilt is not cached
    assert rebuilt == cached
    assert [first.find_by_crn(c) for c in crns[::97] if c not in FAILING] == [
        second.find_by_crn(c) for c in crns[::97] if c not in FAILING
    ]


def test_known_generated_people_never_change() -> None:
    """Pins a few generated people so that an accidental change to the generator is noticed."""
    case = SyntheticCaseSystem()
    generated = [crn for crn in case.all_crns() if not crn.startswith("X")]
    picked = [generated[0], generated[1], generated[500], generated[-1]]
    snapshot = [(p.crn, p.name, p.date_of_birth.isoformat(), p.manager.pdu_code) for p in map(case.find_by_crn, picked)]
    assert snapshot == KNOWN_GENERATED


# If the generator changes on purpose, update these (and re-record: python -m tests.people.upstream_json).
KNOWN_GENERATED = [
    ("K204729", "James Ashworth", "1979-06-01", "N53DRBY"),
    ("K212648", "Tyler Thompson", "1986-07-13", "N53DERS"),
    ("A564229", "Shahed Chowdhury", "1987-06-15", "N52CSW"),
    ("B591510", "Paul Holmes", "1974-11-10", "N52BLCO"),
]


def test_dates_move_with_the_anchor_but_identities_do_not() -> None:
    later = ANCHOR + timedelta(days=100)
    now_case, later_case = SyntheticCaseSystem(), SyntheticCaseSystem(anchor=later.isoformat())
    assert now_case.find_by_crn("X100001").name == later_case.find_by_crn("X100001").name
    assert now_case.all_crns() == later_case.all_crns()

    now_record = SyntheticPrisonSystem(anchor=ANCHOR).get_prison_record("A1001AA")
    later_record = SyntheticPrisonSystem(anchor=later).get_prison_record("A1001AA")
    assert now_record.release_date is not None and later_record.release_date is not None
    assert later_record.release_date - now_record.release_date == timedelta(days=100)


@pytest.mark.parametrize("anchor", [None, "today"])
def test_the_anchor_is_the_day_the_clock_reads_in_england(anchor) -> None:
    """Without a fixed anchor the people's dates move with the adapter's clock, day by day, so a
    demo is current on any day (the registry gives the adapters the service's clock)."""
    now = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    system = SyntheticPrisonSystem(anchor=anchor, clock=lambda: now)
    assert system.anchor == date(2027, 3, 1)
    assert system.get_prison_record("A1001AA").release_date == date(2027, 3, 1) + timedelta(days=42)
    # Half past eleven at night in UTC is already the next day in England in summer.
    now = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)
    assert system.anchor == date(2027, 7, 1)
    assert system.get_prison_record("A1001AA").release_date == date(2027, 7, 1) + timedelta(days=42)


def test_a_fixed_anchor_does_not_move_with_the_clock() -> None:
    system = SyntheticPrisonSystem(anchor=ANCHOR, clock=lambda: datetime(2030, 1, 1, tzinfo=UTC))
    assert system.get_prison_record("A1001AA").release_date == ANCHOR + timedelta(days=42)


def test_fetched_at_comes_from_the_clock_and_does_not_affect_equality() -> None:
    person = SyntheticCaseSystem(clock=fixed_clock).find_by_crn("X100001")
    assert person.fetched_at == FIXED_NOW
    later_that_day = SyntheticCaseSystem(clock=lambda: FIXED_NOW + timedelta(hours=5))
    assert person == later_that_day.find_by_crn("X100001")


# --- Size and spread ----------------------------------------------------------------------------


def test_at_least_1200_people(people: list[Person]) -> None:
    assert len(people) >= 1200


def test_identifiers_are_well_formed_and_unique(people: list[Person]) -> None:
    assert all(is_crn(p.crn) for p in people)
    assert len({p.crn for p in people}) == len(people)
    noms = [p.noms_number for p in people if p.noms_number]
    assert all(is_noms_number(n) for n in noms)
    assert len(set(noms)) == len(noms)


def test_every_region_except_national_and_every_local_pdu_is_covered(people: list[Person]) -> None:
    regions = {p.manager.region_code for p in people}
    expected = {r.delius_code for r in reference_data.regions()} - {reference_data.NATIONAL_REGION_CODE}
    assert regions == expected
    assert {p.manager.pdu_code for p in people} == {pdu.delius_code for pdu in reference_data.local_pdus()}


def test_about_six_percent_are_women(people: list[Person]) -> None:
    share = sum(p.sex == "Female" for p in people) / len(people)
    assert 0.04 <= share <= 0.09


def test_every_gender_identity_appears(people: list[Person]) -> None:
    seen = {p.gender_identity for p in people}
    assert seen >= set(GENDER_IDENTITIES) | {None}


def test_ethnicities_religions_and_nationalities_vary(people: list[Person]) -> None:
    ethnicities = Counter(p.ethnicity for p in people)
    assert len(ethnicities) >= 18
    assert ethnicities[WHITE_BRITISH] / len(people) < 0.75
    assert {"Christian", "Muslim", "No religion", "Sikh", "Hindu", "Buddhist"} <= {p.religion for p in people}
    assert len({p.nationality for p in people}) >= 10


def test_welsh_and_english_names(people: list[Person]) -> None:
    welsh_first_names = set(NAMES["welsh"][0]) | set(NAMES["welsh"][1])
    in_wales = [p for p in people if p.manager.region_code == "N03"]
    assert sum(p.first_name in welsh_first_names for p in in_wales) >= len(in_wales) / 3
    english_first_names = set(NAMES["english"][0])
    assert sum(p.first_name in english_first_names for p in people) > len(people) / 3


def test_every_person_has_exactly_one_index_offence(people: list[Person]) -> None:
    for person in people:
        assert sum(o.is_index for o in person.offences) == 1, person.crn
        assert person.index_offence is not None
    counts = Counter(len(p.offences) for p in people)
    assert counts[1] > 0 and sum(n for size, n in counts.items() if size >= 3) > 0


def test_managers_are_staff_with_justice_emails(people: list[Person]) -> None:
    for person in people:
        manager = person.manager
        assert manager.email.endswith("@justice.gov.uk")
        assert " " in manager.name
        assert manager.staff_code.startswith(manager.region_code)
        assert reference_data.pdus_by_code()[manager.pdu_code].region.delius_code == manager.region_code


def test_custody_and_prison_numbers(people: list[Person]) -> None:
    statuses = Counter(p.custody_status for p in people)
    assert set(statuses) == {"In custody", "Remanded in custody", "On licence", "In the community"}
    assert all((p.noms_number is None) == (p.custody_status == "In the community") for p in people)
    assert all(
        (p.prison_code is not None) == (p.custody_status in {"In custody", "Remanded in custody"}) for p in people
    )


def test_restricted_and_excluded_people_exist(people: list[Person]) -> None:
    assert sum(p.is_restricted for p in people) >= 5
    assert sum(p.is_excluded for p in people) >= 5


def test_every_rosh_level_including_unknown(risks: list[RiskSummary]) -> None:
    assert {r.rosh.overall for r in risks} == {*ROSH_LEVELS, None}
    for risk in risks:
        if risk.rosh.is_known:
            groups = [risk.rosh.children, risk.rosh.public, risk.rosh.known_adult, risk.rosh.staff]
            assert risk.rosh.overall == max(groups, key=ROSH_LEVELS.index)
        else:
            assert risk.assessment_completed_on is None


def test_every_mappa_category_and_level(risks: list[RiskSummary]) -> None:
    mappas = [r.mappa for r in risks if r.mappa]
    assert {m.category for m in mappas} == {1, 2, 3}
    assert {m.level for m in mappas} == {1, 2, 3}
    assert all(r.mappa and r.mappa.category == 1 for r in risks if "Registered sex offender" in r.flags)


def test_risk_flags_cover_the_cases_placement_cares_about(risks: list[RiskSummary]) -> None:
    flags = Counter(flag for r in risks for flag in r.flags)
    for flag in (
        "Registered sex offender",
        "Sexual risk to children",
        "Sexual risk to adults",
        "Arson",
        "Hate crime",
        "Domestic abuse perpetrator",
        "Risk to self",
        "Wheelchair user",
    ):
        assert flags[flag] >= 5, flag


def test_assessments_recent_old_and_missing(risks: list[RiskSummary]) -> None:
    recent = sum(r.assessment_is_recent(ANCHOR) for r in risks)
    old = sum(r.assessment_completed_on is not None and not r.assessment_is_recent(ANCHOR) for r in risks)
    missing = sum(r.assessment_completed_on is None for r in risks)
    assert recent > len(risks) * 0.7
    assert old >= 50 and missing >= 20


def test_tiers_are_well_formed(risks: list[RiskSummary]) -> None:
    tiers = {r.tier for r in risks}
    assert None in tiers
    assert all(t is None or (t[0] in "ABCD" and t[1] in "0123" and len(t) == 2) for t in tiers)


def test_release_dates_spread_over_the_next_four_months_and_some_in_the_past(
    prison_records: list[PrisonRecord],
) -> None:
    offsets = [(r.release_date - ANCHOR).days for r in prison_records if r.release_date]
    future = [d for d in offsets if d >= 0]
    assert max(future) > 110 and min(future) < 10
    assert sum(d < 0 for d in offsets) >= 50
    by_month = Counter(d // 30 for d in future)
    assert all(by_month[month] > 100 for month in range(4))


def test_release_types_adjudications_and_acct_alerts(prison_records: list[PrisonRecord]) -> None:
    assert {r.release_type for r in prison_records} == set(RELEASE_TYPES)
    assert all((r.release_type == "Remand / bail") == (r.release_date is None) for r in prison_records)
    with_adjudications = [r for r in prison_records if r.adjudications]
    assert len(with_adjudications) >= 100
    findings = {a.finding for r in with_adjudications for a in r.adjudications}
    assert {"Proved", "Dismissed", "Not yet heard"} <= findings
    assert sum(bool(r.acct_alerts) for r in prison_records) >= 50


# --- Demo CRNs ----------------------------------------------------------------------------------


def test_demo_crns_are_well_formed_and_exist(case_system: SyntheticCaseSystem) -> None:
    assert len(DEMO_CRNS) >= 30
    for crn in DEMO_CRNS:
        assert is_crn(crn)
        if crn in (UNKNOWN_CRN, CASE_SYSTEM_TIMEOUT_CRN):
            continue
        assert case_system.find_by_crn(crn).crn == crn


def test_demo_typical_man(case_system, risk_system, prison_system) -> None:
    person = case_system.find_by_crn("X100001")
    assert (person.sex, person.custody_status, person.prison_name) == ("Male", "In custody", "Leeds (HMP)")
    assert person.index_offence is not None and person.index_offence.sub_category == "Burglary in a dwelling"
    risk = risk_system.get_risk("X100001")
    assert (risk.rosh.overall, risk.tier, risk.mappa, risk.flags) == ("Medium", "B2", None, ())
    record = prison_system.get_prison_record(person.noms_number)
    assert record.release_type == "CRD licence"
    assert record.release_date == ANCHOR + timedelta(days=42)


def test_demo_woman(case_system) -> None:
    person = case_system.find_by_crn("X100002")
    assert (person.sex, person.gender_identity) == ("Female", "Female")
    assert person.prison_code == "EWI"
    assert person.manager.region_code == "N58"


def test_demo_transgender_woman(case_system) -> None:
    person = case_system.find_by_crn("X100003")
    assert (person.sex, person.gender_identity) == ("Male", "Transgender Female")


def test_demo_registered_sex_offender_against_children(risk_system, case_system) -> None:
    risk = risk_system.get_risk("X100004")
    assert {"Registered sex offender", "Sexual risk to children"} <= set(risk.flags)
    assert (risk.mappa.category, risk.mappa.level) == (1, 1)
    assert risk.rosh.children == "High"
    assert case_system.find_by_crn("X100004").index_offence.main_category == "Sexual offences against children"


def test_demo_sexual_risk_to_adults(risk_system) -> None:
    risk = risk_system.get_risk("X100005")
    assert {"Registered sex offender", "Sexual risk to adults"} <= set(risk.flags)
    assert "Sexual risk to children" not in risk.flags
    assert (risk.mappa.category, risk.mappa.level) == (1, 2)


def test_demo_arson_history(risk_system, case_system) -> None:
    assert "Arson" in risk_system.get_risk("X100006").flags
    assert case_system.find_by_crn("X100006").index_offence.main_category == "Arson"


def test_demo_wheelchair_user(risk_system, case_system) -> None:
    assert "Wheelchair user" in risk_system.get_risk("X100007").flags
    assert case_system.find_by_crn("X100007").age_on(ANCHOR) >= 60


def test_demo_restricted_person(case_system) -> None:
    assert case_system.find_by_crn("X100008").is_restricted
    assert case_system.check_access("X100008", "DEMO.RESTRICTED-ACCESS").allowed  # usernames ignore case
    for user in ("demo.cas3.referrer", "demo.cas3.assessor", "demo.admin", "anyone"):
        assert case_system.check_access("X100008", user).reason == "restricted"


def test_demo_excluded_person(case_system) -> None:
    assert case_system.find_by_crn("X100009").is_excluded
    assert case_system.check_access("X100009", "demo.cas3.referrer").reason == "excluded"
    assert case_system.check_access("X100009", "demo.restricted-access").allowed


def test_demo_no_prison_number(case_system, prison_system) -> None:
    person = case_system.find_by_crn("X100010")
    assert person.noms_number is None and person.custody_status == "In the community"
    with pytest.raises(NoPrisonNumber):
        prison_system.get_prison_record(person.noms_number)


def test_demo_no_recent_risk_assessment(risk_system) -> None:
    risk = risk_system.get_risk("X100011")
    assert risk.assessment_completed_on is not None
    assert not risk.assessment_is_recent(ANCHOR)
    assert risk.rosh.is_known


def test_demo_no_risk_assessment_at_all(risk_system) -> None:
    risk = risk_system.get_risk("X100012")
    assert risk.rosh == risk.rosh.unknown()
    assert (risk.assessment_completed_on, risk.risk_management_plan, risk.tier) == (None, None, None)


def test_demo_very_high_rosh_with_mappa_2_2(risk_system, prison_system) -> None:
    risk = risk_system.get_risk("X100013")
    assert risk.rosh.overall == "Very high"
    assert risk.mappa is not None and risk.mappa.label == "CAT 2 / LEVEL 2"
    assert prison_system.get_prison_record("A1013AN").release_type == "Standard recall"


def test_demo_several_offences(case_system) -> None:
    person = case_system.find_by_crn("X100014")
    assert len(person.offences) == 5
    assert [o.is_index for o in person.offences] == [True, False, False, False, False]
    assert len({o.offence_id for o in person.offences}) == 5


def test_demo_risk_to_self(risk_system, prison_system) -> None:
    risk = risk_system.get_risk("X100015")
    assert risk.risk_to_self is not None and risk.risk_to_self.has_current_concerns
    alerts = prison_system.get_prison_record("A1015AR").acct_alerts
    assert any(a.is_active_on(ANCHOR) for a in alerts)


def test_demo_welsh_case(case_system) -> None:
    person = case_system.find_by_crn("X100016")
    assert person.manager.region_code == "N03"
    assert person.first_name in NAMES["welsh"][0]
    assert person.prison_name == "Berwyn (HMP)"


def test_demo_release_types(prison_system) -> None:
    assert prison_system.get_prison_record("A1017AT").release_date < ANCHOR
    assert prison_system.get_prison_record("A1018AU").release_type == "Fixed-term recall"
    assert len(prison_system.get_prison_record("A1018AU").adjudications) == 4
    assert prison_system.get_prison_record("A1019AV").release_type == "HDC"
    remand = prison_system.get_prison_record("A1020AW")
    assert (remand.release_type, remand.release_date) == ("Remand / bail", None)


def test_demo_hate_crime_and_domestic_abuse(risk_system) -> None:
    flags = set(risk_system.get_risk("X100021").flags)
    assert {"Hate crime", "Domestic abuse perpetrator", "Risk to known adult"} <= flags


def test_demo_one_person_in_each_region(case_system) -> None:
    regional = [crn for crn in DEMO_CRNS if crn.startswith("X2000")]
    regions = {case_system.find_by_crn(crn).manager.region_code for crn in regional}
    expected = {r.delius_code for r in reference_data.regions()} - {reference_data.NATIONAL_REGION_CODE}
    assert regions == expected
    for crn in regional:
        region = reference_data.regions_by_code()[case_system.find_by_crn(crn).manager.region_code]
        assert region.name in DEMO_CRNS[crn]


def test_demo_unknown_crn(case_system, risk_system) -> None:
    with pytest.raises(PersonNotFound):
        case_system.find_by_crn("X000000")
    with pytest.raises(PersonNotFound):
        risk_system.get_risk("X000000")
    assert case_system.check_access("X000000", "anyone").allowed  # as NDelius answers


def test_demo_failing_upstreams(case_system, risk_system, prison_system) -> None:
    with pytest.raises(UpstreamUnavailable):
        case_system.find_by_crn("X999991")
    with pytest.raises(UpstreamUnavailable):
        case_system.search("x999991")
    assert all(p.crn != "X999991" for p in case_system.search("X99999"))
    with pytest.raises(UpstreamUnavailable):
        risk_system.get_risk("X999992")
    with pytest.raises(UpstreamUnavailable):
        prison_system.get_prison_record(case_system.find_by_crn("X999993").noms_number)


def test_search_by_name_and_limit(case_system) -> None:
    found = case_system.search("hughes", limit=5)
    assert 1 <= len(found) <= 5
    assert all("hughes" in p.name.casefold() for p in found)
    assert found[0].crn == "X100001"  # demo people come first
    assert case_system.search("   ") == []
    assert [p.crn for p in case_system.search("A1001AA")] == ["X100001"]


def test_national_pool_people_are_made_on_demand_and_deterministic():
    system = SyntheticCaseSystem()
    crns = {national_crn(i) for i in (GENERATED_PEOPLE, 50_000, NATIONAL_POOL - 1)}
    assert len(crns) == 3
    for crn in crns:
        person = system.find_by_crn(crn)
        assert person.crn == crn and person == SyntheticCaseSystem().find_by_crn(crn)
    # A CRN of the right shape that the scheme never makes (wrong letter) is still unknown.
    crn = national_crn(50_000)
    wrong = ("A" if crn[0] != "A" else "B") + crn[1:]
    import pytest

    from cas.people.ports import PersonNotFound

    with pytest.raises(PersonNotFound):
        system.find_by_crn(wrong)
