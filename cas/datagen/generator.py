"""Deterministic national-scale data for benchmarks: every region and PDU, about 3,000 properties
and 10,000 bedspaces, and five years of history (referrals through every state, voids, bookings
where the placement module provides them), scaled by `scale` on the same estate.

Bulk inserts in batches (no per-row save, no signals, no audit rows: this is synthetic load, not
case work). The same scale gives the same data on every run and machine (seeded random).
"""

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

BATCH = 5000
YEARS = 5
PROPERTIES = 3000
BEDSPACES_PER_PROPERTY = (2, 3, 3, 4, 5)  # mean 3.4 -> about 10,000 bedspaces
REFERRALS = 100_000
VOIDS = 10_000


@dataclass
class Context:
    scale: int
    today: dt.date
    rng: random.Random
    counts: dict[str, int] = field(default_factory=dict)
    bedspaces: list[tuple] = field(default_factory=list)  # (id, premises id, region id, start date)
    referrals: list[tuple] = field(default_factory=list)  # (id, crn, region id, status, required from)
    users_by_region: dict[int, int] = field(default_factory=dict)
    progress: Callable[[str], None] = print


# Other modules add steps (e.g. bookings) that run after the estate and referrals.
EXTRA_STEPS: list[Callable[[Context], None]] = []


def _chunks(rows, size=BATCH):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def users(ctx: Context) -> None:
    from cas.accounts.models import RoleAssignment, User
    from cas.reference.models import ProbationRegion

    for region in ProbationRegion.objects.all():
        username = f"gen.referrer.{region.delius_code.lower()}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": "Generated",
                "last_name": region.name,
                "email": f"{username}@justice.gov.uk",
                "region": region,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            RoleAssignment.objects.get_or_create(user=user, role="cas3_referrer")
        ctx.users_by_region[region.pk] = user.pk


def estate(ctx: Context) -> None:
    from cas.premises.models import Bedspace, Premises
    from cas.reference.models import Characteristic, LocalAuthorityArea, ProbationDeliveryUnit

    rng = ctx.rng
    pdus = list(ProbationDeliveryUnit.objects.exclude(region__delius_code="NA").select_related("region"))
    authorities = list(LocalAuthorityArea.objects.filter(is_active=True, identifier__regex=r"^[EW]0[6-9]"))
    premises_chars = {c.property_name: c for c in Characteristic.objects.filter(model_scope="premises")}
    bedspace_chars = {c.property_name: c for c in Characteristic.objects.filter(model_scope="bedspace")}
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
            Premises.objects.bulk_create(chunk)
        for chunk in _chunks(bedspace_rows):
            Bedspace.objects.bulk_create(chunk)
        PremisesLink = Premises.characteristics.through
        BedspaceLink = Bedspace.characteristics.through
        for chunk in _chunks(p_links):
            PremisesLink.objects.bulk_create([PremisesLink(premises_id=p, characteristic_id=c) for p, c in chunk])
        for chunk in _chunks(b_links):
            BedspaceLink.objects.bulk_create([BedspaceLink(bedspace_id=b, characteristic_id=c) for b, c in chunk])
    ctx.counts.update(properties=len(premises_rows), bedspaces=len(bedspace_rows))
    ctx.progress(f"estate: {len(premises_rows)} properties, {len(bedspace_rows)} bedspaces")


def voids(ctx: Context) -> None:
    from cas.premises.models import VoidPeriod
    from cas.reference.models import VoidReason

    rng = ctx.rng
    reasons = list(VoidReason.objects.filter(is_active=True))
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
        rows.append(
            VoidPeriod(
                id=uuid.UUID(int=rng.getrandbits(128)),
                bedspace_id=bedspace_id,
                start_date=begin,
                end_date=begin + dt.timedelta(days=rng.randrange(1, 14)),
                reason=rng.choice(reasons),
                cost_borne_by=rng.choice(("hmpps", "supplier")),
            )
        )
    with transaction.atomic():
        for chunk in _chunks(rows):
            VoidPeriod.objects.bulk_create(chunk)
    ctx.counts["voids"] = len(rows)
    ctx.progress(f"voids: {len(rows)}")


REFERRAL_STATUSES = (
    ("archived", 0.55),
    ("rejected", 0.2),
    ("ready_to_place", 0.08),
    ("in_review", 0.07),
    ("unallocated", 0.07),
    ("draft", 0.03),
)


def referrals(ctx: Context) -> None:
    from cas.people.synthetic import NATIONAL_POOL, national_crn
    from cas.reference.models import ProbationDeliveryUnit, ReferralRejectionReason
    from cas.referrals.models import Referral

    reasons = list(ReferralRejectionReason.objects.filter(is_active=True).values_list("pk", flat=True))

    rng = ctx.rng
    total = REFERRALS * ctx.scale
    pdus = list(ProbationDeliveryUnit.objects.exclude(region__delius_code="NA").values_list("pk", "region_id"))
    statuses, weights = zip(*REFERRAL_STATUSES, strict=True)
    span_days = 365 * YEARS
    people = min(NATIONAL_POOL - 2000, max(50_000, total // 2))  # people are referred more than once
    crn_cache: dict[int, str] = {}
    rows = []
    for _ in range(total):
        index = 2000 + rng.randrange(people)
        crn = crn_cache.get(index) or crn_cache.setdefault(index, national_crn(index))
        pdu_id, region_id = pdus[rng.randrange(len(pdus))]
        submitted = timezone.make_aware(
            dt.datetime.combine(ctx.today - dt.timedelta(days=rng.randrange(span_days)), dt.time(rng.randrange(8, 18)))
        )
        status = rng.choices(statuses, weights)[0]
        # Recent referrals are still open; old ones are closed.
        if (ctx.today - submitted.date()).days > 120 and status in ("unallocated", "in_review", "ready_to_place"):
            status = "archived"
        release = submitted.date() + dt.timedelta(days=rng.randrange(5, 90))
        rows.append(
            Referral(
                id=uuid.UUID(int=rng.getrandbits(128)),
                service="cas3",
                created_by_id=ctx.users_by_region[region_id],
                status=status,
                crn=crn,
                person_name=f"Person {crn}",
                sex="Female" if index % 16 == 5 else "Male",
                origin_region_id=region_id,
                origin_pdu_id=pdu_id,
                region_id=region_id,
                pdu_id=pdu_id,
                form_key="cas3",
                form_version=1,
                answers={},
                submitted_at=None if status == "draft" else submitted,
                release_date=release,
                accommodation_required_from=release,
                is_registered_sex_offender=rng.random() < 0.08,
                has_history_of_arson=rng.random() < 0.05,
                needs_accessible_property=rng.random() < 0.05,
                rosh_level=rng.choice(("Low", "Medium", "High", "Very high")),
                # The review rules: a referral in review has an assessor, a rejected one a reason.
                allocated_to_id=ctx.users_by_region[region_id] if status == "in_review" else None,
                rejection_reason_id=rng.choice(reasons) if status == "rejected" else None,
            )
        )
        if len(rows) >= BATCH:
            Referral.objects.bulk_create(rows)
            ctx.referrals.extend((r.id, r.crn, r.region_id, r.status, r.accommodation_required_from) for r in rows)
            rows = []
    if rows:
        Referral.objects.bulk_create(rows)
        ctx.referrals.extend((r.id, r.crn, r.region_id, r.status, r.accommodation_required_from) for r in rows)
    ctx.counts["referrals"] = total
    ctx.progress(f"referrals: {total}")


def generate(scale: int = 1, *, today: dt.date | None = None, progress=print) -> dict[str, int]:
    ctx = Context(
        scale=scale, today=today or dt.date(2026, 11, 1), rng=random.Random(f"cas-national:{scale}"), progress=progress
    )
    for step in (users, estate, voids, referrals, *EXTRA_STEPS):
        step(ctx)
    return ctx.counts
