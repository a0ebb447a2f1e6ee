"""Dates written for people and files, and month arithmetic: the one place for both.

Plain Python, no Django: the people ports use it and run without Django. A caller with an aware
datetime turns it into local time first (`django.utils.timezone.localtime`). Working days are in
`working_days.py`; what "today" is comes from `clock.py`.
"""

import calendar
import datetime as dt

LONG = "%-d %B %Y"  # 7 December 2026, the GOV.UK style
LONG_PADDED = "%d %B %Y"  # 07 December 2026
SHORT = "%d %b %Y"  # 07 Dec 2026
MONTH = "%B %Y"  # December 2026
MONTH_KEY = "%Y-%m"  # 2026-12, a month in a file or the API
NUMERIC = "%-d %-m %Y"  # 7 12 2026, as typed into a GOV.UK date input (for its hint)


def format_date(day: dt.date | None, fmt: str = LONG) -> str:
    """`day` (a date, or a datetime already in local time) in `fmt`; empty when there is none."""
    if day in (None, ""):
        return ""
    return day.strftime(fmt)


def long_date(day: dt.date | None, *, missing: str = "") -> str:
    """7 December 2026; `missing` when there is no date."""
    return day.strftime(LONG) if day else missing


def short_date(day: dt.date) -> str:
    """07 Dec 2026."""
    return day.strftime(SHORT)


def month_name(day: dt.date) -> str:
    """December 2026."""
    return day.strftime(MONTH)


def month_key(day: dt.date) -> str:
    """2026-12."""
    return day.strftime(MONTH_KEY)


def numeric_date(day: dt.date) -> str:
    """7 12 2026: an example for a GOV.UK date input's hint."""
    return day.strftime(NUMERIC)


def long_date_time(moment: dt.datetime) -> str:
    """7 December 2026 at 3:05pm (`moment` already in local time)."""
    return moment.strftime(f"{LONG} at %-I:%M%p").replace("AM", "am").replace("PM", "pm")


def format_iso_text(value, fmt: str = LONG) -> str:
    """A date kept as ISO text (a JSON snapshot, an audit record) in `fmt`; the text itself when it is not
    a date, empty when there is none."""
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime(fmt)
    except ValueError:
        return str(value)


# Month arithmetic ------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier, when negative), or that month's last day when it is shorter
    (31 August + 6 months is 28 or 29 February)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from `start`'s to `end`'s, both included."""
    months, day = [], month_start(start)
    while day <= end:
        months.append(day)
        day = add_months(day, 1)
    return months


def month_windows(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(month, first day in the period, last day in the period) for every month the period touches."""
    return [(m, max(m, start), min(month_end(m), end)) for m in month_starts(start, end)]


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the calendar quarter (January, April, July, October) containing `day`."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
