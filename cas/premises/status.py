"""The status of properties and bedspaces, derived from their dates in this one place.

Nothing stores a status: `bedspace_status_on` / `premises_status_on` answer for one record, and the
matching `*_status_expression` gives the same answer inside a query (for lists, counts and filters).
`tests/domain/test_premises_status.py` checks the two agree for every combination of dates.

Dates: `start_date` is the first day in service; `end_date` (the archive date) is the first day out
of service, so a bedspace archived on 1 March was last available on 28 February.
"""

import datetime as dt

from django.db import models
from django.db.models import Case, Q, Value, When


class BedspaceStatus(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    ONLINE = "online", "Online"
    ARCHIVED = "archived", "Archived"


class PremisesStatus(models.TextChoices):
    ONLINE = "online", "Online"
    ARCHIVED = "archived", "Archived"


def bedspace_status_on(start_date: dt.date, end_date: dt.date | None, day: dt.date) -> BedspaceStatus:
    if end_date is not None and end_date <= day:
        return BedspaceStatus.ARCHIVED
    if start_date > day:
        return BedspaceStatus.UPCOMING
    return BedspaceStatus.ONLINE


def bedspace_status_expression(day: dt.date, prefix: str = "") -> Case:
    return Case(
        When(Q(**{f"{prefix}end_date__isnull": False, f"{prefix}end_date__lte": day}), then=Value("archived")),
        When(Q(**{f"{prefix}start_date__gt": day}), then=Value("upcoming")),
        default=Value("online"),
        output_field=models.CharField(max_length=10),
    )


def premises_status_on(start_date: dt.date, end_date: dt.date | None, day: dt.date) -> PremisesStatus:
    """A property is archived from its archive date, and until the date it comes back online."""
    if (end_date is not None and end_date <= day) or start_date > day:
        return PremisesStatus.ARCHIVED
    return PremisesStatus.ONLINE


def premises_status_expression(day: dt.date) -> Case:
    return Case(
        When(Q(end_date__isnull=False, end_date__lte=day) | Q(start_date__gt=day), then=Value("archived")),
        default=Value("online"),
        output_field=models.CharField(max_length=10),
    )


def premises_status_filter(status: str, day: dt.date) -> Q:
    if status == PremisesStatus.ARCHIVED:
        return Q(end_date__isnull=False, end_date__lte=day) | Q(start_date__gt=day)
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def bedspace_status_filter(status: str, day: dt.date, prefix: str = "") -> Q:
    """The rows `bedspace_status_expression` gives `status`, as a filter (for counts and lists)."""
    archived = Q(**{f"{prefix}end_date__isnull": False, f"{prefix}end_date__lte": day})
    not_archived = Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    if status == BedspaceStatus.ARCHIVED:
        return archived
    if status == BedspaceStatus.UPCOMING:
        return Q(**{f"{prefix}start_date__gt": day}) & not_archived
    return Q(**{f"{prefix}start_date__lte": day}) & not_archived
