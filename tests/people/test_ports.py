"""Behaviour of the port dataclasses and exceptions themselves."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import UTC, date, datetime

import pytest

from cas.people.ports import (
    AcctAlert,
    Concern,
    Mappa,
    NoPrisonNumber,
    Offence,
    OffenderManager,
    Person,
    PersonNotFound,
    RiskSummary,
    RiskToSelf,
    RoshLevels,
    UpstreamUnavailable,
    is_crn,
    is_noms_number,
)

MANAGER = OffenderManager(
    "N55A123", "Joanne Whitehead", "joanne.whitehead@justice.gov.uk", "Leeds Team 1", "N55LEE", "N55"
)


def offence(offence_id: str, *, is_index: bool) -> Offence:
    return Offence(offence_id, "Theft from a shop", "Theft", "Theft from a shop or stall", None, None, is_index)


def person(*offences: Offence) -> Person:
    return Person(
        crn="X320741",
        noms_number="A1234BC",
        pnc_number=None,
        first_name="Aled",
        last_name="Parry",
        date_of_birth=date(1990, 2, 28),
        sex="Male",
        gender_identity=None,
        ethnicity=None,
        nationality=None,
        religion=None,
        custody_status="In custody",
        prison_code=None,
        prison_name=None,
        offences=offences,
        manager=MANAGER,
        is_restricted=False,
        is_excluded=False,
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_name_joins_first_and_last_names() -> None:
    assert person().name == "Aled Parry"


def test_index_offence_is_the_flagged_one() -> None:
    flagged = offence("M2", is_index=True)
    assert person(offence("A1", is_index=False), flagged).index_offence == flagged


def test_index_offence_defaults_to_the_only_offence() -> None:
    only = offence("A1", is_index=False)
    assert person(only).index_offence == only


def test_index_offence_is_unknown_when_several_and_none_flagged() -> None:
    assert person(offence("A1", is_index=False), offence("A2", is_index=False)).index_offence is None
    assert person().index_offence is None


def test_age_counts_whole_years() -> None:
    born_on_leap_day_eve = person()
    assert born_on_leap_day_eve.age_on(date(2026, 2, 27)) == 35
    assert born_on_leap_day_eve.age_on(date(2026, 2, 28)) == 36


def test_people_are_immutable_and_fetched_at_is_not_part_of_equality() -> None:
    someone = person()
    with pytest.raises(FrozenInstanceError):
        someone.first_name = "Other"  # type: ignore[misc]
    assert replace(someone, fetched_at=datetime(2027, 1, 1, tzinfo=UTC)) == someone
    assert replace(someone, first_name="Rhys") != someone


def test_overall_rosh_is_the_highest_group() -> None:
    levels = RoshLevels.from_groups("Low", "Very high", None, "Medium")
    assert levels.overall == "Very high"
    assert levels.is_known
    assert not RoshLevels.unknown().is_known
    assert RoshLevels.from_groups(None, None, None, None).overall is None


def test_mappa_label() -> None:
    assert Mappa(2, 2).label == "CAT 2 / LEVEL 2"
    assert Mappa(1, None).label == "CAT 1 / LEVEL unknown"


def test_risk_to_self_concerns() -> None:
    calm = Concern(False, False)
    assert not RiskToSelf(calm, calm, calm, calm).has_any_concerns
    past = RiskToSelf(Concern(False, True), calm, calm, calm)
    assert past.has_any_concerns and not past.has_current_concerns
    assert RiskToSelf(calm, Concern(True, None), calm, calm).has_current_concerns


@pytest.mark.parametrize(
    ("completed", "recent"),
    [(date(2026, 5, 30), True), (date(2026, 5, 29), False), (None, False), (date(2026, 11, 1), True)],
)
def test_assessment_is_recent_within_six_months(completed: date | None, recent: bool) -> None:
    summary = RiskSummary("X320741", RoshLevels.unknown(), None, (), None, None, completed, None, datetime.now(UTC))
    assert summary.assessment_is_recent(date(2026, 11, 30)) is recent


def test_six_months_before_the_end_of_a_long_month() -> None:
    summary = RiskSummary(
        "X320741", RoshLevels.unknown(), None, (), None, None, date(2026, 2, 28), None, datetime.now(UTC)
    )
    assert summary.assessment_is_recent(date(2026, 8, 31))  # 31 August minus six months is 28 February


def test_acct_alert_is_active_between_creation_and_expiry() -> None:
    alert = AcctAlert("1", "Opened", date(2026, 1, 1), date(2026, 2, 1))
    assert alert.is_active_on(date(2026, 1, 15))
    assert not alert.is_active_on(date(2026, 2, 2))
    assert AcctAlert("2", "Opened", date(2026, 1, 1), None).is_active_on(date(2030, 1, 1))


def test_error_messages_are_fit_for_users() -> None:
    assert str(PersonNotFound("X000000")) == "No person with a CRN of 'X000000' was found"
    assert str(PersonNotFound("A1234BC")) == "No person with a prison number of 'A1234BC' was found"
    outage = UpstreamUnavailable("prison system", "GET /api/offenders/A1234BC: ReadTimeout")
    assert str(outage) == "The prison system is not responding. Try again later."
    assert outage.detail.endswith("ReadTimeout") and "ReadTimeout" not in str(outage)
    assert "X100010" in str(NoPrisonNumber("X100010"))
    assert "no prison number" in str(NoPrisonNumber())


@pytest.mark.parametrize(
    ("value", "crn", "noms"),
    [
        ("X320741", True, False),
        (" x320741 ", True, False),
        ("X32074", False, False),
        ("A1234BC", False, True),
        ("a1234bc", False, True),
        ("A12345C", False, False),
        ("", False, False),
    ],
)
def test_identifier_formats(value: str, crn: bool, noms: bool) -> None:
    assert (is_crn(value), is_noms_number(value)) == (crn, noms)
