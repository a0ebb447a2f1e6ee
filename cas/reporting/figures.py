"""The parts every figure of the delivery dashboard is made of: the numbers (shares, averages and
medians rounded as in the official statistics; whole days and nights between dates, in SQL on SQLite
and PostgreSQL alike; months) and the dashboard's types (`Scope`, `Figure`, `Series`, `AreaColumn`,
`Dashboard`). `dashboard.py` builds the dashboard from them, with the booking figures of
`booking_figures.py`.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, Func, IntegerField, Q, Value
from django.db.models.functions import Greatest, Least, TruncMonth
from django.utils import timezone

from cas.reporting.statistics import percentage

# ---------------------------------------------------------------------------------------------
# Numbers


def share(part: int, total: int) -> str:
    """`part` as a percentage of `total`, rounded half up to one decimal place (0.0 when empty)."""
    return percentage(part, total)


def one_decimal(value: Decimal | int | None) -> str | None:
    if value is None:
        return None
    return f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):.1f}"


def average(total: int | None, count: int) -> str | None:
    return one_decimal(Decimal(total or 0) / Decimal(count)) if count else None


class DaysBetween(Func):
    """Whole days from `earlier` to `later` (negative when `later` is earlier), on SQLite and
    PostgreSQL alike. Django's own date subtraction gives a duration whose type differs by database."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - only the two below are used
        raise NotImplementedError(f"DaysBetween is not written for {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra):
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return f"(({later})::date - ({earlier})::date)", (*later_params, *earlier_params)

    def as_sqlite(self, compiler, connection, **extra):
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return (
            f"CAST(ROUND(julianday({later}) - julianday({earlier})) AS INTEGER)",
            (*later_params, *earlier_params),
        )


def date_value(value: dt.date) -> Value:
    return Value(value, output_field=DateField())


def nights_within(first_night, end_exclusive, start: dt.date, end: dt.date):
    """The nights of `[first_night, end_exclusive)` (a stay: the departure day is not a night) that
    fall in the period `start`..`end` (both included), never below zero."""
    return Greatest(
        Value(0),
        DaysBetween(
            Least(end_exclusive, date_value(end + dt.timedelta(days=1))), Greatest(first_night, date_value(start))
        ),
        output_field=IntegerField(),
    )


def days_within(first_day, last_day, start: dt.date, end: dt.date):
    """The days of `first_day`..`last_day` (both included, as a void period) in `start`..`end`."""
    return Greatest(
        Value(0),
        DaysBetween(Least(last_day, date_value(end)), Greatest(first_day, date_value(start))) + Value(1),
        output_field=IntegerField(),
    )


def median(queryset, expression) -> Decimal | None:
    """The median of `expression` over `queryset`: the middle value, or the mean of the two middle
    values, read from the database in order (two one-row queries after the count)."""
    values = queryset.annotate(_median_value=expression).order_by("_median_value")
    values = values.values_list("_median_value", flat=True)
    count = values.count()
    if not count:
        return None
    low, high = values[(count - 1) // 2], values[count // 2]
    return (Decimal(low) + Decimal(high)) / 2


def aware(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in England and Wales, for filtering timestamps by date."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def by_month(queryset, date_field: str, months: list[dt.date]) -> list[int]:
    """Rows per calendar month of `date_field` (a date or a timestamp), in one grouped query."""
    counted = {}
    for month, n in (
        queryset.annotate(_month=TruncMonth(date_field)).values_list("_month").annotate(n=Count("pk")).order_by()
    ):
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counted[month] = counted.get(month, 0) + n
    return [counted.get(m, 0) for m in months]


# ---------------------------------------------------------------------------------------------
# The dashboard


@dataclass(frozen=True)
class Scope:
    region_id: int | None = None
    pdu_id: int | None = None

    def q(self, region_field: str = "region_id", pdu_field: str = "pdu_id") -> Q:
        q = Q()
        if self.region_id:
            q &= Q(**{region_field: self.region_id})
        if self.pdu_id:
            q &= Q(**{pdu_field: self.pdu_id})
        return q

    def filter(self, premises_prefix: str = "") -> Q:
        return self.q(f"{premises_prefix}region_id", f"{premises_prefix}pdu_id")


@dataclass
class Figure:
    key: str
    label: str
    value: object  # an int (counts), a string with one decimal place (shares, averages) or None
    unit: str = ""  # "%", "nights", "days" or ""
    detail: str = ""


@dataclass
class Series:
    key: str
    label: str
    values: list
    unit: str = ""


@dataclass(frozen=True)
class AreaColumn:
    key: str
    label: str
    unit: str = ""


@dataclass
class Dashboard:
    start: dt.date
    end: dt.date
    scope: Scope
    figures: list[Figure] = field(default_factory=list)
    months: list[dt.date] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    local_authorities: list[str] = field(default_factory=list)
    # The breakdown: by region (national view) or by PDU (a region); none for a PDU.
    area_kind: str = ""
    area_columns: list[AreaColumn] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    @property
    def monthly_series(self) -> list[tuple[str, str]]:
        return [(s.key, s.label) for s in self.series]

    @property
    def monthly(self) -> list[dict]:
        return [{"month": m, **{s.key: s.values[i] for s in self.series}} for i, m in enumerate(self.months)]
