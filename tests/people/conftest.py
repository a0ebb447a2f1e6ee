"""Fixtures for the people ports: synthetic adapters and HTTP adapters replaying recordings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from cas.people import http, replay, synthetic
from cas.people.ports import CaseSystem, PrisonSystem, RiskSystem

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
        synthetic.SyntheticCaseSystem(clock=fixed_clock),
        synthetic.SyntheticRiskSystem(clock=fixed_clock),
        synthetic.SyntheticPrisonSystem(clock=fixed_clock),
    )


def recorded_http_adapters(session: replay.RecordedSession | None = None) -> Adapters:
    session = session if session is not None else replay.RecordedSession()
    return Adapters(
        "http",
        http.HttpCaseSystem("https://delius.invalid", session=session, retry_delay=0, clock=fixed_clock),
        http.HttpRiskSystem(
            "https://risk.invalid",
            session=session,
            case_base_url="https://delius.invalid",
            tier_base_url="https://tier.invalid",
            retry_delay=0,
            clock=fixed_clock,
        ),
        http.HttpPrisonSystem(
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
def case_system() -> synthetic.SyntheticCaseSystem:
    return synthetic.SyntheticCaseSystem(clock=fixed_clock)


@pytest.fixture
def risk_system() -> synthetic.SyntheticRiskSystem:
    return synthetic.SyntheticRiskSystem(clock=fixed_clock)


@pytest.fixture
def prison_system() -> synthetic.SyntheticPrisonSystem:
    return synthetic.SyntheticPrisonSystem(clock=fixed_clock)
