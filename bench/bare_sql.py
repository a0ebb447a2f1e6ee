"""The bare SQL the benchmark compares the service against: the same bedspace searches and the same
official-statistics aggregation, written by hand and run on a plain DB-API cursor (no ORM, no
serialisers, no HTTP). `tests/bench/test_bare_sql.py` checks they return what the service returns,
so the comparison is honest.

Every function takes a cursor and the database vendor ("sqlite" or "postgresql"); placeholders are
written `%s` and turned into `?` for SQLite.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable

ACTIVE_STATUSES = ("provisional", "confirmed", "arrived", "departed", "closed")
NOT_FOR_ARSON = ("notSuitableForArsonHistory", "notSuitableForArsonOffenders")


def _run(cursor, vendor: str, sql: str, params: Iterable = ()) -> list[tuple]:
    params = list(params)
    if vendor == "sqlite":
        sql = sql.replace("%s", "?")
        params = [v.isoformat() if isinstance(v, dt.date) else v for v in params]
    cursor.execute(sql, params)
    return cursor.fetchall()


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _id(value) -> str:
    """A UUID as the API writes it (SQLite stores them as 32 hex digits)."""
    return str(uuid.UUID(str(value)))


def _has(scope: str, names, owner: str) -> tuple[str, list]:
    """EXISTS: the property (scope premises) or bedspace has one of `names`."""
    table, column = (
        ("premises_premises_characteristics", "premises_id")
        if scope == "premises"
        else ("premises_bedspace_characteristics", "bedspace_id")
    )
    sql = (
        f"EXISTS (SELECT 1 FROM {table} pc JOIN reference_characteristic c ON c.id = pc.characteristic_id "
        f"WHERE pc.{column} = {owner} AND c.model_scope = %s AND c.property_name IN ({_marks(names)}))"
    )
    return sql, [scope, *names]


REGIONS_SQL = """
    SELECT r.delius_code, u.id, p.local_authority_id FROM reference_probationdeliveryunit u
    JOIN reference_probationregion r ON r.id = u.region_id
    LEFT JOIN premises_premises p ON p.pdu_id = u.id
    WHERE r.delius_code <> 'NA'
"""


def regions_for_search(cursor, vendor: str) -> dict:
    found: dict = {}
    for code, pdu_id, la_id in _run(cursor, vendor, REGIONS_SQL):
        pdus, las = found.setdefault(code, (set(), set()))
        pdus.add(pdu_id)
        if la_id is not None:
            las.add(la_id)
    return {code: (sorted(pdus), sorted(las)) for code, (pdus, las) in found.items()}


def random_search(rng, regions: dict, today: dt.date) -> dict:
    """One seeded search as the API takes it: a random region, 1 to 3 of its PDUs, a start date in
    the next 90 days, 1 to 84 nights, and each filter with a fair chance of being chosen.
    `regions` maps a region to its PDU ids and the ids of local authorities its properties are in
    (sorted lists, so the same seed gives the same searches)."""
    region = rng.choice(sorted(regions))
    pdu_ids, local_authorities = regions[region]
    pdus = rng.sample(pdu_ids, min(len(pdu_ids), rng.randint(1, 3)))
    body = {
        "start_date": (today + dt.timedelta(days=rng.randrange(90))).isoformat(),
        "nights": rng.choice([7, 14, 28, 56, 84, rng.randint(1, 84)]),
        "pdus": sorted(pdus),
        "occupancy": rng.choice(["all", "all", "shared", "single"]),
        "sex": rng.choice(["none", "men", "women"]),
        "sexual_risk": sorted(rng.sample(["adults", "children"], rng.choice([0, 0, 1, 2]))),
        "arson": rng.random() < 0.2,
        "wheelchair": rng.random() < 0.1,
        "step_free": rng.random() < 0.2,
        "avoid_local_authorities": sorted(
            rng.sample(local_authorities, min(len(local_authorities), rng.choice([0, 0, 1, 2])))
        ),
    }
    return body


def search(cursor, vendor: str, criteria: dict, free_from_for) -> dict:
    """The search in `criteria` (the API's request body: start_date, nights, pdus, occupancy, sex,
    sexual_risk, arson, wheelchair, step_free, avoid_local_authorities), returning what the API
    returns: properties in order with their bedspaces (and characteristics) and the people booked
    there during the stay. `free_from_for(departure, turnaround_days)` is the working-day arithmetic
    (bank holidays are data, not SQL)."""
    start = _date(criteria["start_date"])
    nights = criteria.get("nights", 84)
    departure = start + dt.timedelta(days=nights)
    pdus = list(criteria["pdus"])
    turnarounds = [
        row[0]
        for row in _run(
            cursor,
            vendor,
            f"SELECT DISTINCT turnaround_working_days FROM premises_premises WHERE pdu_id IN ({_marks(pdus)})",
            pdus,
        )
    ]
    if not turnarounds:
        return {"properties": []}
    case_sql = "CASE p.turnaround_working_days " + " ".join("WHEN %s THEN %s" for _ in turnarounds) + " END"
    case_params = [v for days in sorted(turnarounds) for v in (days, free_from_for(departure, days))]
    # The stay holds the bedspace until free_from, computed once per row in a derived table.
    where, params = [], []

    def add(sql, values=()):
        where.append(sql)
        params.extend(values)

    occupancy = criteria.get("occupancy", "all")
    if occupancy == "shared":
        add(*_has("premises", ["isSharedProperty"], "s.premises_id"))
    elif occupancy == "single":
        add(*_has("premises", ["isSingleOccupancy"], "s.premises_id"))
    sex = criteria.get("sex", "none")
    if sex in ("men", "women"):
        only, other = ("isWomenOnly", "Female") if sex == "men" else ("isMenOnly", "Male")
        sql, values = _has("premises", [only], "s.premises_id")
        add(f"NOT {sql}", values)
        add(
            "NOT EXISTS (SELECT 1 FROM placements_booking o WHERE o.premises_id = s.premises_id AND o.status IN "
            f"({_marks(ACTIVE_STATUSES)}) AND o.arrival_date < %s AND o.departure_date > %s AND o.sex = %s)",
            [*ACTIVE_STATUSES, departure, start, other],
        )
    risks = set(criteria.get("sexual_risk", []))
    if "adults" in risks:
        sql, values = _has("premises", ["notSuitableForSexualRiskToAdults"], "s.premises_id")
        add(f"NOT {sql}", values)
    if "children" in risks:
        sql, values = _has("premises", ["notSuitableForSexualRiskToChildren"], "s.premises_id")
        add(f"NOT {sql}", values)
    if criteria.get("arson"):
        sql, values = _has("premises", NOT_FOR_ARSON, "s.premises_id")
        add(f"NOT {sql}", values)
        sql, values = _has("bedspace", NOT_FOR_ARSON, "s.id")
        add(f"NOT {sql}", values)
    if criteria.get("wheelchair"):
        add(*_has("bedspace", ["isWheelchairAccessible"], "s.id"))
    if criteria.get("step_free"):
        a, a_values = _has("bedspace", ["isGroundFloor"], "s.id")
        b, b_values = _has("premises", ["isGroundFloor", "hasLift"], "s.premises_id")
        add(f"({a} OR {b})", [*a_values, *b_values])
    avoid = list(criteria.get("avoid_local_authorities", []))
    if avoid:
        add(f"(s.local_authority_id IS NULL OR s.local_authority_id NOT IN ({_marks(avoid)}))", avoid)

    sql = f"""
        SELECT s.id, s.reference, s.premises_id, s.premises_reference, s.address_line1, s.address_line2, s.town,
               s.postcode, s.pdu_name, s.local_authority_name, s.notes, s.turnaround_working_days
        FROM (
            SELECT b.id, b.reference, b.premises_id, b.end_date, p.reference AS premises_reference,
                   p.address_line1, p.address_line2, p.town, p.postcode, u.name AS pdu_name,
                   la.name AS local_authority_name, p.notes, p.turnaround_working_days,
                   p.local_authority_id, p.end_date AS premises_end_date, {case_sql} AS free_from
            FROM premises_bedspace b
            JOIN premises_premises p ON p.id = b.premises_id
            JOIN reference_probationdeliveryunit u ON u.id = p.pdu_id
            LEFT JOIN reference_localauthorityarea la ON la.id = p.local_authority_id
            WHERE p.pdu_id IN ({_marks(pdus)}) AND p.service = 'cas3'
              AND b.start_date <= %s AND p.start_date <= %s
        ) s
        WHERE s.free_from IS NOT NULL
          AND (s.end_date IS NULL OR s.end_date >= s.free_from)
          AND (s.premises_end_date IS NULL OR s.premises_end_date >= s.free_from)
          AND NOT EXISTS (SELECT 1 FROM placements_booking k WHERE k.bedspace_id = s.id
                          AND k.status IN ({_marks(ACTIVE_STATUSES)})
                          AND k.arrival_date < s.free_from AND k.available_from > %s)
          AND NOT EXISTS (SELECT 1 FROM premises_voidperiod v WHERE v.bedspace_id = s.id
                          AND v.cancelled_at IS NULL AND v.start_date < s.free_from AND v.end_date >= %s)
          {"".join(f" AND {w}" for w in where)}
        ORDER BY s.pdu_name, s.premises_reference, s.reference
    """
    rows = _run(
        cursor,
        vendor,
        sql,
        [*case_params, *pdus, start, start, *ACTIVE_STATUSES, start, start, *params],
    )
    if not rows:
        return {"properties": []}
    bedspace_ids = [r[0] for r in rows]
    premises_ids = list(dict.fromkeys(r[2] for r in rows))
    characteristics: dict = {}
    for owner_table, column, ids in (
        ("premises_bedspace_characteristics", "bedspace_id", bedspace_ids),
        ("premises_premises_characteristics", "premises_id", premises_ids),
    ):
        for owner, name in _run(
            cursor,
            vendor,
            f"SELECT pc.{column}, c.name FROM {owner_table} pc JOIN reference_characteristic c "
            f"ON c.id = pc.characteristic_id WHERE pc.{column} IN ({_marks(ids)})",
            ids,
        ):
            characteristics.setdefault(_id(owner), []).append(name)
    overlaps: dict = {}
    for booking_id, premises_id, arrival, leaving in _run(
        cursor,
        vendor,
        f"""SELECT o.id, o.premises_id, o.arrival_date, o.departure_date FROM placements_booking o
            JOIN premises_bedspace b ON b.id = o.bedspace_id
            WHERE o.premises_id IN ({_marks(premises_ids)}) AND o.status IN ({_marks(ACTIVE_STATUSES)})
              AND o.arrival_date < %s AND o.departure_date > %s
            ORDER BY o.arrival_date, o.created_at""",
        [*premises_ids, *ACTIVE_STATUSES, departure, start],
    ):
        first, last = max(_date(arrival), start), min(_date(leaving), departure)
        overlaps.setdefault(_id(premises_id), []).append((_id(booking_id), max(0, (last - first).days)))
    properties: dict = {}
    for row in rows:
        premises_id = _id(row[2])
        found = properties.setdefault(
            premises_id,
            {
                "id": premises_id,
                "reference": row[3],
                "pdu": row[8],
                "local_authority": row[9],
                "characteristics": sorted(characteristics.get(premises_id, [])),
                "bedspaces": [],
                "overlaps": overlaps.get(premises_id, []),
            },
        )
        found["bedspaces"].append(
            {"id": _id(row[0]), "reference": row[1], "characteristics": sorted(characteristics.get(_id(row[0]), []))}
        )
    return {"properties": list(properties.values())}


# Official statistics --------------------------------------------------------------------------


def _performance_year(vendor: str, column: str) -> str:
    """The starting calendar year of the performance year (1 April to 31 March) of `column`."""
    if vendor == "sqlite":
        return f"CAST(strftime('%Y', {column}, '-3 months') AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {column} - INTERVAL '3 months') AS INTEGER)"


def _placements_sql() -> str:
    """Every placement: imported records and the service's bookings with an arrival."""
    return """
        SELECT r.name AS region, m.gender_identity, m.sex, m.start_date, m.end_date, c.outcome_group
        FROM reporting_manualplacement m
        JOIN reference_probationregion r ON r.id = m.region_id
        LEFT JOIN reference_moveoncategory c ON c.id = m.move_on_category_id
        UNION ALL
        SELECT r.name, b.gender_identity, b.sex, b.actual_arrival_date, b.actual_departure_date, c.outcome_group
        FROM placements_booking b
        JOIN reference_probationregion r ON r.id = b.region_id
        LEFT JOIN reference_moveoncategory c ON c.id = b.move_on_category_id
        WHERE b.actual_arrival_date IS NOT NULL AND b.service = 'cas3'
          AND b.status IN ('arrived', 'departed', 'closed')
    """


GENDER_SQL = """CASE TRIM(COALESCE(NULLIF(gender_identity, ''), sex, ''))
    WHEN 'Male' THEN 'Male' WHEN 'Transgender Male' THEN 'Male'
    WHEN 'Female' THEN 'Female' WHEN 'Transgender Female' THEN 'Female' ELSE 'Other' END"""


def statistics(cursor, vendor: str) -> tuple[Counter, Counter]:
    """The official statistics' counts by bare SQL aggregation: placements by (start year, region,
    gender) and outcomes by (end year, region, outcome group), deaths left out; years are the
    starting calendar year of the performance year."""
    placements = Counter()
    for year, region, gender, count in _run(
        cursor,
        vendor,
        f"""SELECT {_performance_year(vendor, "start_date")} AS y, region, {GENDER_SQL} AS g, COUNT(*)
            FROM ({_placements_sql()}) p GROUP BY y, region, g""",
    ):
        placements[(int(year), region, gender)] += count
    outcomes = Counter()
    for year, region, group, count in _run(
        cursor,
        vendor,
        f"""SELECT {_performance_year(vendor, "end_date")} AS y, region,
                   COALESCE(NULLIF(outcome_group, ''), 'unknown') AS o, COUNT(*)
            FROM ({_placements_sql()}) p
            WHERE end_date IS NOT NULL AND COALESCE(outcome_group, '') <> 'excluded'
            GROUP BY y, region, o""",
    ):
        outcomes[(int(year), region, group)] += count
    return placements, outcomes
