"""The booking-based figures of the delivery dashboard (`cas.reporting.dashboard` adds them to the
estate and referral figures).

Definitions (for a period `start`..`end`, both days included, and a scope; a booking is in scope by
its property's region and PDU, copied onto the booking):
- **Bookings offered**: CAS3 bookings made in the period, whatever became of them.
- **People placed**: bookings whose person arrived in the period. Each placement counts once, so a
  person placed twice counts twice (as in the official statistics).
- **Length of stay**: nights from arrival to departure of the stays that ended in the period;
  average and median.
- **Days from referral to arrival**: from the day the referral was submitted to the day of arrival,
  for the people placed in the period from a referral; average and median.
- **Positive move-on**: departures in the period whose move-on category is in the Settled
  accommodation outcome group; count and share of departures. Deaths (They're deceased) are left out
  of the outcome figures and of the totals behind them, as in the official statistics.
- **Recalled or further custody**: the share of those departures in the Recalled / Further custody
  outcome group.
- **High or very high RoSH**: the share of people placed whose risk of serious harm was High or
  Very high when booked.
- **Incidents** and **serious further offences**: incidents that happened in the period, at a
  property in scope.
- **Occupancy rate**: occupied bedspace-nights over online bedspace-nights in the period. A night is
  occupied from the arrival up to (not including) the departure, or the expected departure while the
  stay goes on. Online bedspace-nights are the nights each bedspace is online (from its start date up
  to its archive date), as in the MI occupancy report (`occupancyRate = totalBookedDays / onlineDays`):
  void days are not taken off; the dashboard shows them as a figure of their own.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate

from cas.core.dates import month_windows
from cas.core.tiers import Service
from cas.core.wording import quantity
from cas.placements.models import Booking, Incident
from cas.premises.models import Bedspace
from cas.reporting.figures import (
    AreaColumn,
    Dashboard,
    DaysBetween,
    Figure,
    Scope,
    Series,
    average,
    aware,
    by_month,
    date_value,
    median,
    nights_within,
    one_decimal,
    share,
)

HIGH_ROSH = ("High", "Very high")
SETTLED, RECALLED, EXCLUDED = "settled", "recalled", "excluded"


def _bookings(scope: Scope):
    return Booking.objects.filter(service=Service.CAS3).filter(scope.q())


def offered(start: dt.date, end: dt.date, scope: Scope):
    return _bookings(scope).filter(created_at__gte=aware(start), created_at__lt=aware(end + dt.timedelta(days=1)))


def placed(start: dt.date, end: dt.date, scope: Scope):
    return _bookings(scope).filter(actual_arrival_date__gte=start, actual_arrival_date__lte=end)


def departed(start: dt.date, end: dt.date, scope: Scope):
    """Stays that ended in the period (with their move-on outcome)."""
    return _bookings(scope).filter(
        actual_arrival_date__isnull=False, actual_departure_date__gte=start, actual_departure_date__lte=end
    )


def stay_nights():
    return DaysBetween(F("actual_departure_date"), F("actual_arrival_date"))


def days_to_arrival():
    return DaysBetween(F("actual_arrival_date"), TruncDate("referral__submitted_at"))


def incidents(start: dt.date, end: dt.date, scope: Scope):
    return Incident.objects.filter(service=Service.CAS3, occurred_on__gte=start, occurred_on__lte=end).filter(
        scope.q("region_id", "premises__pdu_id")
    )


def _stays_overlapping(start: dt.date, end: dt.date, scope: Scope):
    return _bookings(scope).filter(
        Q(actual_arrival_date__isnull=False, actual_arrival_date__lte=end)
        & Q(Q(actual_departure_date__gt=start) | Q(actual_departure_date__isnull=True, departure_date__gt=start))
    )


def _occupied(start: dt.date, end: dt.date):
    return nights_within(
        F("actual_arrival_date"), Coalesce(F("actual_departure_date"), F("departure_date")), start, end
    )


def _in_service_bedspaces(start: dt.date, end: dt.date, scope: Scope):
    return Bedspace.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=start), scope.filter("premises__")
    )


def _in_service(start: dt.date, end: dt.date):
    # A bedspace with no archive date is in service past the period's last night.
    return nights_within(F("start_date"), Coalesce(F("end_date"), date_value(end + dt.timedelta(days=1))), start, end)


def occupancy(start: dt.date, end: dt.date, scope: Scope) -> tuple[int, int]:
    """(occupied bedspace-nights, online bedspace-nights) in the period."""
    occupied = _stays_overlapping(start, end, scope).aggregate(n=Sum(_occupied(start, end)))["n"] or 0
    online = _in_service_bedspaces(start, end, scope).aggregate(n=Sum(_in_service(start, end)))["n"] or 0
    return occupied, online


def _outcomes(stays) -> dict:
    return stays.aggregate(
        counted=Count("pk", filter=~Q(move_on_category__outcome_group=EXCLUDED)),
        settled=Count("pk", filter=Q(move_on_category__outcome_group=SETTLED)),
        recalled=Count("pk", filter=Q(move_on_category__outcome_group=RECALLED)),
        nights=Sum(stay_nights()),
        stays=Count("pk"),
    )


def figures(board: Dashboard) -> list[Figure]:
    start, end, scope = board.start, board.end, board.scope
    people = placed(start, end, scope)
    placed_totals = people.aggregate(
        placed=Count("pk"),
        high_rosh=Count("pk", filter=Q(rosh_level__in=HIGH_ROSH)),
        from_referral=Count("pk", filter=Q(referral__submitted_at__isnull=False)),
        days_to_arrival=Sum(days_to_arrival(), filter=Q(referral__submitted_at__isnull=False)),
    )
    stays = departed(start, end, scope)
    out = _outcomes(stays)
    from_referral = people.filter(referral__submitted_at__isnull=False)
    happened = incidents(start, end, scope).aggregate(all=Count("pk"), sfo=Count("pk", filter=Q(kind="sfo")))
    occupied, online = occupancy(start, end, scope)
    stays_detail = f"of {quantity(out['stays'], 'stay')} that ended"
    referral_detail = f"for {quantity(placed_totals['from_referral'], 'person', 'people')} placed from a referral"
    outcomes_detail = f"of {quantity(out['counted'], 'departure')} (deaths left out)"
    return [
        Figure("bookings_offered", "Bookings offered", offered(start, end, scope).count(), detail="bookings made"),
        Figure("people_placed", "People placed", placed_totals["placed"], detail="arrivals"),
        Figure(
            "average_length_of_stay",
            "Average length of stay",
            average(out["nights"], out["stays"]),
            "nights",
            stays_detail,
        ),
        Figure(
            "median_length_of_stay",
            "Median length of stay",
            one_decimal(median(stays, stay_nights())),
            "nights",
            stays_detail,
        ),
        Figure(
            "average_days_referral_to_arrival",
            "Average days from referral to arrival",
            average(placed_totals["days_to_arrival"], placed_totals["from_referral"]),
            "days",
            referral_detail,
        ),
        Figure(
            "median_days_referral_to_arrival",
            "Median days from referral to arrival",
            one_decimal(median(from_referral, days_to_arrival())),
            "days",
            referral_detail,
        ),
        Figure(
            "positive_move_on",
            "Positive move-on",
            out["settled"],
            detail=f"to settled accommodation, {outcomes_detail}",
        ),
        Figure(
            "positive_move_on_share",
            "Positive move-on share",
            share(out["settled"], out["counted"]),
            "%",
            f"{out['settled']} {outcomes_detail}",
        ),
        Figure(
            "high_rosh_share",
            "People placed who were high or very high RoSH",
            share(placed_totals["high_rosh"], placed_totals["placed"]),
            "%",
            f"{placed_totals['high_rosh']} of {quantity(placed_totals['placed'], 'person', 'people')} placed",
        ),
        Figure("incidents", "Incidents reported", happened["all"]),
        Figure("serious_further_offences", "Serious further offences", happened["sfo"]),
        Figure(
            "recalled_share",
            "Departures recalled or into further custody",
            share(out["recalled"], out["counted"]),
            "%",
            f"{out['recalled']} {outcomes_detail}",
        ),
        Figure(
            "occupancy_rate",
            "Occupancy rate",
            share(occupied, online),
            "%",
            f"{occupied} of {quantity(online, 'online bedspace-night')} occupied",
        ),
    ]


def monthly(board: Dashboard) -> list[Series]:
    start, end, scope = board.start, board.end, board.scope
    months = board.months
    windows = month_windows(start, end)
    occupied = _stays_overlapping(start, end, scope).aggregate(
        **{f"m{i}": Sum(_occupied(lo, hi)) for i, (_, lo, hi) in enumerate(windows)}
    )
    in_service = _in_service_bedspaces(start, end, scope).aggregate(
        **{f"m{i}": Sum(_in_service(lo, hi)) for i, (_, lo, hi) in enumerate(windows)}
    )
    rates = [Decimal(share(occupied[f"m{i}"] or 0, in_service[f"m{i}"] or 0)) for i in range(len(windows))]
    settled = departed(start, end, scope).filter(move_on_category__outcome_group=SETTLED)
    return [
        Series("bookings_offered", "Bookings offered", by_month(offered(start, end, scope), "created_at", months)),
        Series("people_placed", "People placed", by_month(placed(start, end, scope), "actual_arrival_date", months)),
        Series("positive_move_on", "Positive move-on", by_month(settled, "actual_departure_date", months)),
        Series("occupancy_rate", "Occupancy rate", rates, "%"),
    ]


COLUMNS = (
    AreaColumn("bookings_offered", "Bookings offered"),
    AreaColumn("people_placed", "People placed"),
    AreaColumn("average_length_of_stay", "Average stay (nights)", "nights"),
    AreaColumn("positive_move_on_share", "Positive move-on", "%"),
    AreaColumn("incidents", "Incidents"),
    AreaColumn("occupancy_rate", "Occupancy", "%"),
)


def by_area(board: Dashboard, area: str) -> dict[int, dict]:
    """The area columns, one grouped query each (the breakdown's areas are in `board.scope`)."""
    start, end, scope = board.start, board.end, board.scope
    key = f"{area}_id"
    rows: dict[int, dict] = {}

    def put(pk, **values):
        rows.setdefault(pk, {}).update(values)

    for pk, n in offered(start, end, scope).values_list(key).annotate(n=Count("pk")).order_by():
        put(pk, bookings_offered=n)
    for pk, n in placed(start, end, scope).values_list(key).annotate(n=Count("pk")).order_by():
        put(pk, people_placed=n)
    for row in (
        departed(start, end, scope)
        .values(area=F(key))
        .annotate(
            stays=Count("pk"),
            nights=Sum(stay_nights()),
            counted=Count("pk", filter=~Q(move_on_category__outcome_group=EXCLUDED)),
            settled=Count("pk", filter=Q(move_on_category__outcome_group=SETTLED)),
        )
        .order_by()
    ):
        put(
            row["area"],
            average_length_of_stay=average(row["nights"], row["stays"]),
            positive_move_on_share=share(row["settled"], row["counted"]),
        )
    for pk, n in incidents(start, end, scope).values_list(f"premises__{key}").annotate(n=Count("pk")).order_by():
        put(pk, incidents=n)
    occupied = dict(
        _stays_overlapping(start, end, scope).values_list(key).annotate(n=Sum(_occupied(start, end))).order_by()
    )
    in_service = dict(
        _in_service_bedspaces(start, end, scope)
        .values_list(f"premises__{key}")
        .annotate(n=Sum(_in_service(start, end)))
        .order_by()
    )
    for pk in set(occupied) | set(in_service):
        put(pk, occupancy_rate=share(occupied.get(pk) or 0, in_service.get(pk) or 0))
    return rows
