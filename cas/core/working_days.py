"""Working-day arithmetic for England and Wales: weekends and bank holidays are not working days.

Turnarounds (the time a bedspace needs between one person leaving and the next arriving) are set in
working days. The bank holidays come from a copy of GOV.UK's official list bundled in
`cas/core/data/bank-holidays-england-and-wales.json`, so nothing here reaches the network;
`manage.py refresh_bank_holidays` replaces the copy with the latest list.

Conventions (the MoJ's): `add_working_days(day, 0)` is `day` itself (a same-day turnaround);
`add_working_days(day, n)` is the n-th working day after `day`.
"""

import datetime as dt
import json
import logging
from functools import lru_cache
from pathlib import Path

BANK_HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "bank-holidays-england-and-wales.json"
DIVISION = "england-and-wales"

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _load() -> tuple[frozenset[dt.date], dt.date, dt.date]:
    data = json.loads(BANK_HOLIDAYS_FILE.read_text(encoding="utf-8"))
    dates = frozenset(dt.date.fromisoformat(event["date"]) for event in data["events"])
    return dates, min(dates), max(dates)


def reload() -> None:
    """Forget the cached list (after `refresh_bank_holidays` wrote a new copy)."""
    _load.cache_clear()


def bank_holidays() -> frozenset[dt.date]:
    return _load()[0]


def coverage() -> tuple[dt.date, dt.date]:
    """The first and last bank holiday in the bundled list."""
    _, first, last = _load()
    return first, last


def _warn_if_uncovered(day: dt.date) -> None:
    _, _, last = _load()
    if day.year > last.year:
        # Counting still works (weekends are skipped) but bank holidays that year are unknown.
        logger.warning(
            "working days: %s is after the last bank holiday in the bundled list (%s); "
            "run manage.py refresh_bank_holidays",
            day,
            last,
        )


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `day`; `day` itself when `count` is 0."""
    if count < 0:
        raise ValueError("count must be 0 or more")
    current = day
    remaining = count
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    if count:
        _warn_if_uncovered(current)
    return current


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after `day` (where a turnaround starts)."""
    return add_working_days(day, 1)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days fall after `start`, up to and including `end`."""
    if end <= start:
        return 0
    holidays = bank_holidays()
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            count += 1
    return count
