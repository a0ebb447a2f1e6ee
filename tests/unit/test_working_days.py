import datetime as dt
import io
import json
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command

from cas.core import working_days
from cas.core.working_days import (
    add_working_days,
    bank_holidays,
    coverage,
    is_working_day,
    next_working_day,
    working_days_between,
)

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "govuk-bank-holidays-response.json"
D = dt.date


def test_bundled_list_is_england_and_wales_and_covers_2026_and_2027():
    holidays = bank_holidays()
    for day in (D(2026, 4, 3), D(2026, 4, 6), D(2026, 12, 25), D(2026, 12, 28), D(2027, 3, 26), D(2027, 12, 27)):
        assert day in holidays
    # St Andrew's Day and 2 January are Scottish bank holidays, not England and Wales ones.
    assert D(2026, 11, 30) not in holidays and D(2026, 1, 2) not in holidays
    first, last = coverage()
    assert first.year <= 2025 and last.year >= 2027


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(D(2026, 4, 2))  # Thursday before Easter
    assert not is_working_day(D(2026, 4, 3))  # Good Friday
    assert not is_working_day(D(2026, 4, 4)) and not is_working_day(D(2026, 4, 5))
    assert not is_working_day(D(2026, 4, 6))  # Easter Monday
    assert is_working_day(D(2026, 4, 7))


def test_counting_across_the_easter_bank_holiday_weekend():
    # Departure on Thursday 2 April 2026: Good Friday, the weekend and Easter Monday are skipped.
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    assert add_working_days(D(2026, 4, 2), 2) == D(2026, 4, 8)
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 8)) == 2


def test_counting_across_christmas_with_a_substitute_boxing_day():
    # 25 December 2026 is a Friday, so Boxing Day moves to Monday 28 December.
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 24)
    assert add_working_days(D(2026, 12, 23), 2) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 24), 3) == D(2026, 12, 31)
    assert next_working_day(D(2026, 12, 24)) == D(2026, 12, 29)


def test_zero_days_is_a_same_day_turnaround_and_negative_is_refused():
    assert add_working_days(D(2026, 4, 3), 0) == D(2026, 4, 3)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 4, 3), -1)


def test_ordinary_week_counts_weekdays_only():
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday -> Monday
    assert add_working_days(D(2026, 11, 16), 5) == D(2026, 11, 23)
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 16)) == 0


class RecordedResponse:
    def __init__(self, payload, status=200):
        self._payload = payload
        self.status_code = status

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code} error")

    def json(self):
        if isinstance(self._payload, Exception):
            raise self._payload
        return self._payload


def test_refresh_command_keeps_england_and_wales_from_the_recorded_response(monkeypatch, tmp_path):
    calls = []

    def fake_get(url, timeout, headers):
        calls.append((url, timeout))
        return RecordedResponse(json.loads(RECORDED.read_text()))

    monkeypatch.setattr(requests, "get", fake_get)
    output = tmp_path / "holidays.json"
    out = io.StringIO()
    call_command("refresh_bank_holidays", output=str(output), stdout=out)
    assert "Saved" in out.getvalue()
    assert calls == [("https://www.gov.uk/bank-holidays.json", 10)]
    saved = json.loads(output.read_text())
    assert saved["division"] == "england-and-wales"
    dates = {e["date"] for e in saved["events"]}
    assert "2026-04-06" in dates and "2026-11-30" not in dates  # no Scottish St Andrew's Day
    assert saved["events"] == sorted(saved["events"], key=lambda e: e["date"])
    # The bundled copy is exactly what the command writes from the same response.
    bundled = json.loads(working_days.BANK_HOLIDAYS_FILE.read_text())
    assert bundled["events"] == saved["events"]


def test_refresh_command_reports_network_and_format_failures(monkeypatch, tmp_path):
    def timeout(url, timeout, headers):
        raise requests.Timeout("read timed out")

    monkeypatch.setattr(requests, "get", timeout)
    with pytest.raises(CommandError, match="Could not download the bank holidays"):
        call_command("refresh_bank_holidays", output=str(tmp_path / "x.json"))

    monkeypatch.setattr(requests, "get", lambda url, timeout, headers: RecordedResponse({"scotland": {"events": []}}))
    with pytest.raises(CommandError, match="no england-and-wales"):
        call_command("refresh_bank_holidays", output=str(tmp_path / "x.json"))

    monkeypatch.setattr(requests, "get", lambda url, timeout, headers: RecordedResponse({}, status=503))
    with pytest.raises(CommandError, match="503"):
        call_command("refresh_bank_holidays", output=str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()
