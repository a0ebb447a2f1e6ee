"""Dates written for people and files, and month arithmetic (cas/core/dates.py), the one home for both."""

import datetime as dt

import pytest

from cas.core import dates


def test_formats():
    day = dt.date(2026, 12, 7)
    assert dates.long_date(day) == "7 December 2026"
    assert dates.short_date(day) == "07 Dec 2026"
    assert dates.month_name(day) == "December 2026"
    assert dates.month_key(day) == "2026-12"
    assert dates.numeric_date(day) == "7 12 2026"
    assert dates.format_date(day, dates.LONG_PADDED) == "07 December 2026"
    assert dates.format_date(day, "%b %y") == "Dec 26"


def test_missing_dates():
    assert dates.long_date(None) == ""
    assert dates.long_date(None, missing="not given") == "not given"
    assert dates.format_date(None) == "" and dates.format_date("") == ""


def test_a_datetime_is_written_as_it_is_given():
    assert dates.long_date_time(dt.datetime(2026, 1, 5, 15, 5)) == "5 January 2026 at 3:05pm"
    assert dates.long_date_time(dt.datetime(2026, 1, 5, 0, 30)) == "5 January 2026 at 12:30am"
    assert dates.format_date(dt.datetime(2026, 1, 5, 23, 59)) == "5 January 2026"


def test_iso_text():
    assert dates.format_iso_text("2024-02-29") == "29 February 2024"
    assert dates.format_iso_text("2024-02-29T10:00:00+00:00", "%d %b %Y") == "29 Feb 2024"
    assert dates.format_iso_text("not a date") == "not a date"
    assert dates.format_iso_text(None) == "" and dates.format_iso_text("") == ""


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
        (dt.date(2027, 1, 15), -1, dt.date(2026, 12, 15)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 31), -2, dt.date(2025, 11, 30)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 4, 30)),
        (dt.date(2026, 5, 10), 0, dt.date(2026, 5, 10)),
        (dt.date(2026, 5, 10), -24, dt.date(2024, 5, 10)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(day, months, expected):
    assert dates.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (dt.date(2024, 2, 10), dt.date(2024, 2, 29)),
        (dt.date(2023, 2, 10), dt.date(2023, 2, 28)),
        (dt.date(2100, 2, 1), dt.date(2100, 2, 28)),
        (dt.date(2000, 2, 1), dt.date(2000, 2, 29)),
        (dt.date(2026, 12, 31), dt.date(2026, 12, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
    ],
)
def test_month_start_and_end(day, end):
    assert dates.month_start(day) == day.replace(day=1)
    assert dates.month_end(day) == end


def test_month_starts_cross_the_year_and_include_both_ends():
    assert dates.month_starts(dt.date(2026, 11, 30), dt.date(2027, 2, 1)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
    ]
    assert dates.month_starts(dt.date(2026, 5, 10), dt.date(2026, 5, 20)) == [dt.date(2026, 5, 1)]
    assert dates.month_starts(dt.date(2026, 5, 10), dt.date(2026, 4, 20)) == []


def test_month_windows_clip_the_first_and_last_month_to_the_period():
    assert dates.month_windows(dt.date(2024, 1, 15), dt.date(2024, 3, 10)) == [
        (dt.date(2024, 1, 1), dt.date(2024, 1, 15), dt.date(2024, 1, 31)),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (dt.date(2024, 3, 1), dt.date(2024, 3, 1), dt.date(2024, 3, 10)),
    ]


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 3, 31), dt.date(2026, 1, 1)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
        (dt.date(2026, 8, 15), dt.date(2026, 7, 1)),
        (dt.date(2026, 12, 31), dt.date(2026, 10, 1)),
    ],
)
def test_quarter_start(day, start):
    assert dates.quarter_start(day) == start


def test_a_year_back_from_the_month_start_is_what_the_dashboard_counted_as_365_days():
    # The dashboard's default period was (first of month - 365 days).replace(day=1): the same month a
    # year before, leap year or not.
    for day in dates.month_starts(dt.date(2020, 1, 1), dt.date(2030, 12, 1)):
        assert dates.add_months(dates.month_start(day), -12) == (day.replace(day=1) - dt.timedelta(days=365)).replace(
            day=1
        )
