"""Figures for the delivery and outcomes dashboard, for a period and a scope (national, a region,
or a PDU). Each figure is one aggregate query; nothing is counted in Python row by row.

Placement figures (bookings, stays, move-on outcomes, occupancy) come from the placement module's
contribution in `PLACEMENT_FIGURES`, so the dashboard shows them as soon as bookings exist.
"""

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Greatest, Least

from cas.premises.status import bedspace_status_filter


@dataclass(frozen=True)
class Scope:
    region_id: int | None = None
    pdu_id: int | None = None

    def filter(self, premises_prefix: str = "") -> Q:
        q = Q()
        if self.region_id:
            q &= Q(**{f"{premises_prefix}region_id": self.region_id})
        if self.pdu_id:
            q &= Q(**{f"{premises_prefix}pdu_id": self.pdu_id})
        return q


@dataclass
class Figure:
    key: str
    label: str
    value: object
    unit: str = ""
    detail: str = ""


@dataclass
class Dashboard:
    start: dt.date
    end: dt.date
    scope: Scope
    figures: list[Figure] = field(default_factory=list)
    monthly: list[dict] = field(default_factory=list)
    monthly_series: list[tuple[str, str]] = field(default_factory=list)
    local_authorities: list[str] = field(default_factory=list)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def share(part: int, total: int) -> str:
    return "0.0" if not total else f"{part * 100 / total:.1f}"


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# Extra figures and monthly series from other modules: (figures(dashboard) -> list[Figure],
# monthly(dashboard, months) -> {series_key: [values]}, series labels).
PLACEMENT_FIGURES: list[Callable] = []


def estate_figures(board: Dashboard) -> None:
    from cas.premises.models import Bedspace, VoidPeriod

    online = Bedspace.objects.filter(bedspace_status_filter("online", board.end)).filter(
        board.scope.filter("premises__")
    )
    totals = online.aggregate(
        bedspaces=Count("id", distinct=True),
        women_only=Count("id", distinct=True, filter=Q(premises__characteristics__property_name="isWomenOnly")),
    )
    shared = online.filter(characteristics__property_name__in=["hasSharedKitchen", "hasSharedBathroom"]).values("id")
    self_contained = online.exclude(id__in=shared).count()
    authorities = list(
        online.exclude(premises__local_authority__isnull=True)
        .values_list("premises__local_authority__name", flat=True)
        .distinct()
        .order_by("premises__local_authority__name")
    )
    voids = VoidPeriod.objects.filter(
        cancelled_at__isnull=True, start_date__lte=board.end, end_date__gte=board.start
    ).filter(board.scope.filter("bedspace__premises__"))
    void_days = voids.aggregate(
        days=Sum(
            (Least(F("end_date"), board.end) - Greatest(F("start_date"), board.start)),
        )
    )["days"]
    if isinstance(void_days, dt.timedelta):
        void_days = void_days.days + voids.count()  # both ends counted
    elif void_days is not None:
        # SQLite returns the difference in microseconds.
        void_days = int(void_days) // 86_400_000_000 + voids.count()
    board.local_authorities = authorities
    board.figures += [
        Figure("bedspaces_online", "Bedspaces online", totals["bedspaces"], detail=f"on {board.end:%-d %B %Y}"),
        Figure("local_authorities", "Local authorities with bedspaces", len(authorities)),
        Figure(
            "women_only_share",
            "Women-only provision",
            share(totals["women_only"], totals["bedspaces"]),
            "%",
            f"{totals['women_only']} of {totals['bedspaces']} bedspaces",
        ),
        Figure(
            "self_contained_share",
            "Self-contained bedspaces",
            share(self_contained, totals["bedspaces"]),
            "%",
            f"{self_contained} with no shared kitchen or bathroom",
        ),
        Figure("voids", "Void periods", voids.count(), detail=f"{void_days or 0} bedspace days out of service"),
    ]


def referral_figures(board: Dashboard, months: list[dt.date]) -> dict:
    from django.utils import timezone

    from cas.referrals.models import Referral

    def aware(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    referrals = Referral.objects.submitted().filter(
        submitted_at__gte=aware(board.start), submitted_at__lt=aware(board.end + dt.timedelta(days=1))
    )
    if board.scope.region_id:
        referrals = referrals.filter(region_id=board.scope.region_id)
    if board.scope.pdu_id:
        referrals = referrals.filter(pdu_id=board.scope.pdu_id)
    board.figures.append(Figure("referrals_received", "Referrals received", referrals.count()))
    by_month = {
        m: referrals.filter(
            submitted_at__gte=aware(m), submitted_at__lt=aware(month_end(m) + dt.timedelta(days=1))
        ).count()
        for m in months
    }
    return {"referrals": [by_month[m] for m in months]}


def build(start: dt.date, end: dt.date, scope: Scope) -> Dashboard:
    board = Dashboard(start=start, end=end, scope=scope)
    months = month_starts(start, end)
    estate_figures(board)
    series = {"referrals": ("Referrals received", referral_figures(board, months)["referrals"])}
    for contribution in PLACEMENT_FIGURES:
        for key, (label, values) in contribution(board, months).items():
            series[key] = (label, values)
    board.monthly_series = [(key, label) for key, (label, _) in series.items()]
    board.monthly = [
        {"month": m, **{key: values[i] for key, (_, values) in series.items()}} for i, m in enumerate(months)
    ]
    return board


def breakdown(start: dt.date, end: dt.date, region_id: int | None) -> list[dict]:
    """One row per region (national view) or per PDU of a region, with the headline figures.

    Grouped queries: the number of queries does not grow with the number of areas."""
    from django.utils import timezone

    from cas.premises.models import Bedspace, VoidPeriod
    from cas.reference.models import ProbationDeliveryUnit, ProbationRegion
    from cas.referrals.models import Referral

    if region_id is None:
        areas = list(ProbationRegion.objects.exclude(delius_code="NA").values_list("pk", "name"))
        key, scope = "region_id", Q()
    else:
        areas = list(ProbationDeliveryUnit.objects.filter(region_id=region_id).values_list("pk", "name"))
        key, scope = "pdu_id", Q(region_id=region_id)

    online = Bedspace.objects.filter(bedspace_status_filter("online", end)).filter(
        **({"premises__region_id": region_id} if region_id else {})
    )
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
        VoidPeriod.objects.filter(cancelled_at__isnull=True, start_date__lte=end, end_date__gte=start)
        .filter(**({"bedspace__premises__region_id": region_id} if region_id else {}))
        .values_list(f"bedspace__premises__{key}")
        .annotate(n=Count("id"))
    )

    def aware(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    referrals = dict(
        Referral.objects.submitted()
        .filter(scope, submitted_at__gte=aware(start), submitted_at__lt=aware(end + dt.timedelta(days=1)))
        .values_list(key)
        .annotate(n=Count("id"))
    )
    rows = []
    for pk, name in areas:
        e = estate.get(pk, {})
        total = e.get("bedspaces", 0)
        rows.append(
            {
                "id": pk,
                "name": name,
                "bedspaces_online": total,
                "local_authorities": e.get("local_authorities", 0),
                "women_only_share": share(e.get("women_only", 0), total),
                "self_contained_share": share(e.get("self_contained", 0), total),
                "voids": voids.get(pk, 0),
                "referrals_received": referrals.get(pk, 0),
            }
        )
    return rows
