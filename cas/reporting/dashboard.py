"""Figures for the delivery and outcomes dashboard, for a period and a scope (national, a region,
or a PDU), with a monthly series for the charts and a breakdown by region (or by PDU of a region).

Every figure is an aggregate query (grouped by month or by area where a series or a breakdown needs
it), so the number of queries does not grow with the number of rows, months or areas; nothing is
counted in Python row by row. Medians are read with two ordered single-row queries.

The estate figures (bedspaces, local authorities, women-only and self-contained shares, voids) and
referrals received are computed here; the booking-based figures in `booking_figures.py`. Reporting is
the top read layer: it reads the domain apps, none of which knows it.

Percentages and averages are rounded half up to one decimal place, as in the official statistics
(`figures.py`).
"""

import datetime as dt
import re

from django.db.models import Count, F, Q, Sum

from cas.core import audit
from cas.core.dates import add_months, long_date, month_end, month_key, month_start, month_starts
from cas.core.errors import DomainError, NotAllowed
from cas.core.permissions import Permission, check, has_national_scope
from cas.core.tiers import Service
from cas.core.wording import quantity
from cas.premises.models import Bedspace, VoidPeriod
from cas.premises.status import bedspace_status_filter
from cas.reference.models import ProbationDeliveryUnit, ProbationRegion
from cas.referrals.models import Referral
from cas.reporting import booking_figures
from cas.reporting.figures import (
    AreaColumn,
    Dashboard,
    Figure,
    Scope,
    Series,
    aware,
    by_month,
    days_within,
    share,
)

# The longest period the dashboard answers for (the form and the API say so).
MAX_PERIOD_DAYS = 366 * 10


def _estate(board: Dashboard) -> None:
    online = Bedspace.objects.filter(bedspace_status_filter("online", board.end)).filter(
        board.scope.filter("premises__")
    )
    totals = online.aggregate(
        bedspaces=Count("id", distinct=True),
        women_only=Count("id", distinct=True, filter=Q(premises__characteristics__property_name="isWomenOnly")),
    )
    shared = online.filter(characteristics__property_name__in=["hasSharedKitchen", "hasSharedBathroom"]).values("id")
    self_contained = online.exclude(id__in=shared).count()
    board.local_authorities = list(
        online.exclude(premises__local_authority__isnull=True)
        .values_list("premises__local_authority__name", flat=True)
        .distinct()
        .order_by("premises__local_authority__name")
    )
    board.figures += [
        Figure("bedspaces_online", "Bedspaces online", totals["bedspaces"], detail=f"on {long_date(board.end)}"),
        Figure("local_authorities", "Local authorities with bedspaces", len(board.local_authorities)),
        Figure(
            "women_only_share",
            "Women-only provision",
            share(totals["women_only"], totals["bedspaces"]),
            "%",
            f"{totals['women_only']} of {quantity(totals['bedspaces'], 'bedspace')}",
        ),
        Figure(
            "self_contained_share",
            "Self-contained bedspaces",
            share(self_contained, totals["bedspaces"]),
            "%",
            f"{self_contained} with no shared kitchen or bathroom",
        ),
    ]


# The dashboard shows CAS3's delivery (its estate, bookings and the referrals its HPTs receive), as each
# MI report declares the tier it reads: CAS2 applications go to a national provider, not an HPT.
SERVICE = Service.CAS3


def _referrals(start: dt.date, end: dt.date):
    return Referral.objects.submitted().filter(
        service=SERVICE, submitted_at__gte=aware(start), submitted_at__lt=aware(end + dt.timedelta(days=1))
    )


def _referral_figures(board: Dashboard) -> None:
    referrals = _referrals(board.start, board.end).filter(board.scope.q())
    board.figures.append(
        Figure("referrals_received", "Referrals received", referrals.count(), detail="submitted to the HPT")
    )
    board.series.append(Series("referrals", "Referrals received", by_month(referrals, "submitted_at", board.months)))


def voids_in(start: dt.date, end: dt.date, scope: Scope):
    """Void periods (not cancelled) that overlap the period, in scope."""
    return VoidPeriod.objects.filter(cancelled_at__isnull=True, start_date__lte=end, end_date__gte=start).filter(
        scope.filter("bedspace__premises__")
    )


def void_days(start: dt.date, end: dt.date, scope: Scope) -> int:
    """Bedspace days out of service in the period (both ends of a void counted)."""
    days = voids_in(start, end, scope).aggregate(days=Sum(days_within(F("start_date"), F("end_date"), start, end)))[
        "days"
    ]
    return days or 0


def _void_figures(board: Dashboard) -> None:
    voids = voids_in(board.start, board.end, board.scope)
    board.figures.append(
        Figure(
            "voids",
            "Void periods",
            voids.count(),
            detail=f"{quantity(void_days(board.start, board.end, board.scope), 'bedspace day')} out of service",
        )
    )


def build(start: dt.date, end: dt.date, scope: Scope, *, areas: bool = True) -> Dashboard:
    board = Dashboard(start=start, end=end, scope=scope, months=month_starts(start, end))
    _estate(board)
    _referral_figures(board)
    board.figures += booking_figures.figures(board)
    board.series += booking_figures.monthly(board)
    _void_figures(board)
    if areas and not scope.pdu_id:
        _breakdown(board)
    return board


def _breakdown(board: Dashboard) -> None:
    """One row per region (national view) or per PDU of a region. Grouped queries: the number of
    queries does not grow with the number of areas."""
    start, end, region_id = board.start, board.end, board.scope.region_id
    if region_id is None:
        kind, names = "region", ProbationRegion.objects.exclude(delius_code="NA").order_by("name")
    else:
        kind, names = "pdu", ProbationDeliveryUnit.objects.filter(region_id=region_id).order_by("name")
    board.area_kind = kind
    key = f"{kind}_id"

    online = Bedspace.objects.filter(bedspace_status_filter("online", end)).filter(board.scope.filter("premises__"))
    shared = Bedspace.objects.filter(characteristics__property_name__in=["hasSharedKitchen", "hasSharedBathroom"])
    estate = {
        row["area"]: row
        for row in online.values(area=F(f"premises__{key}")).annotate(
            bedspaces=Count("id", distinct=True),
            women_only=Count("id", distinct=True, filter=Q(premises__characteristics__property_name="isWomenOnly")),
            self_contained=Count("id", distinct=True, filter=~Q(id__in=shared.values("id"))),
            local_authorities=Count("premises__local_authority", distinct=True),
        )
    }
    voids = dict(
        voids_in(start, end, board.scope).values_list(f"bedspace__premises__{key}").annotate(n=Count("id")).order_by()
    )
    referrals = dict(_referrals(start, end).filter(board.scope.q()).values_list(key).annotate(n=Count("id")).order_by())
    bookings = booking_figures.by_area(board, kind)

    board.area_columns = [
        AreaColumn("bedspaces_online", "Bedspaces online"),
        AreaColumn("local_authorities", "Local authorities"),
        AreaColumn("women_only_share", "Women-only", "%"),
        AreaColumn("self_contained_share", "Self-contained", "%"),
        AreaColumn("referrals_received", "Referrals received"),
        *booking_figures.COLUMNS,
        AreaColumn("voids", "Void periods"),
    ]
    for pk, name in names.values_list("pk", "name"):
        e = estate.get(pk, {})
        total = e.get("bedspaces", 0)
        row = {
            "id": pk,
            "name": name,
            "bedspaces_online": total,
            "local_authorities": e.get("local_authorities", 0),
            "women_only_share": share(e.get("women_only", 0), total),
            "self_contained_share": share(e.get("self_contained", 0), total),
            "referrals_received": referrals.get(pk, 0),
        }
        values = bookings.get(pk, {})
        for column in booking_figures.COLUMNS:
            row[column.key] = values.get(column.key, {"": 0, "%": "0.0"}.get(column.unit))
        row["voids"] = voids.get(pk, 0)
        board.areas.append(row)


def breakdown(start: dt.date, end: dt.date, region_id: int | None) -> list[dict]:
    """The area rows on their own (by region nationally, by PDU for a region)."""
    return build(start, end, Scope(region_id=region_id)).areas


# ---------------------------------------------------------------------------------------------
# Asking for the dashboard: period, scope, permission and audit


# Years the dashboard answers for: before the service's earliest imported records, and far enough ahead.
FIRST_YEAR, LAST_YEAR = 1990, 2100
PERIOD_FORMATS = "a month (2026-03), a calendar year (2026) or a performance year (2025/26)"


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """A period written as a month `2026-03`, a calendar year `2026` or a performance year
    `2025/26` (1 April to 31 March)."""
    text = text.strip()
    period = None
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            first = dt.date(year, month, 1)
            period = first, month_end(first)
    elif m := re.fullmatch(r"(\d{4})/(\d{2})", text):
        year = int(m[1])
        if FIRST_YEAR <= year < LAST_YEAR and (year + 1) % 100 == int(m[2]):
            period = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    elif re.fullmatch(r"\d{4}", text) and FIRST_YEAR <= int(text) <= LAST_YEAR:
        period = dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
    if period is None:
        raise DomainError(f"Enter the period as {PERIOD_FORMATS}", field="period")
    return period


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the first of the month a year before this one, to today."""
    return add_months(month_start(today), -12), today


def check_period(start: dt.date, end: dt.date) -> None:
    if start.year < FIRST_YEAR or end.year > LAST_YEAR:
        raise DomainError(f"Enter dates from {FIRST_YEAR} to {LAST_YEAR}", field="start_date")
    if end < start:
        raise DomainError("The end date must be the same as or after the start date", field="end_date")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise DomainError("Choose a period of 10 years or less", field="end_date")


def view(user, start: dt.date, end: dt.date, region_id: int | None = None, pdu_id: int | None = None) -> Dashboard:
    """The dashboard as `user` may see it, recorded in the audit log as `dashboard.viewed`.

    Assessors see their own region only (asking for another is refused); a PDU must belong to the
    region asked for."""
    check(user, Permission.DASHBOARD_VIEW)
    check_period(start, end)
    if not has_national_scope(user):
        if user.region_id is None:
            raise NotAllowed("You need a probation region to see the dashboard.")
        if region_id is not None and region_id != user.region_id:
            raise NotAllowed("You can only see the dashboard for your own region.")
        region_id = user.region_id
    region = None
    if region_id is not None:
        region = ProbationRegion.objects.filter(pk=region_id).exclude(delius_code="NA").first()
        if region is None:
            raise DomainError("Select a probation region from the list", field="region")
    pdu = None
    if pdu_id is not None:
        pdu = ProbationDeliveryUnit.objects.filter(pk=pdu_id).first()
        if pdu is None or (region_id is not None and pdu.region_id != region_id):
            raise DomainError("Select a probation delivery unit in the region", field="pdu")
        region_id = pdu.region_id
        region = pdu.region
    board = build(start, end, Scope(region_id=region_id, pdu_id=pdu_id))
    where = pdu.name if pdu else (region.name if region else "England and Wales")
    audit.record_figures_view(
        user,
        "dashboard.viewed",
        subject_type="reporting.dashboard",
        subject_id=f"pdu:{pdu_id}" if pdu_id else (f"region:{region_id}" if region_id else "national"),
        subject_label=where,
        detail=f"{where}, {start} to {end}",
    )
    return board


def export_rows(board: Dashboard) -> list[list]:
    """The figures as CSV rows: the headline figures, the months, then the areas."""
    rows: list[list] = [["figure", "value", "unit", "detail"]]
    rows += [[f.label, "" if f.value is None else f.value, f.unit, f.detail] for f in board.figures]
    rows += [[], ["month", *[s.label for s in board.series]]]
    rows += [
        [month_key(m), *["" if s.values[i] is None else s.values[i] for s in board.series]]
        for i, m in enumerate(board.months)
    ]
    if board.areas:
        area = "probation_region" if board.area_kind == "region" else "probation_delivery_unit"
        rows += [[], [area, *[c.label for c in board.area_columns]]]
        rows += [[r["name"], *["" if r[c.key] is None else r[c.key] for c in board.area_columns]] for r in board.areas]
    return rows
