"""When the provider should have decided on an application: its cohort's service level, counted in
working hours (court bail and alternatives to recall: within the hour, so an application submitted by
4pm is decided that day) or working days, on England and Wales working days (`cas.core.working_days`).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cas.core import working_days

# The provider's working hours, local time.
OPENS = dt.time(9, 0)
CLOSES = dt.time(17, 0)


def _start_of_working_time(moment: dt.datetime) -> dt.datetime:
    """The first working minute at or after `moment` (local time)."""
    day, time = moment.date(), moment.timetz().replace(tzinfo=None)
    if working_days.is_working_day(day) and time < CLOSES:
        return moment if time >= OPENS else moment.replace(hour=OPENS.hour, minute=0, second=0, microsecond=0)
    next_day = working_days.next_working_day(day) if working_days.is_working_day(day) else day
    while not working_days.is_working_day(next_day):
        next_day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(next_day, OPENS), moment.tzinfo)


def add_working_hours(moment: dt.datetime, hours: int) -> dt.datetime:
    """`moment` plus `hours` of the provider's working time (aware datetimes, local time)."""
    current = _start_of_working_time(timezone.localtime(moment))
    remaining = dt.timedelta(hours=hours)
    while True:
        closing = current.replace(hour=CLOSES.hour, minute=0, second=0, microsecond=0)
        if current + remaining <= closing:
            return current + remaining
        remaining -= closing - current
        current = _start_of_working_time(closing)


def due_at(submitted_at: dt.datetime, cohort) -> dt.datetime | None:
    """When a decision is due for an application of `cohort` submitted at `submitted_at` (None: the
    cohort has no service level). A working-day service level ends at the close of that working day."""
    if cohort is None:
        return None
    if cohort.service_level_working_hours:
        return add_working_hours(submitted_at, cohort.service_level_working_hours)
    if cohort.service_level_working_days:
        local = timezone.localtime(submitted_at)
        day = working_days.add_working_days(local.date(), cohort.service_level_working_days)
        return timezone.make_aware(dt.datetime.combine(day, CLOSES), local.tzinfo)
    return None


def describe(cohort) -> str:
    """The service level in words, for emails and pages."""
    if cohort is None:
        return ""
    hours, days = cohort.service_level_working_hours, cohort.service_level_working_days
    if hours:
        within = "within 1 working hour" if hours == 1 else f"within {hours} working hours"
        return f"{within} (applications submitted by 4pm are decided the same working day)"
    if days:
        return "within 1 working day" if days == 1 else f"within {days} working days"
    return ""


def is_overdue(submitted_at: dt.datetime | None, cohort, now: dt.datetime) -> bool:
    due = due_at(submitted_at, cohort) if submitted_at else None
    return due is not None and now > due
