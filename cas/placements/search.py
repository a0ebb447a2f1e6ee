"""Bedspace search: which bedspaces can take a person from a start date for a number of nights,
decided in one database query, and why any one bedspace cannot.

A bedspace is available when it can be held from the start date up to (not including) the day the
bedspace is free again after the stay and the property's turnaround (`status.available_from`),
exactly what `services.create_booking` checks, so a search result can always be booked unless
someone books it first:
- the bedspace and its property are in service from the start date until then;
- no active booking holds any of those days (each booking holds `[arrival_date, available_from)`,
  its stay and its turnaround, stored as columns);
- no void period covers any of them;
- and every filter chosen holds (characteristics of the property and bedspace, the other people
  booked there, local authorities to avoid).

Working days cannot be counted in SQL, so the few turnaround lengths in use in the chosen PDUs are
read first and each becomes a date in a CASE expression; every filter is then one query of
`EXISTS` subqueries, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from cas.core import raw_sql, tiers
from cas.core.dates import long_date
from cas.core.errors import DomainError
from cas.core.permissions import Permission, acting_service, check, has_national_scope
from cas.people.services import hide_limited_access
from cas.placements.models import Booking
from cas.placements.services import check_date_in_range
from cas.placements.sharing import SHARED_PROPERTY
from cas.placements.status import ACTIVE_STATUSES, available_from
from cas.premises.models import Bedspace, Premises, VoidPeriod
from cas.reference.models import Characteristic, LocalAuthorityArea, ProbationDeliveryUnit, ProbationRegion

# No limit on how many PDUs a search covers (a whole region is one choice); this only bounds what one
# request may name, far above any region's PDUs.
MAX_PDUS = 100

PremisesCharacteristic = Premises.characteristics.through
BedspaceCharacteristic = Bedspace.characteristics.through

# Characteristics by their stable `property_name` (the display names are editable data).
SHARED = SHARED_PROPERTY
SINGLE = "isSingleOccupancy"
MEN_ONLY = "isMenOnly"
WOMEN_ONLY = "isWomenOnly"
NOT_FOR_SEXUAL_RISK_TO_ADULTS = "notSuitableForSexualRiskToAdults"
NOT_FOR_SEXUAL_RISK_TO_CHILDREN = "notSuitableForSexualRiskToChildren"
NOT_FOR_ARSON = ("notSuitableForArsonHistory", "notSuitableForArsonOffenders")
WHEELCHAIR = "isWheelchairAccessible"
GROUND_FLOOR = "isGroundFloor"
LIFT = "hasLift"


class Occupancy(StrEnum):
    ALL = "all"
    SHARED = "shared"
    SINGLE = "single"


class SexNeed(StrEnum):
    NONE = "none"
    MEN = "men"
    WOMEN = "women"


class SexualRisk(StrEnum):
    ADULTS = "adults"
    CHILDREN = "children"


@dataclass(frozen=True)
class Criteria:
    start_date: dt.date
    nights: int
    pdus: tuple[ProbationDeliveryUnit, ...]
    occupancy: Occupancy = Occupancy.ALL
    sex: SexNeed = SexNeed.NONE
    sexual_risk: frozenset[SexualRisk] = frozenset()
    arson: bool = False
    wheelchair: bool = False
    step_free: bool = False
    avoid_local_authorities: tuple[LocalAuthorityArea, ...] = ()
    # With no PDUs chosen: search every (active) PDU of this region (`validate` lists them in `pdus`).
    region: ProbationRegion | None = None
    # The tier whose estate is searched: the searcher's own (set by `validate` when they have one).
    service: str | None = None

    @property
    def departure_date(self) -> dt.date:
        return self.start_date + dt.timedelta(days=self.nights)

    @property
    def end_date(self) -> dt.date:
        """The last night of the stay."""
        return self.departure_date - dt.timedelta(days=1)


def check_dates(criteria: Criteria) -> None:
    if criteria.start_date is None:
        raise DomainError("Enter the date the bedspace is needed from", field="start_date")
    check_date_in_range(criteria.start_date, "start_date", "date the bedspace is needed from")
    # A stay is searched for up to the tier's longest booking (CAS3: 84 nights), or a year at most.
    limit = (tiers.get(criteria.service).booking.max_nights if criteria.service else None) or 365
    if criteria.nights is None or not 1 <= criteria.nights <= limit:
        raise DomainError(f"Enter a number of nights from 1 to {limit}", field="nights")


def validate(user, criteria: Criteria) -> Criteria:
    """Refuse criteria the user may not search with, with a message for each field; the criteria
    returned name the tier searched."""
    check(user, Permission.PLACEMENT_SEARCH)
    service = acting_service(user, Permission.PLACEMENT_SEARCH, criteria.service)
    if service is None:
        raise DomainError("Choose which service's bedspaces to search", field="service")
    criteria = dataclasses.replace(criteria, service=service)
    check_dates(criteria)
    if not criteria.pdus and criteria.region is not None:
        criteria = dataclasses.replace(criteria, pdus=_whole_region(user, criteria.region))
    if not criteria.pdus:
        raise DomainError("Select at least one PDU", field="pdus")
    if len(criteria.pdus) > MAX_PDUS:
        raise DomainError(f"Select up to {MAX_PDUS} PDUs", field="pdus")
    if not has_national_scope(user):
        outside = [p.name for p in criteria.pdus if p.region_id != user.region_id]
        if outside:
            raise DomainError(f"Select PDUs in your region. {', '.join(outside)} is not", field="pdus")
    return criteria


def _whole_region(user, region: ProbationRegion) -> tuple[ProbationDeliveryUnit, ...]:
    """Every active PDU of `region`, for a search of the whole region (the user's own, or any for
    national users)."""
    if not has_national_scope(user) and region.pk != user.region_id:
        raise DomainError("You can search only the PDUs of your own region", field="pdus")
    pdus = tuple(ProbationDeliveryUnit.objects.active().filter(region=region).order_by("name"))
    if not pdus:
        raise DomainError(f"{region.name} has no PDUs to search. Select PDUs instead", field="pdus")
    return pdus


# The search is written in SQL rather than built with the ORM: building and compiling a query of a
# dozen EXISTS subqueries and a CASE used five times cost more than running it (the benchmark's
# "search API against bare SQL" measure). Table and column names come from the models' metadata, and
# every value is a parameter. The same SQL runs on SQLite and PostgreSQL.

_B = Bedspace._meta.db_table
_P = Premises._meta.db_table
_K = Booking._meta.db_table
_V = VoidPeriod._meta.db_table
_C = Characteristic._meta.db_table
_PC = PremisesCharacteristic._meta.db_table
_BC = BedspaceCharacteristic._meta.db_table
_U = ProbationDeliveryUnit._meta.db_table
_LA = LocalAuthorityArea._meta.db_table


def _has(scope: str, names: Iterable[str]) -> tuple[str, list]:
    """EXISTS: the property (scope premises) or the bedspace has one of the characteristics `names`."""
    names = list(names)
    table, column, owner = (
        (_PC, "premises_id", "s.premises_id") if scope == "premises" else (_BC, "bedspace_id", "s.id")
    )
    sql = (
        f"EXISTS (SELECT 1 FROM {table} pc JOIN {_C} c ON c.id = pc.characteristic_id "  # noqa: S608 (names from models)
        f"WHERE pc.{column} = {owner} AND c.model_scope = %s AND c.property_name IN ({raw_sql.marks(names)}))"
    )
    return sql, [scope, *names]


def _other_sex_booked(sex: str, criteria: Criteria) -> tuple[str, list]:
    """EXISTS: someone of `sex` staying at the property on any night of the requested stay."""
    return (
        f"EXISTS (SELECT 1 FROM {_K} o WHERE o.premises_id = s.premises_id "  # noqa: S608 (names from models)
        f"AND o.status IN ({raw_sql.marks(ACTIVE_STATUSES)}) AND o.arrival_date < %s AND o.departure_date > %s "
        "AND o.sex = %s)",
        [*ACTIVE_STATUSES, criteria.departure_date, criteria.start_date, sex],
    )


def filter_conditions(criteria: Criteria) -> list[tuple[str, list]]:
    """The chosen filters as SQL conditions on a bedspace `s` (with its property's columns)."""
    conditions: list[tuple[str, list]] = []

    def without(condition):
        sql, params = condition
        conditions.append((f"NOT {sql}", params))

    if criteria.occupancy == Occupancy.SHARED:
        conditions.append(_has("premises", [SHARED]))
    elif criteria.occupancy == Occupancy.SINGLE:
        conditions.append(_has("premises", [SINGLE]))
    if criteria.sex == SexNeed.MEN:
        without(_has("premises", [WOMEN_ONLY]))
        without(_other_sex_booked("Female", criteria))
    elif criteria.sex == SexNeed.WOMEN:
        without(_has("premises", [MEN_ONLY]))
        without(_other_sex_booked("Male", criteria))
    if SexualRisk.ADULTS in criteria.sexual_risk:
        without(_has("premises", [NOT_FOR_SEXUAL_RISK_TO_ADULTS]))
    if SexualRisk.CHILDREN in criteria.sexual_risk:
        without(_has("premises", [NOT_FOR_SEXUAL_RISK_TO_CHILDREN]))
    if criteria.arson:
        without(_has("premises", NOT_FOR_ARSON))
        without(_has("bedspace", NOT_FOR_ARSON))
    if criteria.wheelchair:
        conditions.append(_has("bedspace", [WHEELCHAIR]))
    if criteria.step_free:
        (a, a_params), (b, b_params) = _has("bedspace", [GROUND_FLOOR]), _has("premises", [GROUND_FLOOR, LIFT])
        conditions.append((f"({a} OR {b})", [*a_params, *b_params]))
    if criteria.avoid_local_authorities:
        avoid = [la.pk for la in criteria.avoid_local_authorities]
        conditions.append(
            (f"(s.local_authority_id IS NULL OR s.local_authority_id NOT IN ({raw_sql.marks(avoid)}))", avoid)
        )
    return conditions


def turnarounds_in(criteria: Criteria) -> set[int]:
    """The turnaround lengths (working days) of the properties in the chosen PDUs."""
    pdus = [p.pk for p in criteria.pdus]
    sql = f"SELECT DISTINCT turnaround_working_days FROM {_P} WHERE pdu_id IN ({raw_sql.marks(pdus)})"  # noqa: S608
    return {row[0] for row in raw_sql.rows(sql, pdus)}


def available_sql(criteria: Criteria, turnarounds: Iterable[int]) -> tuple[str, list]:
    """SQL selecting (id, free_from) of the bedspaces in the chosen PDUs that can take the stay:
    every rule and filter in one query. `free_from` is the first day the bedspace is free again
    after this stay and its property's turnaround (one date per turnaround length, from the
    working-day calendar), computed once per row in a derived table."""
    start, departure = criteria.start_date, criteria.departure_date
    pdus = [p.pk for p in criteria.pdus]
    days = sorted(set(turnarounds))
    free_from = "CASE p.turnaround_working_days " + " ".join("WHEN %s THEN %s" for _ in days) + " END"
    params: list = [v for n in days for v in (n, available_from(departure, n))]
    conditions = filter_conditions(criteria)
    # Table names come from the models and every value is a parameter.
    sql = f"""
        SELECT s.id, s.free_from FROM (
            SELECT b.id, b.premises_id, b.end_date, p.end_date AS premises_end_date, p.local_authority_id,
                   {free_from} AS free_from
            FROM {_B} b JOIN {_P} p ON p.id = b.premises_id
            WHERE p.pdu_id IN ({raw_sql.marks(pdus)}) AND p.service = %s AND b.start_date <= %s AND p.start_date <= %s
        ) s
        WHERE s.free_from IS NOT NULL
          AND (s.end_date IS NULL OR s.end_date >= s.free_from)
          AND (s.premises_end_date IS NULL OR s.premises_end_date >= s.free_from)
          AND NOT EXISTS (SELECT 1 FROM {_K} k WHERE k.bedspace_id = s.id AND k.status IN ({raw_sql.marks(ACTIVE_STATUSES)})
                          AND k.arrival_date < s.free_from AND k.available_from > %s)
          AND NOT EXISTS (SELECT 1 FROM {_V} v WHERE v.bedspace_id = s.id AND v.cancelled_at IS NULL
                          AND v.start_date < s.free_from AND v.end_date >= %s)
          {"".join(f" AND {condition}" for condition, _ in conditions)}
    """  # noqa: S608
    params += [*pdus, criteria.service, start, start, *ACTIVE_STATUSES, start, start]
    for _, values in conditions:
        params += values
    return sql, params


@dataclass
class FoundBedspace:
    """A bedspace that can take the stay: what the results show of it."""

    id: uuid.UUID
    reference: str
    characteristics: list[str] = field(default_factory=list)

    @property
    def pk(self) -> uuid.UUID:
        return self.id


@dataclass
class FoundProperty:
    """The property of bedspaces found: what the results show of it."""

    id: uuid.UUID
    reference: str
    address_line1: str
    address_line2: str
    town: str
    postcode: str
    pdu: str
    local_authority: str | None
    notes: str
    turnaround_working_days: int
    characteristics: list[str] = field(default_factory=list)
    # A shared property (`sharing.SHARED_PROPERTY`): marked for a person not suitable to share.
    is_shared: bool = False

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.address_line1, self.address_line2, self.town, self.postcode) if p)


@dataclass
class Overlap:
    """Someone else staying at the property during some of the requested nights. `person_name`
    and `crn` are what `people.hide_limited_access` hides from users the case system restricts."""

    booking_id: uuid.UUID
    person_name: str
    crn: str
    sex: str
    is_sexual_risk: bool
    bedspace: str
    nights: int
    limited_access: bool = False


@dataclass
class PropertyResult:
    premises: FoundProperty
    bedspaces: list[FoundBedspace] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)


@dataclass
class Results:
    criteria: Criteria
    properties: list[PropertyResult]

    @property
    def bedspace_count(self) -> int:
        return sum(len(p.bedspaces) for p in self.properties)


def _found(criteria: Criteria, turnarounds: Iterable[int]) -> list[PropertyResult]:
    """The available bedspaces with what the results show of them and their property, in order:
    PDU, property reference, bedspace reference."""
    available, params = available_sql(criteria, turnarounds)
    # Table names come from the models and every value is a parameter.
    sql = f"""
        SELECT b.id, b.reference, p.id, p.reference, p.address_line1, p.address_line2, p.town, p.postcode,
               u.name, la.name, p.notes, p.turnaround_working_days
        FROM ({available}) a
        JOIN {_B} b ON b.id = a.id
        JOIN {_P} p ON p.id = b.premises_id
        JOIN {_U} u ON u.id = p.pdu_id
        LEFT JOIN {_LA} la ON la.id = p.local_authority_id
        ORDER BY u.name, p.reference, b.reference
    """  # noqa: S608
    groups: dict[uuid.UUID, PropertyResult] = {}
    for row in raw_sql.rows(sql, params):
        premises_id = raw_sql.as_uuid(row[2])
        group = groups.get(premises_id)
        if group is None:
            group = groups[premises_id] = PropertyResult(FoundProperty(premises_id, *row[3:]))
        group.bedspaces.append(FoundBedspace(raw_sql.as_uuid(row[0]), row[1]))
    return list(groups.values())


def _add_characteristics(groups: list[PropertyResult]) -> None:
    """Each property's and bedspace's characteristic names, in the model's order: one query."""
    premises = {g.premises.id: g.premises for g in groups}
    bedspaces = {b.id: b for g in groups for b in g.bedspaces}
    p_ids, b_ids = raw_sql.uuid_params(premises), raw_sql.uuid_params(bedspaces)
    sql = f"""
        SELECT 'p', pc.premises_id, c.name, c.sort_order, c.property_name
        FROM {_PC} pc JOIN {_C} c ON c.id = pc.characteristic_id
        WHERE pc.premises_id IN ({raw_sql.marks(p_ids)})
        UNION ALL
        SELECT 'b', bc.bedspace_id, c.name, c.sort_order, c.property_name
        FROM {_BC} bc JOIN {_C} c ON c.id = bc.characteristic_id
        WHERE bc.bedspace_id IN ({raw_sql.marks(b_ids)})
        ORDER BY 4, 3
    """  # noqa: S608
    for level, owner, name, _, property_name in raw_sql.rows(sql, [*p_ids, *b_ids]):
        owner = (premises if level == "p" else bedspaces)[raw_sql.as_uuid(owner)]
        owner.characteristics.append(name)
        if level == "p" and property_name == SHARED:
            owner.is_shared = True


def _add_overlaps(groups: list[PropertyResult], criteria: Criteria) -> None:
    """The people booked at each property during the stay, by arrival."""
    by_id = {g.premises.id: g for g in groups}
    ids = raw_sql.uuid_params(by_id)
    sql = f"""
        SELECT o.premises_id, o.id, o.person_name, o.crn, o.sex, o.is_sexual_risk, b.reference,
               o.arrival_date, o.departure_date
        FROM {_K} o JOIN {_B} b ON b.id = o.bedspace_id
        WHERE o.premises_id IN ({raw_sql.marks(ids)}) AND o.status IN ({raw_sql.marks(ACTIVE_STATUSES)})
          AND o.arrival_date < %s AND o.departure_date > %s
        ORDER BY o.arrival_date, o.created_at
    """  # noqa: S608
    start, departure = criteria.start_date, criteria.departure_date
    for premises_id, booking_id, name, crn, sex, risk, bedspace, arrival, leaving in raw_sql.rows(
        sql, [*ids, *ACTIVE_STATUSES, departure, start]
    ):
        nights = max(0, (min(leaving, departure) - max(arrival, start)).days)
        by_id[raw_sql.as_uuid(premises_id)].overlaps.append(
            Overlap(raw_sql.as_uuid(booking_id), name, crn, sex, bool(risk), bedspace, nights)
        )


def search(user, criteria: Criteria) -> Results:
    """The available bedspaces grouped by property, each property with the people booked there
    during the stay (their sex, sexual-risk flag and nights of overlap). Four queries returning
    plain rows: a search finds hundreds of bedspaces, and model instances for them (with their
    property, PDU, local authority and characteristics) cost more than the search's SQL."""
    criteria = validate(user, criteria)
    turnarounds = turnarounds_in(criteria)
    groups = _found(criteria, turnarounds) if turnarounds else []
    if groups:
        _add_characteristics(groups)
        _add_overlaps(groups, criteria)
    return Results(criteria, groups)


# Why not? --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    kind: str  # "not_open", "archived", "booking", "turnaround", "void", "filter", "pdu"
    text: str
    until: dt.date | None = None
    booking_id: object = None


def _characteristic_names(obj) -> set[str]:
    return {c.property_name for c in obj.characteristics.all()}


def _filter_reasons(bedspace: Bedspace, criteria: Criteria) -> list[Reason]:
    premises = bedspace.premises
    has = _characteristic_names(premises)
    bed_has = _characteristic_names(bedspace)
    reasons: list[Reason] = []

    def add(text):
        reasons.append(Reason("filter", text))

    if criteria.pdus and premises.pdu_id not in {p.pk for p in criteria.pdus}:
        reasons.append(Reason("pdu", f"The property is in {premises.pdu.name}, which is not one of the PDUs chosen"))
    if criteria.occupancy == Occupancy.SHARED and SHARED not in has:
        add("You asked for a shared property, and this property is not shared")
    if criteria.occupancy == Occupancy.SINGLE and SINGLE not in has:
        add("You asked for single occupancy, and this property is not single occupancy")
    others = Booking.objects.filter(
        premises=premises,
        status__in=ACTIVE_STATUSES,
        arrival_date__lt=criteria.departure_date,
        departure_date__gt=criteria.start_date,
    )
    if criteria.sex == SexNeed.MEN:
        if WOMEN_ONLY in has:
            add("You asked for men-only accommodation, and this property is women only")
        if others.filter(sex="Female").exists():
            add("You asked for men-only accommodation, and a woman is booked at this property during the stay")
    if criteria.sex == SexNeed.WOMEN:
        if MEN_ONLY in has:
            add("You asked for women-only accommodation, and this property is men only")
        if others.filter(sex="Male").exists():
            add("You asked for women-only accommodation, and a man is booked at this property during the stay")
    if SexualRisk.ADULTS in criteria.sexual_risk and NOT_FOR_SEXUAL_RISK_TO_ADULTS in has:
        add("The property is not suitable for people who pose a sexual risk to adults")
    if SexualRisk.CHILDREN in criteria.sexual_risk and NOT_FOR_SEXUAL_RISK_TO_CHILDREN in has:
        add("The property is not suitable for people who pose a sexual risk to children")
    if criteria.arson and (has | bed_has) & set(NOT_FOR_ARSON):
        add("The property or bedspace is not suitable for people with an arson history")
    if criteria.wheelchair and WHEELCHAIR not in bed_has:
        add("The bedspace is not wheelchair accessible")
    if criteria.step_free and GROUND_FLOOR not in bed_has and not has & {GROUND_FLOOR, LIFT}:
        add("The bedspace has no step-free access: it is not on the ground floor and the property has no lift")
    avoided = {la.pk for la in criteria.avoid_local_authorities}
    if premises.local_authority_id in avoided:
        add(f"The property is in {premises.local_authority.name}, a local authority to avoid")
    return reasons


def explain(bedspace: Bedspace, criteria: Criteria, user=None) -> list[Reason]:
    """Every reason `bedspace` cannot take the stay in `criteria` (empty: it can). Given the `user`,
    people booked there whom the case system restricts from them are named "Limited access"."""
    criteria = dataclasses.replace(criteria, service=criteria.service or bedspace.premises.service)
    check_dates(criteria)
    premises = bedspace.premises
    start, departure = criteria.start_date, criteria.departure_date
    free_from = available_from(departure, premises.turnaround_working_days)
    reasons: list[Reason] = []
    for subject, what in ((bedspace, "bedspace"), (premises, "property")):
        if subject.start_date > start:
            reasons.append(Reason("not_open", f"The {what} is not in service until {long_date(subject.start_date)}"))
        if subject.end_date is not None and subject.end_date < free_from:
            reasons.append(
                Reason(
                    "archived",
                    f"The {what} is archived from {long_date(subject.end_date)}, before the stay and its "
                    f"turnaround end",
                    until=subject.end_date,
                )
            )
    bookings = (
        Booking.objects.filter(
            bedspace=bedspace, status__in=ACTIVE_STATUSES, arrival_date__lt=free_from, available_from__gt=start
        )
        .order_by("arrival_date")
        .only("pk", "crn", "person_name", "arrival_date", "departure_date", "available_from", "status")
    )
    if user is not None:
        bookings = hide_limited_access(user, bookings)
    for booking in bookings:
        last_night = booking.departure_date - dt.timedelta(days=1)
        last_turnaround = booking.available_from - dt.timedelta(days=1)
        if booking.arrival_date < departure and booking.departure_date > start:
            text = (
                f"Booked for {booking.person_name} ({booking.crn}) from {long_date(booking.arrival_date)}, "
                f"leaving {long_date(booking.departure_date)}"
            )
            if booking.available_from > booking.departure_date:
                text += f", then turnaround until {long_date(last_turnaround)}"
            reasons.append(Reason("booking", text, until=last_turnaround, booking_id=booking.pk))
        elif booking.arrival_date >= departure:
            reasons.append(
                Reason(
                    "turnaround",
                    f"Booked for {booking.person_name} ({booking.crn}) from {long_date(booking.arrival_date)}, "
                    f"before the turnaround after this stay ends on {long_date(free_from - dt.timedelta(days=1))}",
                    until=last_turnaround,
                    booking_id=booking.pk,
                )
            )
        else:
            reasons.append(
                Reason(
                    "turnaround",
                    f"In turnaround until {long_date(last_turnaround)}, after {booking.person_name} "
                    f"({booking.crn}) leaves on {long_date(booking.departure_date)}"
                    if booking.available_from > booking.departure_date
                    else f"Booked until the night of {long_date(last_night)}",
                    until=last_turnaround,
                    booking_id=booking.pk,
                )
            )
    voids = VoidPeriod.objects.filter(
        bedspace=bedspace, cancelled_at__isnull=True, start_date__lt=free_from, end_date__gte=start
    ).select_related("reason")
    for void in voids.order_by("start_date"):
        reasons.append(
            Reason(
                "void",
                f"Void (out of service: {void.reason.name}) from {long_date(void.start_date)} to "
                f"{long_date(void.end_date)}",
                until=void.end_date,
            )
        )
    return reasons + _filter_reasons(bedspace, criteria)
