"""Deterministic national-scale data for benchmarks: every region and PDU, about 3,000 properties
and 10,000 bedspaces, and five years of history scaled by `scale` on the same estate: referrals
through the review workflow with their timelines and notes, bookings through every state with the
step records the placement services write, departures with move-on categories, incidents, void
periods, HPT assessors and referrers, and people taken from the synthetic case system's national pool.

The data keeps the rules the services enforce, so pages and reports behave as on real data:
- no two active bookings (with their turnaround) overlap on a bedspace, and none overlaps a void
  or runs past an archived bedspace's end date (PostgreSQL's exclusion constraint would refuse it);
- a booking's referral is in the status the booking services would have left it in (provisional:
  ready to place; confirmed, arrived or departed: archived; cancelled or not arrived: back to ready
  to place, and archived by the HPT later if that was long ago), and its timeline says how it got there;
- women-only properties house women, men-only properties men.

Bulk inserts in batches (no per-row save, no signals, no audit rows: this is synthetic load, not
case work). The same scale gives the same data on every run and machine (seeded random).

Scale 10 is ten times the history on the same estate: each bedspace's past is cut into ten times
as many slots, so stays are shorter and turnover higher, and nothing overlaps. The present does not
change with the scale: the estate, the voids and the bookings of the last PRESENT_DAYS and ahead come
from seeds of their own (identical at every scale), and the share of recent referrals still waiting
in the queue is divided by the scale.
"""

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from cas.accounts.models import RoleAssignment, User
from cas.datagen.bulk import insert
from cas.people.ports import (
    FLAG_ARSON,
    FLAG_REGISTERED_SEX_OFFENDER,
    FLAG_SEXUAL_RISK_TO_ADULTS,
    FLAG_SEXUAL_RISK_TO_CHILDREN,
)
from cas.people.synthetic.dataset import NATIONAL_POOL, national_person
from cas.placements.models import (
    Arrival,
    Booking,
    Cancellation,
    Confirmation,
    DateChange,
    Departure,
    Incident,
    NonArrival,
    Overstay,
    TurnaroundChange,
)
from cas.placements.status import available_from
from cas.premises.models import Bedspace, Premises, VoidPeriod
from cas.reference.models import (
    CancellationReason,
    Characteristic,
    DepartureReason,
    DestinationProvider,
    LocalAuthorityArea,
    MoveOnCategory,
    NonArrivalReason,
    ProbationDeliveryUnit,
    ProbationRegion,
    ReferralRejectionReason,
    VoidReason,
)
from cas.referrals.models import Referral, TimelineEntry

BATCH = 5000
YEARS = 5
PROPERTIES = 3000
BEDSPACES_PER_PROPERTY = (2, 3, 3, 4, 5)  # mean 3.4 -> about 10,000 bedspaces
REFERRALS = 100_000
BOOKINGS = 80_000
VOIDS = 10_000
ASSESSORS_PER_REGION = 6
REFERRERS_PER_REGION = 8
# Future bookings reach this far ahead of today.
HORIZON_DAYS = 90
# The present: the last PRESENT_DAYS and the bookings ahead are the same at every scale.
PRESENT_DAYS = 180
PRESENT_PEOPLE = 50_000
# Bookings made for people referred outside the service (details from the case system).
UNLINKED_BOOKINGS = 0.1
# Share of the referrals submitted in the last OPEN_DAYS that are still open (divided by the scale).
OPEN_DAYS = 60
OPEN_SHARE = 0.6
OUT_OF_REGION = 0.05
INCIDENTS = 0.04
NOTES = 0.25
MAX_NIGHTS = 84


@dataclass(slots=True)
class Stay:
    """One planned booking, before its referral and rows exist."""

    id: uuid.UUID
    bedspace_id: uuid.UUID
    premises_id: uuid.UUID
    region_id: int
    pdu_id: int
    turnaround: int
    arrival: dt.date
    departure: dt.date
    available: dt.date
    status: str
    person: int
    created: dt.datetime
    confirmed: dt.datetime | None = None
    ended: dt.datetime | None = None  # when it was cancelled or the non-arrival recorded
    extended_from: dt.date | None = None
    referral_id: uuid.UUID | None = None
    assessor: tuple[int, str] | None = None
    practitioner: tuple[str, str] | None = None


@dataclass
class Context:
    scale: float
    today: dt.date
    rng: random.Random
    counts: dict[str, int] = field(default_factory=dict)
    bedspaces: list[tuple] = field(default_factory=list)  # (id, premises id, region id, start, end)
    premises: dict = field(default_factory=dict)  # premises id -> (pdu id, turnaround, "Female"/"Male"/None)
    voids: dict = field(default_factory=dict)  # bedspace id -> [(start, end)]
    stays: list[Stay] = field(default_factory=list)
    users_by_region: dict[int, int] = field(default_factory=dict)  # region -> first referrer (kept for steps)
    referrers: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)  # (id, name, email)
    assessors: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # (id, name)
    people: dict[int, tuple] = field(default_factory=dict)
    progress: Callable[[str], None] = print


# Other modules add steps that run after the history is written.
EXTRA_STEPS: list[Callable[[Context], None]] = []


def _chunks(rows, size=BATCH):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _at(day: dt.date, rng: random.Random, earliest_hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randrange(earliest_hour, 18), rng.randrange(60)), tzinfo=dt.UTC)


def _later(moment: dt.datetime, rng: random.Random, days: int, today: dt.date) -> dt.datetime:
    """A moment up to `days` days after `moment`, never after today."""
    day = min(moment.date() + dt.timedelta(days=rng.randrange(days + 1)), today)
    return max(moment + dt.timedelta(minutes=5), _at(day, rng))


def _id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@contextmanager
def historical_timestamps(*models) -> Iterator[None]:
    """Let bulk inserts keep the `created_at`/`updated_at` they were given (history happened in the
    past), instead of the auto_now(_add) time of the insert."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


# Users -----------------------------------------------------------------------------------------


def users(ctx: Context) -> None:
    """Referrers (probation practitioners) and HPT assessors in every region."""
    for region in ProbationRegion.objects.order_by("pk"):
        code = region.delius_code.lower()
        people = [(f"gen.referrer.{code}", "cas3_referrer", "Referrer", "")] + [
            (f"gen.referrer.{code}.{n}", "cas3_referrer", "Referrer", f" {n}")
            for n in range(2, REFERRERS_PER_REGION + 1)
        ]
        people += [
            (f"gen.assessor.{code}.{n}", "cas3_assessor", "Assessor", f" {n}")
            for n in range(1, 1 + ASSESSORS_PER_REGION)
        ]
        for username, role, kind, suffix in people:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": f"Generated {kind}{suffix}",
                    "last_name": region.name,
                    "email": f"{username}@justice.gov.uk",
                    "region": region,
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                RoleAssignment.objects.get_or_create(user=user, role=role)
            name = user.get_full_name()
            if role == "cas3_referrer":
                ctx.referrers.setdefault(region.pk, []).append((user.pk, name, user.email))
            else:
                ctx.assessors.setdefault(region.pk, []).append((user.pk, name))
        ctx.users_by_region[region.pk] = ctx.referrers[region.pk][0][0]


# Estate ----------------------------------------------------------------------------------------


def estate(ctx: Context) -> None:
    rng = random.Random("cas-national:estate")  # the same estate at every scale
    pdus = list(ProbationDeliveryUnit.objects.exclude(region__delius_code="NA").select_related("region").order_by("pk"))
    authorities = list(
        LocalAuthorityArea.objects.filter(is_active=True, identifier__regex=r"^[EW]0[6-9]").order_by("pk")
    )
    premises_chars = {c.property_name: c for c in Characteristic.objects.filter(model_scope="premises").order_by("pk")}
    bedspace_chars = {c.property_name: c for c in Characteristic.objects.filter(model_scope="bedspace").order_by("pk")}
    earliest = ctx.today - dt.timedelta(days=365 * YEARS)
    premises_rows, bedspace_rows, p_links, b_links = [], [], [], []
    for n in range(PROPERTIES):
        pdu = pdus[n % len(pdus)]
        start = earliest + dt.timedelta(days=rng.randrange(0, 400))
        archived = rng.random() < 0.05
        end = ctx.today - dt.timedelta(days=rng.randrange(1, 300)) if archived else None
        premises = Premises(
            id=uuid.UUID(int=rng.getrandbits(128)),
            service="cas3",
            reference=f"GEN-{n:05d}",
            address_line1=f"{n + 1} Generated Road",
            town=pdu.name[:100],
            postcode=f"ZZ{n % 99 + 1} {n % 9}AA",
            local_authority=authorities[n % len(authorities)],
            region=pdu.region,
            pdu=pdu,
            turnaround_working_days=rng.choice((0, 1, 2, 2, 2, 3)),
            start_date=start,
            end_date=end,
        )
        premises_rows.append(premises)
        women_only = rng.random() < 0.06
        sex_rule = "Female" if women_only else None
        for name, chance in (
            ("isWomenOnly", 1.0 if women_only else 0),
            ("isMenOnly", 0 if women_only else 0.4),
            ("isSingleOccupancy", 0.3),
            ("isSharedProperty", 0.5),
            ("isGroundFloor", 0.3),
            ("notSuitableForArsonHistory", 0.1),
            ("notSuitableForSexualRiskToChildren", 0.15),
            ("notSuitableForSexualRiskToAdults", 0.1),
        ):
            if name in premises_chars and rng.random() < chance:
                p_links.append((premises.id, premises_chars[name].pk))
                if name == "isMenOnly":
                    sex_rule = "Male"
        ctx.premises[premises.id] = (pdu.pk, premises.turnaround_working_days, sex_rule)
        for b in range(rng.choice(BEDSPACES_PER_PROPERTY)):
            bedspace = Bedspace(
                id=uuid.UUID(int=rng.getrandbits(128)),
                premises=premises,
                reference=f"Room {b + 1}",
                start_date=start,
                end_date=end,
            )
            bedspace_rows.append(bedspace)
            ctx.bedspaces.append((bedspace.id, premises.id, pdu.region_id, start, end))
            for name, chance in (
                ("isWheelchairAccessible", 0.08),
                ("hasSharedKitchen", 0.6),
                ("hasSharedBathroom", 0.5),
                ("isGroundFloor", 0.3),
            ):
                if name in bedspace_chars and rng.random() < chance:
                    b_links.append((bedspace.id, bedspace_chars[name].pk))
    with transaction.atomic():
        for chunk in _chunks(premises_rows):
            insert(Premises, chunk)
        for chunk in _chunks(bedspace_rows):
            insert(Bedspace, chunk)
        PremisesLink = Premises.characteristics.through
        BedspaceLink = Bedspace.characteristics.through
        for chunk in _chunks(p_links):
            insert(PremisesLink, [PremisesLink(premises_id=p, characteristic_id=c) for p, c in chunk])
        for chunk in _chunks(b_links):
            insert(BedspaceLink, [BedspaceLink(bedspace_id=b, characteristic_id=c) for b, c in chunk])
    ctx.counts.update(properties=len(premises_rows), bedspaces=len(bedspace_rows))
    ctx.progress(f"estate: {len(premises_rows)} properties, {len(bedspace_rows)} bedspaces")


def voids(ctx: Context) -> None:
    rng = random.Random("cas-national:voids")  # the same voids at every scale
    reasons = list(VoidReason.objects.filter(is_active=True).order_by("pk"))
    rows = []
    # One void per bedspace window keeps them from overlapping; bookings avoid them later.
    for i in range(VOIDS):
        bedspace_id, _, _, start, end = ctx.bedspaces[i % len(ctx.bedspaces)]
        last = (end or ctx.today + dt.timedelta(days=60)) - dt.timedelta(days=30)
        span = (last - start).days
        if span <= 30:
            continue
        # Voids of one bedspace sit in separate slices of its life: slice k of (VOIDS // bedspaces + 1).
        slices = VOIDS // len(ctx.bedspaces) + 1
        k = i // len(ctx.bedspaces)
        slice_start = start + dt.timedelta(days=span * k // slices)
        begin = slice_start + dt.timedelta(days=rng.randrange(0, max(1, span // slices - 20)))
        void = VoidPeriod(
            id=uuid.UUID(int=rng.getrandbits(128)),
            bedspace_id=bedspace_id,
            start_date=begin,
            end_date=begin + dt.timedelta(days=rng.randrange(1, 14)),
            reason=rng.choice(reasons),
            cost_borne_by=rng.choice(("hmpps", "supplier")),
        )
        rows.append(void)
        ctx.voids.setdefault(bedspace_id, []).append((void.start_date, void.end_date))
    with transaction.atomic():
        for chunk in _chunks(rows):
            insert(VoidPeriod, chunk)
    ctx.counts["voids"] = len(rows)
    ctx.progress(f"voids: {len(rows)}")


# Bookings: the plan ----------------------------------------------------------------------------


def _free_segment(start: dt.date, end: dt.date, voids: list[tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date]:
    """The longest part of [start, end) that no void period (inclusive dates) touches."""
    segments = [(start, end)]
    for v_start, v_end in voids:
        v_stop = v_end + dt.timedelta(days=1)
        cut = []
        for a, b in segments:
            if v_stop <= a or v_start >= b:
                cut.append((a, b))
                continue
            if a < v_start:
                cut.append((a, v_start))
            if v_stop < b:
                cut.append((v_stop, b))
        segments = cut
    return max(segments, key=lambda s: (s[1] - s[0], s[0]), default=(start, start))


def _nights(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.15:
        return rng.randint(1, 27)
    if r < 0.93:
        return rng.randint(28, MAX_NIGHTS)
    return rng.randint(MAX_NIGHTS + 1, 140)  # overstays, recorded as authorised or not


def _person_for(rng: random.Random, people: int, sex_rule: str | None) -> int:
    """An index of the national pool; every 16th person (index % 16 == 5) is a woman."""
    index = 2000 + rng.randrange(people)
    if sex_rule is None:
        return index
    if sex_rule == "Female":
        return index - index % 16 + 5 + (16 if index % 16 > 5 else 0)
    return index + 1 if index % 16 == 5 else index


def _people_in_pool(ctx: Context) -> int:
    # People are referred more than once.
    return min(NATIONAL_POOL - 2100, max(50_000, int(REFERRALS * ctx.scale) // 2))


def plan_bookings(ctx: Context) -> None:
    """Cut each bedspace's life into slots, one booking per slot, so nothing overlaps; then give
    each booking the status its dates imply."""
    today = ctx.today
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    cut = today - dt.timedelta(days=PRESENT_DAYS)
    people = _people_in_pool(ctx)
    # The present (the last PRESENT_DAYS and the bookings ahead) comes from its own seed and the same
    # people at every scale, so scale 1 and scale 10 differ only in their history.
    present_rng = random.Random("cas-national:present")
    lives = []
    for bedspace_id, premises_id, region_id, start, end in ctx.bedspaces:
        # Held dates [arrival, available_from) must end by an archived bedspace's end date.
        last = end if end is not None else horizon
        middle = min(max(start, cut), last)
        lives.append((bedspace_id, premises_id, region_id, start, middle, last))
    past_days = sum((middle - start).days for _, _, _, start, middle, _ in lives)
    present_days = sum(max(0, (last - middle).days) for *_, middle, last in lives)
    density = BOOKINGS / max(1, past_days + present_days)  # bookings per bedspace-day at scale 1
    past_density = max(0.0, BOOKINGS * ctx.scale - density * present_days) / max(1, past_days)
    for bedspace_id, premises_id, region_id, life_start, middle, last in lives:
        pdu_id, turnaround, sex_rule = ctx.premises[premises_id]
        for rng, start, end, per_day, pool in (
            (ctx.rng, life_start, middle, past_density, people),
            (present_rng, middle, last, density, PRESENT_PEOPLE),
        ):
            life = max(0, (end - start).days)
            slots = int(per_day * life + rng.random())
            for k in range(slots):
                ctx.stays.append(
                    _plan_stay(
                        ctx,
                        rng,
                        (bedspace_id, premises_id, region_id, pdu_id, turnaround, sex_rule, pool),
                        start + dt.timedelta(days=life * k // slots),
                        start + dt.timedelta(days=life * (k + 1) // slots),
                    )
                )
    counts: dict[str, int] = {}
    for stay in ctx.stays:
        counts[stay.status] = counts.get(stay.status, 0) + 1
    ctx.progress(f"planned {len(ctx.stays)} bookings: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))


def _plan_stay(ctx: Context, rng: random.Random, where: tuple, slot_start: dt.date, slot_end: dt.date) -> Stay:
    """One booking held within [slot_start, slot_end) of a bedspace, clear of its voids."""
    bedspace_id, premises_id, region_id, pdu_id, turnaround, sex_rule, people = where
    today = ctx.today
    a, b = _free_segment(slot_start, slot_end, ctx.voids.get(bedspace_id, ()))
    # Calendar days a turnaround can take (weekends and a bank holiday), kept free after departure.
    room = (b - a).days - (turnaround + 4 if turnaround else 0)
    holds = room >= 1
    nights = min(_nights(rng), room) if holds else rng.randint(1, 14)
    arrival = a + dt.timedelta(days=rng.randrange(0, room - nights + 1) if holds else 0)
    departure = arrival + dt.timedelta(days=nights)
    available = available_from(departure, turnaround)
    while holds and available > b:  # rare: more non-working days than allowed for
        departure -= available - b
        available = available_from(departure, turnaround)
        holds = departure > arrival
    if not holds:
        departure = arrival + dt.timedelta(days=max(1, nights))
        available = available_from(departure, turnaround)
    status = _status(rng, today, arrival, departure, holds)
    if status not in ("arrived", "departed") and (departure - arrival).days > MAX_NIGHTS:
        # Nobody books more than 84 nights; only a stay can be extended past them.
        departure = arrival + dt.timedelta(days=MAX_NIGHTS)
        available = available_from(departure, turnaround)
    created_day = arrival - dt.timedelta(days=rng.randrange(1, 29))
    if created_day > today:
        created_day = today - dt.timedelta(days=rng.randrange(0, 15))
    stay = Stay(
        id=_id(rng),
        bedspace_id=bedspace_id,
        premises_id=premises_id,
        region_id=region_id,
        pdu_id=pdu_id,
        turnaround=turnaround,
        arrival=arrival,
        departure=departure,
        available=available,
        status=status,
        person=_person_for(rng, people, sex_rule),
        created=_at(created_day, rng),
    )
    stay.assessor = rng.choice(ctx.assessors[region_id])
    _step_times(stay, rng, today)
    return stay


def _status(rng: random.Random, today: dt.date, arrival: dt.date, departure: dt.date, holds: bool) -> str:
    r = rng.random()
    if not holds:  # no room left in the slot: a booking that never held the bedspace
        return "cancelled" if r < 0.7 or arrival > today else "not_arrived"
    if arrival > today:
        return "provisional" if r < 0.35 else "confirmed" if r < 0.9 else "cancelled"
    if departure > today:
        if r < 0.06 and (today - arrival).days < 7:
            return "not_arrived"
        return "arrived"
    return "departed" if r < 0.86 else "cancelled" if r < 0.95 else "not_arrived"


def _step_times(stay: Stay, rng: random.Random, today: dt.date) -> None:
    arrival_moment = _at(stay.arrival, rng, 10)
    if stay.status in ("confirmed", "arrived", "departed") or (
        stay.status in ("cancelled", "not_arrived") and rng.random() < 0.6
    ):
        latest = min(stay.arrival, today) - stay.created.date()
        stay.confirmed = _later(stay.created, rng, max(0, min(3, latest.days)), today)
        if stay.confirmed > arrival_moment and stay.arrival <= today:
            stay.confirmed = stay.created + dt.timedelta(minutes=30)
    if stay.status == "cancelled":
        last_day = min(stay.arrival, today)
        start = (stay.confirmed or stay.created).date()
        stay.ended = max(
            stay.confirmed or stay.created,
            _at(start + dt.timedelta(days=rng.randrange(max(1, (last_day - start).days + 1))), rng),
        ) + dt.timedelta(minutes=1)
    elif stay.status == "not_arrived":
        stay.ended = max(stay.confirmed or stay.created, _later(_at(stay.arrival, rng, 12), rng, 1, today))
    if (
        stay.status in ("arrived", "departed")
        and (stay.departure - stay.arrival).days > 14
        and ((stay.departure - stay.arrival).days > MAX_NIGHTS or rng.random() < 0.1)
    ):
        nights = (stay.departure - stay.arrival).days
        stay.extended_from = stay.arrival + dt.timedelta(days=rng.randint(7, min(nights - 1, MAX_NIGHTS)))


# People ----------------------------------------------------------------------------------------


def _person(ctx: Context, index: int) -> tuple:
    """The snapshot a booking or referral takes of person `index` of the synthetic case system."""
    found = ctx.people.get(index)
    if found is None:
        person, risk = national_person(index)
        flags = set(risk.flags)
        index_offence = next((o for o in person.offences if o.is_index), None)
        found = ctx.people[index] = (
            person.crn,
            person.noms_number or "",
            person.pnc_number or "",
            person.name,
            person.date_of_birth,
            person.sex or "",
            person.gender_identity or "",
            person.ethnicity or "",
            FLAG_REGISTERED_SEX_OFFENDER in flags,
            bool(flags & {FLAG_SEXUAL_RISK_TO_ADULTS, FLAG_SEXUAL_RISK_TO_CHILDREN}),
            FLAG_ARSON in flags,
            risk.rosh.overall or "",
            risk.tier or "",
            risk.mappa.label if risk.mappa and risk.mappa.category else "",
            person.manager.name,
            person.manager.email,
            (index_offence.offence_id, index_offence.description[:300]) if index_offence else ("", ""),
            person.prison_name or "",
        )
    return found


# Referrals and their timelines -----------------------------------------------------------------

NOTE_TEXTS = (
    ("assessor", False, "Called the prison offender manager to confirm the release date."),
    ("assessor", True, "Please send the latest risk management plan before we can place."),
    ("assessor", False, "Checked with the local authority: no local connection issues."),
    ("assessor", True, "We have a possible bedspace; can you confirm the person will share?"),
    ("assessor", False, "Exclusion zone checked against the property addresses."),
    ("referrer", True, "The release date is confirmed. The person agrees to share."),
    ("referrer", True, "Updated risk management plan attached to the case record."),
    ("referrer", True, "The person has a hospital appointment on the day of release."),
)
ELIGIBILITY = (
    "homeless_from_prison",
    "homeless_from_prison",
    "homeless_from_prison",
    "homeless_from_approved_premises",
    "homeless_from_cas2",
)
DTR_OUTCOMES = (
    "accepted_prevention_relief",
    "accepted_priority_need",
    "rejected_no_local_connection",
    "rejected_other",
    "not_received",
)
RELEASE_TYPES = ("crd", "crd", "crd", "parole", "fixed_term_recall", "standard_recall", "rarr")


class _Timeline:
    """Collects timeline entries of a batch of referrals, as the review services would write them."""

    def __init__(self):
        self.model = TimelineEntry
        self.rows: list = []
        self.written = 0

    def add(self, referral_id, kind, when, author, author_kind, **fields):
        author_id, author_name = author if author else (None, "The service")
        self.rows.append(
            self.model(
                referral_id=referral_id,
                kind=kind,
                created_at=when,
                author_id=author_id,
                author_name=author_name,
                author_kind=author_kind,
                **fields,
            )
        )

    def status(self, referral_id, when, author, action, before, after, **fields):
        self.add(
            referral_id,
            "status",
            when,
            author,
            "assessor",
            action=action,
            from_status=before,
            to_status=after,
            **fields,
        )


def referrals(ctx: Context) -> None:
    """Every linked booking's referral, in the status its booking implies, then the referrals that
    never got a booking (rejected, archived, drafts and the ones still in the queue)."""
    rng = ctx.rng
    total = int(REFERRALS * ctx.scale)
    people = _people_in_pool(ctx)
    reasons = list(ReferralRejectionReason.objects.filter(is_active=True).order_by("pk").values_list("pk", "name"))
    pdus = list(
        ProbationDeliveryUnit.objects.exclude(region__delius_code="NA").order_by("pk").values_list("pk", "region_id")
    )
    regions = sorted({region for _, region in pdus})
    span_days = 365 * YEARS
    open_share = min(1.0, OPEN_SHARE / ctx.scale)
    counts: dict[str, int] = {}
    batch: list = []
    timeline = _Timeline()

    def flush():
        with transaction.atomic(), historical_timestamps(Referral):
            insert(Referral, batch)
            for chunk in _chunks(timeline.rows):
                insert(TimelineEntry, chunk)
        timeline.written += len(timeline.rows)
        batch.clear()
        timeline.rows.clear()

    def build(index, region_id, pdu_id, submitted, required_from):
        person = _person(ctx, index)
        origin_region = region_id
        if rng.random() < OUT_OF_REGION:
            origin_region = rng.choice([r for r in regions if r != region_id] or regions)
        referrer = rng.choice(ctx.referrers[origin_region])
        sexual_history = person[9] or person[8]
        referral = Referral(
            id=_id(rng),
            service="cas3",
            created_by_id=referrer[0],
            crn=person[0],
            noms_number=person[1],
            pnc_number=person[2],
            person_name=person[3],
            date_of_birth=person[4],
            sex=person[5],
            gender_identity=person[6],
            ethnicity=person[7],
            offence_id=person[16][0],
            offence_description=person[16][1],
            prison_name_on_creation=person[17],
            origin_region_id=origin_region,
            origin_pdu_id=pdu_id if origin_region == region_id else None,
            region_id=region_id,
            pdu_id=pdu_id,
            is_out_of_region=origin_region != region_id,
            form_key="cas3",
            form_version=1,
            answers={},
            rosh_level=person[11],
            tier=person[12],
            mappa=person[13],
            release_date=required_from,
            accommodation_required_from=required_from,
            is_registered_sex_offender=person[8],
            has_history_of_sexual_offence=sexual_history,
            has_concerning_sexual_behaviour=sexual_history and rng.random() < 0.3,
            has_history_of_arson=person[10],
            has_concerning_arson_behaviour=person[10] and rng.random() < 0.3,
            needs_accessible_property=rng.random() < 0.05,
            is_duty_to_refer_submitted=True,
            duty_to_refer_submitted_on=submitted.date() - dt.timedelta(days=rng.randrange(1, 30)),
            duty_to_refer_outcome=rng.choice(DTR_OUTCOMES),
            is_eligible=True,
            eligibility_reason=rng.choice(ELIGIBILITY),
            prison_release_types=rng.choice(RELEASE_TYPES),
            is_able_to_share=rng.random() < 0.6,
            has_risk_to_self_concerns=rng.random() < 0.1,
            consent_given=True,
            submitted_at=submitted,
            created_at=submitted - dt.timedelta(days=rng.randrange(0, 8), minutes=rng.randrange(600)),
            updated_at=submitted,
        )
        return referral, referrer

    def submitted_entry(referral, referrer):
        timeline.add(referral.id, "submitted", referral.submitted_at, referrer[:2], "referrer", to_status="unallocated")

    def review(referral, referrer, assessor, decided_by: dt.datetime):
        """Allocated to an assessor, then accepted: ready to place."""
        allocated = _later(referral.submitted_at, rng, 3, ctx.today)
        allocated = min(allocated, decided_by - dt.timedelta(minutes=10))
        allocated = max(allocated, referral.submitted_at + dt.timedelta(minutes=1))
        decided = max(allocated + dt.timedelta(minutes=5), min(_later(allocated, rng, 5, ctx.today), decided_by))
        referral.allocated_to_id, referral.allocated_at, referral.decided_at = assessor[0], allocated, decided
        timeline.status(referral.id, allocated, assessor, "allocate", "unallocated", "in_review")
        timeline.status(referral.id, decided, assessor, "accept", "in_review", "ready_to_place", emailed_to=referrer[2])
        return decided

    def notes(referral, referrer, assessor, until: dt.datetime):
        if rng.random() >= NOTES:
            return
        for _ in range(rng.choice((1, 1, 2, 3))):
            who, to_referrer, text = rng.choice(NOTE_TEXTS)
            when = _later(
                referral.submitted_at, rng, max(0, (until.date() - referral.submitted_at.date()).days), ctx.today
            )
            if who == "referrer":
                timeline.add(referral.id, "note", when, referrer[:2], "referrer", text=text)
            else:
                timeline.add(
                    referral.id,
                    "note",
                    when,
                    assessor,
                    "assessor",
                    text=text,
                    visible_to_referrer=to_referrer,
                    details={"to_referrer": to_referrer},
                    emailed_to=referrer[2] if to_referrer else "",
                )

    def archive(referral, assessor, when, action="archive"):
        referral.status, referral.closed_at = "archived", when
        timeline.status(referral.id, when, assessor, action, "ready_to_place", "archived")

    # Referrals of the bookings that have one.
    linked = 0
    for stay in ctx.stays:
        if rng.random() < UNLINKED_BOOKINGS:
            person = _person(ctx, stay.person)
            stay.practitioner = (person[14], person[15])
            continue
        submitted = _at(stay.created.date() - dt.timedelta(days=rng.randrange(3, 45)), rng)
        referral, referrer = build(stay.person, stay.region_id, stay.pdu_id, submitted, stay.arrival)
        assessor = stay.assessor
        submitted_entry(referral, referrer)
        review(referral, referrer, assessor, stay.created - dt.timedelta(minutes=10))
        referral.status = "ready_to_place"
        if stay.confirmed:
            archive(referral, assessor, stay.confirmed, "booking_confirmed")
        if stay.ended and stay.confirmed:
            referral.status, referral.closed_at = "ready_to_place", None
            timeline.status(referral.id, stay.ended, assessor, "booking_cancelled", "archived", "ready_to_place")
        if stay.ended and (ctx.today - stay.ended.date()).days > OPEN_DAYS:
            # Long ago: the HPT closed the referral (the person was housed some other way).
            archive(referral, assessor, _later(stay.ended, rng, 30, ctx.today))
        notes(referral, referrer, assessor, stay.ended or stay.confirmed or stay.created)
        referral.updated_at = referral.closed_at or referral.decided_at
        stay.referral_id = referral.id
        stay.practitioner = (referrer[1], referrer[2])
        counts[referral.status] = counts.get(referral.status, 0) + 1
        batch.append(referral)
        linked += 1
        if len(batch) >= BATCH:
            flush()

    # Referrals that never led to a booking.
    for _ in range(max(0, total - linked)):
        pdu_id, region_id = pdus[rng.randrange(len(pdus))]
        day = ctx.today - dt.timedelta(days=rng.randrange(span_days))
        submitted = _at(day, rng)
        index = _person_for(rng, people, None)
        referral, referrer = build(index, region_id, pdu_id, submitted, day + dt.timedelta(days=rng.randrange(5, 90)))
        assessor = rng.choice(ctx.assessors[region_id])
        r = rng.random()
        if r < 0.04:
            # A draft never sent: nothing past the referrer's form.
            referral.status, referral.submitted_at = "draft", None
            referral.created_at = referral.updated_at = submitted
        elif (ctx.today - day).days <= OPEN_DAYS and rng.random() < open_share:
            submitted_entry(referral, referrer)
            referral.status = rng.choices(("unallocated", "in_review", "ready_to_place"), (45, 35, 20))[0]
            if referral.status == "in_review":
                referral.allocated_to_id, referral.allocated_at = assessor[0], _later(submitted, rng, 3, ctx.today)
                timeline.status(referral.id, referral.allocated_at, assessor, "allocate", "unallocated", "in_review")
            elif referral.status == "ready_to_place":
                review(referral, referrer, assessor, dt.datetime.combine(ctx.today, dt.time(23), tzinfo=dt.UTC))
            notes(referral, referrer, assessor, dt.datetime.combine(ctx.today, dt.time(17), tzinfo=dt.UTC))
        elif r < 0.72:
            submitted_entry(referral, referrer)
            reason_id, reason_name = rng.choice(reasons)
            withdrawal = rng.random() < 0.2
            decided = _later(submitted, rng, 10, ctx.today)
            before = "unallocated"
            if rng.random() < 0.7:
                referral.allocated_to_id = assessor[0]
                referral.allocated_at = max(
                    submitted + dt.timedelta(minutes=1), decided - dt.timedelta(hours=rng.randrange(1, 48))
                )
                timeline.status(referral.id, referral.allocated_at, assessor, "allocate", "unallocated", "in_review")
                before = "in_review"
            referral.status, referral.rejection_reason_id, referral.decided_at = "rejected", reason_id, decided
            referral.withdrawal_requested = withdrawal
            timeline.status(
                referral.id,
                decided,
                assessor,
                "reject",
                before,
                "rejected",
                details={"reason": reason_name, "withdrawal_requested": withdrawal},
                emailed_to=referrer[2],
            )
            notes(referral, referrer, assessor, decided)
        else:
            submitted_entry(referral, referrer)
            decided = review(referral, referrer, assessor, _later(submitted, rng, 14, ctx.today))
            archive(referral, assessor, _later(decided, rng, 60, ctx.today))
            notes(referral, referrer, assessor, referral.closed_at)
        referral.updated_at = referral.closed_at or referral.decided_at or referral.allocated_at or referral.created_at
        counts[referral.status] = counts.get(referral.status, 0) + 1
        batch.append(referral)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    ctx.counts["referrals"] = sum(counts.values())
    ctx.counts["timeline entries"] = timeline.written
    ctx.progress(
        f"referrals: {ctx.counts['referrals']} (" + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + ")"
    )


# Bookings: the rows ----------------------------------------------------------------------------

INCIDENT_KINDS = (
    ("sfo", 6),
    ("offence", 24),
    ("asb", 26),
    ("damage", 16),
    ("safeguarding", 16),
    ("death", 2),
    ("other", 10),
)
INCIDENT_DETAILS = {
    "sfo": "Charged with a serious further offence; police and the probation practitioner informed.",
    "offence": "Arrested near the property; released under investigation.",
    "asb": "Neighbours reported noise late at night on several evenings.",
    "damage": "Damage to the kitchen door; the provider has arranged a repair.",
    "safeguarding": "A visitor raised concerns about a child at the property; referral made.",
    "death": "The person was found dead at the property; the coroner has been informed.",
    "other": "A fire alarm was set off by cooking; no harm done.",
}


def bookings(ctx: Context) -> None:
    """The bookings with the step records each state needs, in the order the services write them."""
    rng = ctx.rng
    today = ctx.today

    def listed(model):
        return list(
            model.objects.for_service("cas3").filter(is_active=True).order_by("pk").values_list("pk", flat=True)
        )

    cancellation_reasons, non_arrival_reasons = listed(CancellationReason), listed(NonArrivalReason)
    departure_reasons, move_on_categories = listed(DepartureReason), listed(MoveOnCategory)
    providers = list(DestinationProvider.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    kinds, kind_weights = zip(*INCIDENT_KINDS, strict=True)
    models = (
        Booking,
        Confirmation,
        Arrival,
        Departure,
        DateChange,
        Overstay,
        Cancellation,
        NonArrival,
        TurnaroundChange,
        Incident,
    )
    counts = {"bookings": 0, "booking steps": 0, "incidents": 0}

    for chunk in _chunks(ctx.stays):
        rows: dict = {model: [] for model in models}
        for stay in chunk:
            person = _person(ctx, stay.person)
            practitioner = stay.practitioner or (person[14], person[15])
            by = stay.assessor[0]
            nights = (stay.departure - stay.arrival).days
            booking = Booking(
                id=stay.id,
                service="cas3",
                bedspace_id=stay.bedspace_id,
                premises_id=stay.premises_id,
                region_id=stay.region_id,
                pdu_id=stay.pdu_id,
                referral_id=stay.referral_id,
                status=stay.status,
                crn=person[0],
                noms_number=person[1],
                pnc_number=person[2],
                person_name=person[3],
                date_of_birth=person[4],
                sex=person[5],
                gender_identity=person[6],
                ethnicity=person[7],
                is_sexual_risk=person[8] or person[9],
                has_arson_history=person[10],
                rosh_level=person[11],
                practitioner_name=practitioner[0],
                practitioner_email=practitioner[1],
                arrival_date=stay.arrival,
                departure_date=stay.departure,
                turnaround_working_days=stay.turnaround,
                available_from=stay.available,
                confirmed_at=stay.confirmed,
                created_by_id=by,
                created_at=stay.created,
                updated_at=stay.created,
            )
            rows[Booking].append(booking)
            steps = [TurnaroundChange(booking_id=stay.id, previous_working_days=None, working_days=stay.turnaround)]
            step_times = [stay.created]
            if stay.confirmed:
                steps.append(Confirmation(booking_id=stay.id))
                step_times.append(stay.confirmed)
            if stay.status in ("arrived", "departed"):
                booking.actual_arrival_date = stay.arrival
                arrived_at = max(_at(stay.arrival, rng, 10), (stay.confirmed or stay.created) + dt.timedelta(minutes=1))
                steps.append(
                    Arrival(
                        booking_id=stay.id,
                        arrival_date=stay.arrival,
                        expected_departure_date=stay.extended_from or stay.departure,
                    )
                )
                step_times.append(arrived_at)
                if stay.extended_from:
                    changed_day = stay.arrival + dt.timedelta(
                        days=rng.randrange(1, (stay.extended_from - stay.arrival).days + 1)
                    )
                    changed = max(arrived_at + dt.timedelta(minutes=1), _at(min(changed_day, today), rng))
                    if nights > MAX_NIGHTS:
                        authorised = rng.random() < 0.85
                        booking.is_overstay, booking.overstay_authorised = True, authorised
                        booking.overstay_reason = "Waiting for a council tenancy to start" if authorised else ""
                        steps.append(
                            Overstay(
                                booking_id=stay.id,
                                departure_date=stay.departure,
                                nights=nights,
                                is_authorised=authorised,
                                reason=booking.overstay_reason,
                            )
                        )
                        step_times.append(changed)
                    steps.append(
                        DateChange(
                            booking_id=stay.id,
                            previous_departure_date=stay.extended_from,
                            new_departure_date=stay.departure,
                        )
                    )
                    step_times.append(changed)
                if stay.status == "departed":
                    booking.actual_departure_date = stay.departure
                    booking.departure_reason_id = rng.choice(departure_reasons)
                    booking.move_on_category_id = rng.choice(move_on_categories)
                    steps.append(
                        Departure(
                            booking_id=stay.id,
                            departure_date=stay.departure,
                            reason_id=booking.departure_reason_id,
                            move_on_category_id=booking.move_on_category_id,
                            destination_provider_id=rng.choice(providers) if providers and rng.random() < 0.3 else None,
                        )
                    )
                    step_times.append(max(_at(stay.departure, rng, 9), step_times[-1] + dt.timedelta(minutes=1)))
                if rng.random() < INCIDENTS:
                    last = min(stay.departure, today)
                    occurred = stay.arrival + dt.timedelta(days=rng.randrange(max(1, (last - stay.arrival).days + 1)))
                    kind = rng.choices(kinds, kind_weights)[0]
                    moment = _at(min(occurred, today), rng)
                    rows[Incident].append(
                        Incident(
                            id=_id(rng),
                            service="cas3",
                            premises_id=stay.premises_id,
                            region_id=stay.region_id,
                            booking_id=stay.id,
                            kind=kind,
                            occurred_on=occurred,
                            details=INCIDENT_DETAILS[kind],
                            created_by_id=by,
                            created_at=moment,
                            updated_at=moment,
                        )
                    )
            elif stay.status == "cancelled":
                booking.cancelled_on = stay.ended.date()
                booking.cancellation_reason_id = rng.choice(cancellation_reasons)
                steps.append(
                    Cancellation(
                        booking_id=stay.id, cancelled_on=booking.cancelled_on, reason_id=booking.cancellation_reason_id
                    )
                )
                step_times.append(stay.ended)
            elif stay.status == "not_arrived":
                steps.append(
                    NonArrival(booking_id=stay.id, expected_on=stay.arrival, reason_id=rng.choice(non_arrival_reasons))
                )
                step_times.append(stay.ended)
            for step, moment in zip(steps, step_times, strict=True):
                step.id, step.created_by_id, step.created_at, step.updated_at = _id(rng), by, moment, moment
                rows[type(step)].append(step)
            booking.updated_at = max(step_times)
            counts["booking steps"] += len(steps)
        with transaction.atomic(), historical_timestamps(*models):
            for model in models:
                insert(model, rows[model], batch_size=BATCH)
        counts["bookings"] += len(rows[Booking])
        counts["incidents"] += len(rows[Incident])
    ctx.counts.update(counts)
    ctx.progress(f"bookings: {counts['bookings']}, {counts['booking steps']} steps, {counts['incidents']} incidents")


def generate(scale: float = 1, *, today: dt.date | None = None, progress=print) -> dict[str, int]:
    ctx = Context(
        scale=scale,
        today=today or dt.date(2026, 11, 1),
        rng=random.Random(f"cas-national:{scale:g}"),
        progress=progress,
    )
    for step in (users, estate, voids, plan_bookings, referrals, bookings, *EXTRA_STEPS):
        started = time.perf_counter()
        step(ctx)
        progress(f"  ({step.__name__}: {time.perf_counter() - started:.1f} s)")
    return ctx.counts
