"""CAS2's routes and cohorts, loaded from the tier's data files (`data/routes.csv`, `data/cohorts.csv`)
into `ReferralRoute` and `ReferralCohort`. Rows are matched on their codes: missing ones are created
and existing ones left as administrators changed them (opening and closing dates), unless `refresh`."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SERVICE = "cas2"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _int(value: str) -> int | None:
    return int(value) if value else None


def load_routes(get_model: Callable, refresh: bool = False) -> int:
    Route = get_model("referrals", "ReferralRoute")
    Cohort = get_model("referrals", "ReferralCohort")
    created = 0
    routes = {}
    for row in _rows("routes.csv"):
        values = {
            "name": row["name"],
            "description": row["description"],
            "person_key": row["person_key"],
            "roles": row["roles"],
            "opens_on": _date(row["opens_on"]),
            "closes_on": _date(row["closes_on"]),
            "closed_message": row["closed_message"],
            "assessor_email": row["assessor_email"],
            "sort_order": int(row["sort_order"]),
        }
        route = Route.objects.filter(service=SERVICE, code=row["code"]).first()
        if route is None:
            route = Route.objects.create(service=SERVICE, code=row["code"], **values)
            created += 1
        elif refresh:
            Route.objects.filter(pk=route.pk).update(**values)
        routes[row["code"]] = route
    for row in _rows("cohorts.csv"):
        values = {
            "name": row["name"],
            "opens_on": _date(row["opens_on"]),
            "closes_on": _date(row["closes_on"]),
            "service_level_working_hours": _int(row["service_level_working_hours"]),
            "service_level_working_days": _int(row["service_level_working_days"]),
            "sort_order": int(row["sort_order"]),
        }
        route = routes[row["route"]]
        cohort = Cohort.objects.filter(route=route, code=row["code"]).first()
        if cohort is None:
            Cohort.objects.create(route=route, code=row["code"], **values)
            created += 1
        elif refresh:
            Cohort.objects.filter(pk=cohort.pk).update(**values)
    return created
