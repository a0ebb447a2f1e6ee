"""CAS3 official statistics, computed by the published counting rules.

- Each placement counts once (a person placed twice counts twice).
- Performance years run 1 April to 31 March, written like 2024/25. Placements count in the year of
  their start date; outcomes in the year of their end date.
- Gender from the gender identity, or from sex when it is empty: Male and Transgender Male count as
  Male; Female and Transgender Female as Female; everything else (Non-binary, Transgender, empty) as Other.
- Outcome groups come from the move-on category's `outcome_group` (reference data); an ended stay
  with no category is Unknown / blank; the excluded group (deceased) is left out of every outcome
  figure and of the totals behind the percentages.

Placements come from two sources (`PLACEMENT_SOURCES`): the records imported from outside the service
(`ManualPlacement`), and the service's own CAS3 bookings with an arrival.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, NullIf, Trim

from cas.core.tiers import Service
from cas.placements.models import Booking
from cas.placements.status import BookingStatus
from cas.reference.models import MoveOnCategory, ProbationRegion
from cas.reporting.models import ManualPlacement

GENDERS = ("Male", "Female", "Other")
OUTCOME_GROUPS = tuple(
    (g.value, g.label) for g in MoveOnCategory.OutcomeGroup if g != MoveOnCategory.OutcomeGroup.EXCLUDED
)
ALL_REGIONS = "All regions"


@dataclass(frozen=True)
class PlacementRecord:
    reference: str
    region: str
    gender_identity: str
    sex: str
    start_date: dt.date
    end_date: dt.date | None
    outcome_group: str  # a MoveOnCategory.OutcomeGroup value, or "" when no category


def manual_placement_rows():
    """The imported records as rows with the fields the statistics count (`STAT_FIELDS`)."""
    return ManualPlacement.objects.annotate(
        stat_reference=F("placement_reference"),
        stat_region=F("region__name"),
        stat_gender_identity=F("gender_identity"),
        stat_sex=F("sex"),
        stat_start=F("start_date"),
        stat_end=F("end_date"),
        stat_group=F("move_on_category__outcome_group"),
    )


def records_of(rows, prefix: str = "") -> Iterator[PlacementRecord]:
    """The records of a source's rows (see `manual_placement_rows`), streamed."""
    fields = rows.values_list(*STAT_FIELDS)
    for reference, region, identity, sex, start, end, group in fields.iterator(chunk_size=5000):
        yield PlacementRecord(f"{prefix}{reference}", region, identity, sex, start, end, group or "")


def manual_placements() -> Iterator[PlacementRecord]:
    return records_of(manual_placement_rows())


def digital_placement_rows():
    """CAS3 bookings with an arrival, as rows with the fields the statistics count. Provisional,
    confirmed, cancelled and not-arrived bookings never placed anyone, and the other tiers' bookings
    are not CAS3 placements, so neither counts."""
    return (
        Booking.objects.filter(
            service=Service.CAS3,
            actual_arrival_date__isnull=False,
            status__in=(BookingStatus.ARRIVED, BookingStatus.DEPARTED, BookingStatus.CLOSED),
        )
        .order_by("actual_arrival_date", "pk")
        .annotate(
            stat_reference=F("pk"),
            stat_region=F("region__name"),
            stat_gender_identity=F("gender_identity"),
            stat_sex=F("sex"),
            stat_start=F("actual_arrival_date"),
            stat_end=F("actual_departure_date"),
            stat_group=F("move_on_category__outcome_group"),
        )
    )


def digital_placements() -> Iterator[PlacementRecord]:
    return records_of(digital_placement_rows(), prefix="booking:")


STAT_FIELDS = (
    "stat_reference",
    "stat_region",
    "stat_gender_identity",
    "stat_sex",
    "stat_start",
    "stat_end",
    "stat_group",
)
# Each source yields its records; a CAS2 or CAS1 source would be added here, with its rows.
PLACEMENT_SOURCES: tuple[Callable[[], Iterable[PlacementRecord]], ...] = (manual_placements, digital_placements)
# The same sources as querysets annotated with `STAT_FIELDS`, so the counting is done by the database
# (GROUP BY) rather than row by row in Python: the statistics then cost about what the bare SQL
# aggregation costs.
PLACEMENT_ROWS: tuple[Callable, ...] = (manual_placement_rows, digital_placement_rows)


def performance_year(day: dt.date) -> str:
    return _year_name(_year_of(day))


# The gender identity (or, when empty, the sex) each counted gender takes; anything else is Other.
# The same rule runs in Python (`gender_of`) and in SQL (`_count_rows`).
GENDER_VALUES = {"Male": ("Male", "Transgender Male"), "Female": ("Female", "Transgender Female")}


def gender_of(record: PlacementRecord) -> str:
    value = (record.gender_identity or record.sex or "").strip()
    return next((gender for gender, values in GENDER_VALUES.items() if value in values), "Other")


def outcome_group_of(record: PlacementRecord) -> str:
    return record.outcome_group or MoveOnCategory.OutcomeGroup.UNKNOWN


def percentage(part: int, total: int) -> str:
    if total == 0:
        return "0.0"
    value = (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value:.1f}"


@dataclass
class Table:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple]
    description: str

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _year_of(day: dt.date) -> int:
    """The calendar year a performance year starts in (1 April to 31 March)."""
    return day.year if day.month >= 4 else day.year - 1


def _year_name(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def _count_records(records: Iterable[PlacementRecord]) -> tuple[Counter, Counter]:
    """Placements by (performance year, region, gender) and outcomes by (performance year,
    region, group); years as the calendar year they start in."""
    placements: Counter = Counter()
    outcomes: Counter = Counter()
    for record in records:
        placements[(_year_of(record.start_date), record.region, gender_of(record))] += 1
        if record.end_date is not None:
            outcomes[(_year_of(record.end_date), record.region, outcome_group_of(record))] += 1
    return placements, outcomes


def _count_rows(sources: Iterable[Callable]) -> tuple[Counter, Counter]:
    """The same counts as `_count_records`, by the database: the performance year and the gender
    are worked out in SQL and every source grouped in one query (a UNION ALL of their GROUP BYs),
    so a few hundred rows come back however many placements there are."""

    def year(column):
        return Case(
            When(**{f"{column}_m__lt": 4}, then=F(f"{column}_y") - 1),
            default=F(f"{column}_y"),
        )

    gender = Case(
        *(When(stat_g__in=values, then=Value(gender)) for gender, values in GENDER_VALUES.items()),
        default=Value("Other"),
    )
    starts, ends = [], []
    for source in sources:
        rows = source().order_by()
        starts.append(
            rows.annotate(
                stat_start_y=ExtractYear("stat_start"),
                stat_start_m=ExtractMonth("stat_start"),
                stat_g=Trim(Coalesce(NullIf("stat_gender_identity", Value("")), "stat_sex", Value(""))),
            )
            .annotate(stat_py=year("stat_start"), stat_gender=gender)
            .values_list("stat_py", "stat_region", "stat_gender")
            .annotate(stat_n=Count("pk"))
            .order_by()
        )
        ends.append(
            rows.filter(stat_end__isnull=False)
            .annotate(stat_end_y=ExtractYear("stat_end"), stat_end_m=ExtractMonth("stat_end"))
            .annotate(stat_py=year("stat_end"))
            .values_list("stat_py", "stat_region", "stat_group")
            .annotate(stat_n=Count("pk"))
            .order_by()
        )
    placements: Counter = Counter()
    outcomes: Counter = Counter()
    if not starts:
        return placements, outcomes
    for py, region, gender_name, count in starts[0].union(*starts[1:], all=True).order_by():
        placements[(py, region, gender_name)] += count
    for py, region, group, count in ends[0].union(*ends[1:], all=True).order_by():
        outcomes[(py, region, group or MoveOnCategory.OutcomeGroup.UNKNOWN)] += count
    return placements, outcomes


def compute(records: Iterable[PlacementRecord] | None = None) -> list[Table]:
    """The tables, from `records`, or (by default) from every source, counted by the database."""
    if records is None:
        counted_placements, counted_outcomes = _count_rows(PLACEMENT_ROWS)
    else:
        counted_placements, counted_outcomes = _count_records(records)
    regions = list(
        ProbationRegion.objects.exclude(delius_code=ProbationRegion.NATIONAL_CODE)
        .values_list("name", flat=True)
        .order_by("name")
    )
    group_labels = dict(OUTCOME_GROUPS)

    placements_region: Counter = Counter()
    placements_gender: Counter = Counter()
    placements_year: Counter = Counter()
    outcomes_group: Counter = Counter()
    outcomes_region: Counter = Counter()
    outcomes_year: Counter = Counter()

    for (start, region, gender), count in counted_placements.items():
        year = _year_name(start)
        placements_year[year] += count
        placements_region[(year, region)] += count
        placements_gender[(year, gender)] += count
    for (start, region, group), count in counted_outcomes.items():
        if group == MoveOnCategory.OutcomeGroup.EXCLUDED:
            continue
        end_year = _year_name(start)
        outcomes_year[end_year] += count
        outcomes_group[(end_year, group)] += count
        outcomes_region[(end_year, region, group)] += count
    # The years run from the first start (or end) to the last, deaths included in the span.
    first_start = min((k[0] for k in counted_placements), default=None)
    last_start = max((k[0] for k in counted_placements), default=None)
    first_end = min((k[0] for k in counted_outcomes), default=None)
    last_end = max((k[0] for k in counted_outcomes), default=None)

    placement_years = [_year_name(y) for y in range(first_start, last_start + 1)] if first_start is not None else []
    outcome_years = [_year_name(y) for y in range(first_end, last_end + 1)] if first_end is not None else []

    by_region = []
    for year in placement_years:
        by_region.extend((year, region, placements_region[(year, region)]) for region in regions)
        by_region.append((year, ALL_REGIONS, placements_year[year]))
    by_gender = [
        (
            year,
            gender,
            placements_gender[(year, gender)],
            percentage(placements_gender[(year, gender)], placements_year[year]),
        )
        for year in placement_years
        for gender in GENDERS
    ]
    by_group = [
        (year, label, outcomes_group[(year, key)], percentage(outcomes_group[(year, key)], outcomes_year[year]))
        for year in outcome_years
        for key, label in OUTCOME_GROUPS
    ]
    by_region_group = [
        (year, region, group_labels[key], outcomes_region[(year, region, key)])
        for year in outcome_years
        for region in regions
        for key, _ in OUTCOME_GROUPS
    ]
    return [
        Table(
            "placements_by_region",
            "CAS3 placements by probation region and performance year",
            ("performance_year", "probation_region", "placements"),
            by_region,
            "Placements counted in the performance year (1 April to 31 March) of their start date.",
        ),
        Table(
            "placements_by_gender",
            "CAS3 placements by gender and performance year",
            ("performance_year", "gender", "placements", "percentage"),
            by_gender,
            "Gender from gender identity, or sex where gender identity is not recorded. Percentages of the year's placements.",
        ),
        Table(
            "outcomes_by_group",
            "CAS3 move-on outcomes by outcome group and performance year",
            ("performance_year", "outcome_group", "outcomes", "percentage"),
            by_group,
            "Outcomes counted in the performance year of the end of the stay; deaths are left out.",
        ),
        Table(
            "outcomes_by_region",
            "CAS3 move-on outcomes by probation region, outcome group and performance year",
            ("performance_year", "probation_region", "outcome_group", "outcomes"),
            by_region_group,
            "Outcomes counted in the performance year of the end of the stay; deaths are left out.",
        ),
    ]
