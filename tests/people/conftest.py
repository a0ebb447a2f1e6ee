"""Fixtures for the people ports: synthetic adapters and HTTP adapters replaying recordings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from cas.people import replay
from cas.people.http.case_system import HttpCaseSystem
from cas.people.http.prison_system import HttpPrisonSystem
from cas.people.http.risk_system import HttpRiskSystem
from cas.people.ports import CaseSystem, PrisonSystem, RiskSystem
from cas.people.synthetic.case_system import SyntheticCaseSystem
from cas.people.synthetic.prison_system import SyntheticPrisonSystem
from cas.people.synthetic.risk_system import SyntheticRiskSystem

FIXED_NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED_NOW


@dataclass(frozen=True)
class Adapters:
    kind: str
    case: CaseSystem
    risk: RiskSystem
    prison: PrisonSystem
    session: replay.RecordedSession | None = None


def synthetic_adapters() -> Adapters:
    return Adapters(
        "synthetic",
        SyntheticCaseSystem(clock=fixed_clock),
        SyntheticRiskSystem(clock=fixed_clock),
        SyntheticPrisonSystem(clock=fixed_clock),
    )


def recorded_http_adapters(session: replay.RecordedSession | None = None) -> Adapters:
    session = session if session is not None else replay.RecordedSession()
    return Adapters(
        "http",
        HttpCaseSystem("https://delius.invalid", session=session, retry_delay=0, clock=fixed_clock),
        HttpRiskSystem(
            "https://risk.invalid",
            session=session,
            case_base_url="https://delius.invalid",
            tier_base_url="https://tier.invalid",
            retry_delay=0,
            clock=fixed_clock,
        ),
        HttpPrisonSystem(
            "https://prison.invalid",
            session=session,
            alerts_base_url="https://alerts.invalid",
            retry_delay=0,
            clock=fixed_clock,
        ),
        session,
    )


@pytest.fixture(params=["synthetic", "http"])
def adapters(request: pytest.FixtureRequest) -> Adapters:
    """The same contract runs against both kinds of adapter."""
    return synthetic_adapters() if request.param == "synthetic" else recorded_http_adapters()


@pytest.fixture
def case_system() -> SyntheticCaseSystem:
    return SyntheticCaseSystem(clock=fixed_clock)


@pytest.fixture
def risk_system() -> SyntheticRiskSystem:
    return SyntheticRiskSystem(clock=fixed_clock)


@pytest.fixture
def prison_system() -> SyntheticPrisonSystem:
    return SyntheticPrisonSystem(clock=fixed_clock)
