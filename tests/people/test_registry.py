"""Choosing adapters from settings, without configuring Django."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from cas.people import registry, replay
from cas.people.http.case_system import HttpCaseSystem
from cas.people.http.prison_system import HttpPrisonSystem
from cas.people.http.risk_system import HttpRiskSystem
from cas.people.synthetic.case_system import SyntheticCaseSystem
from cas.people.synthetic.prison_system import SyntheticPrisonSystem
from cas.people.synthetic.risk_system import SyntheticRiskSystem


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimpleNamespace]:
    """A stand-in for ``django.conf`` so the registry reads our settings, with Django unconfigured."""
    fake_settings = SimpleNamespace()
    fake_conf = ModuleType("django.conf")
    fake_conf.settings = fake_settings  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "django.conf", fake_conf)
    registry.reset_adapters()
    yield fake_settings
    registry.reset_adapters()


def test_defaults_to_synthetic_without_the_setting(settings: SimpleNamespace) -> None:
    assert isinstance(registry.get_case_system(), SyntheticCaseSystem)
    assert isinstance(registry.get_risk_system(), SyntheticRiskSystem)
    assert isinstance(registry.get_prison_system(), SyntheticPrisonSystem)


def test_defaults_to_synthetic_for_ports_left_out(settings: SimpleNamespace) -> None:
    settings.INTEGRATIONS = {
        "case_system": {"class": "cas.people.http.case_system.HttpCaseSystem", "base_url": "https://d.invalid"}
    }
    assert isinstance(registry.get_case_system(), HttpCaseSystem)
    assert isinstance(registry.get_risk_system(), SyntheticRiskSystem)


def test_http_adapters_get_base_url_timeout_and_extra_options(settings: SimpleNamespace) -> None:
    settings.INTEGRATIONS = {
        "risk_system": {
            "class": "cas.people.http.risk_system.HttpRiskSystem",
            "base_url": "https://risk.invalid",
            "timeout": 2.0,
            "case_base_url": "https://delius.invalid",
            "tier_base_url": "https://tier.invalid",
            "session": "cas.people.replay.RecordedSession",
        }
    }
    adapter: Any = registry.get_risk_system()
    assert isinstance(adapter, HttpRiskSystem)
    assert adapter._client.base_url == "https://risk.invalid"
    assert adapter._client.timeout == 2.0
    assert adapter._case_client.base_url == "https://delius.invalid"
    assert isinstance(adapter._client.session, replay.RecordedSession)
    # The recorded session makes the HTTP adapter usable offline, for demos.
    assert adapter.get_risk("X100004").mappa is not None


def test_token_provider_is_imported_from_a_dotted_path(
    settings: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = ModuleType("people_test_tokens")
    module.token = lambda: "t0k3n"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "people_test_tokens", module)
    settings.INTEGRATIONS = {
        "case_system": {
            "class": "cas.people.http.case_system.HttpCaseSystem",
            "base_url": "https://delius.invalid",
            "session": "cas.people.replay.RecordedSession",
            "token_provider": "people_test_tokens.token",
        }
    }
    adapter: Any = registry.get_case_system()
    adapter.find_by_crn("X100001")
    assert adapter._client.session.calls[0].headers["Authorization"] == "Bearer t0k3n"


def test_synthetic_options_pass_through(settings: SimpleNamespace) -> None:
    settings.INTEGRATIONS = {
        "prison_system": {"class": "cas.people.synthetic.prison_system.SyntheticPrisonSystem", "anchor": "2027-01-04"}
    }
    adapter: Any = registry.get_prison_system()
    assert adapter.anchor.isoformat() == "2027-01-04"


def test_instances_are_cached_until_reset(settings: SimpleNamespace) -> None:
    first = registry.get_case_system()
    assert registry.get_case_system() is first
    registry.reset_adapters()
    assert registry.get_case_system() is not first


def test_a_different_base_url_is_a_different_instance(settings: SimpleNamespace) -> None:
    settings.INTEGRATIONS = {
        "case_system": {"class": "cas.people.http.case_system.HttpCaseSystem", "base_url": "https://a.invalid"}
    }
    first = registry.get_case_system()
    settings.INTEGRATIONS = {
        "case_system": {"class": "cas.people.http.case_system.HttpCaseSystem", "base_url": "https://b.invalid"}
    }
    assert registry.get_case_system() is not first


@pytest.mark.parametrize(
    ("port", "old_path", "cls"),
    [
        ("case_system", "cas.people.http.HttpCaseSystem", HttpCaseSystem),
        ("risk_system", "cas.people.http.HttpRiskSystem", HttpRiskSystem),
        ("prison_system", "cas.people.http.HttpPrisonSystem", HttpPrisonSystem),
        ("case_system", "cas.people.synthetic.SyntheticCaseSystem", SyntheticCaseSystem),
        ("risk_system", "cas.people.synthetic.SyntheticRiskSystem", SyntheticRiskSystem),
        ("prison_system", "cas.people.synthetic.SyntheticPrisonSystem", SyntheticPrisonSystem),
    ],
)
def test_a_path_from_before_the_adapters_were_split_still_chooses_the_adapter(
    settings: SimpleNamespace, port: str, old_path: str, cls: type
) -> None:
    # Deployed settings and the *_ADAPTER environment variables may still name these.
    get_adapter = {
        "case_system": registry.get_case_system,
        "risk_system": registry.get_risk_system,
        "prison_system": registry.get_prison_system,
    }[port]
    settings.INTEGRATIONS = {port: {"class": old_path, "base_url": "https://upstream.invalid"}}
    adapter = get_adapter()
    assert type(adapter) is cls
    # The same cached instance as the new path's: the old path is only another name for it.
    settings.INTEGRATIONS = {port: {"class": registry.MOVED_CLASSES[old_path], "base_url": "https://upstream.invalid"}}
    assert get_adapter() is adapter


def test_a_bad_class_path_fails_loudly(settings: SimpleNamespace) -> None:
    settings.INTEGRATIONS = {"case_system": {"class": "NoSuchClass"}}
    with pytest.raises(ImportError):
        registry.get_case_system()


def test_adapters_read_the_services_clock(settings: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The synthetic people's dates and every adapter's timestamps follow cas.core.clock, so a test
    that moves the service's clock (and a demo run on any day) sees people whose releases are ahead."""
    from django.utils import timezone

    instant = datetime(2027, 2, 3, 10, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    prison: Any = registry.get_prison_system()
    record = prison.get_prison_record("A1001AA")
    assert prison.anchor == date(2027, 2, 3) and record.fetched_at == instant
    assert record.release_date == date(2027, 2, 3) + timedelta(days=42)
    later = datetime(2027, 5, 4, 10, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert prison.get_prison_record("A1001AA").release_date == date(2027, 5, 4) + timedelta(days=42)
    assert registry.get_case_system().find_by_crn("X100001").fetched_at == later
