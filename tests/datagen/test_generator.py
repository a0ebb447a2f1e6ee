"""The national data generator at a small size: shape, determinism, and the rules the data must keep
(the ones the placement and review services enforce on real data)."""

import datetime as dt
import hashlib
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cas.datagen import cas2, generator
from cas.people.synthetic.case_system import SyntheticCaseSystem
from cas.placements.models import (
    Arrival,
    Booking,
    Cancellation,
    Confirmation,
    Departure,
    Incident,
    NonArrival,
    Overstay,
    TurnaroundChange,
)
from cas.placements.status import ACTIVE_STATUSES
from cas.premises.models import Bedspace, Premises, VoidPeriod
from cas.reference.models import ProbationRegion
from cas.referrals.models import Referral, TimelineEntry

pytestmark = pytest.mark.django_db

# CAS2 applications a day by route, a small history beside the CAS3 one (its rules are checked in
# test_cas2_history.py; the CAS3 checks here read CAS3's referrals).
SMALL_CAS2 = {"court_bail": 0.1, "prison_bail": 0.1, "hdc": 0.1, "probation": 0.3}
STORED_STATES = {"provisional", "confirmed", "arrived", "departed", "cancelled", "not_arrived"}


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(generator, "PROPERTIES", 120)
    monkeypatch.setattr(generator, "REFERRALS", 1500)
    monkeypatch.setattr(generator, "BOOKINGS", 500)
    monkeypatch.setattr(generator, "VOIDS", 150)
    monkeypatch.setattr(cas2, "DAILY", SMALL_CAS2)


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(generator, "PROPERTIES", 30)
    monkeypatch.setattr(generator, "REFERRALS", 200)
    monkeypatch.setattr(generator, "BOOKINGS", 120)
    monkeypatch.setattr(generator, "VOIDS", 40)
    monkeypatch.setattr(generator, "ASSESSORS_PER_REGION", 1)
    monkeypatch.setattr(generator, "REFERRERS_PER_REGION", 1)
    monkeypatch.setattr(cas2, "DAILY", SMALL_CAS2)


def fingerprint() -> str:
    parts = [
        ",".join(str(r) for r in Referral.objects.order_by("id").values_list("crn", "status", "submitted_at")),
        ",".join(Premises.objects.order_by("id").values_list("reference", flat=True)),
        ",".join(
            str(b) for b in Booking.objects.order_by("id").values_list("id", "bedspace_id", "status", "arrival_date")
        ),
        ",".join(
            str(t) for t in TimelineEntry.objects.order_by("created_at", "kind").values_list("kind", "created_at")
        ),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def test_shape_and_rules(small):
    counts = generator.generate(1, progress=lambda line: None)
    assert counts["properties"] == 120 and counts["referrals"] == 1500
    assert Bedspace.objects.count() == counts["bedspaces"] > 240
    assert Booking.objects.count() == counts["bookings"]
    assert 450 <= counts["bookings"] <= 550
    regions = set(Premises.objects.values_list("region__name", flat=True))
    assert regions == set(ProbationRegion.objects.exclude(delius_code="NA").values_list("name", flat=True))
    statuses = Counter(Referral.objects.filter(service="cas3").values_list("status", flat=True))
    assert set(statuses) == {"draft", "unallocated", "in_review", "ready_to_place", "archived", "rejected"}
    for bedspace_id in VoidPeriod.objects.values_list("bedspace_id", flat=True).distinct():
        voids = list(VoidPeriod.objects.filter(bedspace_id=bedspace_id).order_by("start_date"))
        assert all(a.end_date < b.start_date for a, b in zip(voids, voids[1:], strict=False))

    # Bookings in every stored state, each with the step records the services write.
    states = Counter(Booking.objects.values_list("status", flat=True))
    assert set(states) == STORED_STATES, states
    assert TurnaroundChange.objects.count() == counts["bookings"]
    confirmed = set(Confirmation.objects.values_list("booking_id", flat=True))
    arrived = set(Arrival.objects.values_list("booking_id", flat=True))
    for booking in Booking.objects.all():
        if booking.status in ("confirmed", "arrived", "departed"):
            assert booking.pk in confirmed and booking.confirmed_at is not None
        if booking.status in ("arrived", "departed"):
            assert booking.pk in arrived and booking.actual_arrival_date == booking.arrival_date
        else:
            assert booking.pk not in arrived and booking.actual_arrival_date is None
        if booking.status == "provisional":
            assert booking.pk not in confirmed
        assert booking.created_at.date() < booking.arrival_date
        assert (booking.departure_date - booking.arrival_date).days <= 84 or booking.is_overstay
    departures = {d.booking_id: d for d in Departure.objects.all()}
    departed = Booking.objects.filter(status="departed")
    assert set(departures) == set(departed.values_list("pk", flat=True))
    for booking in departed:
        assert booking.move_on_category_id == departures[booking.pk].move_on_category_id is not None
        assert booking.actual_departure_date == booking.departure_date == departures[booking.pk].departure_date
    assert set(Cancellation.objects.values_list("booking_id", flat=True)) == set(
        Booking.objects.filter(status="cancelled").values_list("pk", flat=True)
    )
    assert set(NonArrival.objects.values_list("booking_id", flat=True)) == set(
        Booking.objects.filter(status="not_arrived").values_list("pk", flat=True)
    )
    assert set(Overstay.objects.values_list("booking_id", flat=True)) == set(
        Booking.objects.filter(is_overstay=True).values_list("pk", flat=True)
    )
    incidents = list(Incident.objects.select_related("booking"))
    assert incidents and counts["incidents"] == len(incidents)
    for incident in incidents:
        assert incident.booking.status in ("arrived", "departed")
        assert incident.booking.arrival_date <= incident.occurred_on <= incident.booking.departure_date

    # No two active bookings (with their turnaround) overlap on a bedspace; none overlaps a void or
    # runs past an archived bedspace.
    held = defaultdict(list)
    for booking in Booking.objects.filter(status__in=ACTIVE_STATUSES).select_related("bedspace"):
        held[booking.bedspace_id].append(booking)
        end = booking.bedspace.end_date
        assert end is None or booking.available_from <= end
    voids = defaultdict(list)
    for void in VoidPeriod.objects.all():
        voids[void.bedspace_id].append(void)
    for bedspace_id, stays in held.items():
        stays.sort(key=lambda b: b.arrival_date)
        assert all(a.available_from <= b.arrival_date for a, b in zip(stays, stays[1:], strict=False))
        for stay in stays:
            assert not any(
                v.start_date < stay.available_from and v.end_date >= stay.arrival_date for v in voids[bedspace_id]
            )

    # Women-only properties house women.
    women_only = Booking.objects.filter(premises__characteristics__property_name="isWomenOnly")
    assert set(women_only.values_list("sex", flat=True)) <= {"Female"}

    # Referrals are where their bookings left them, and their timelines say how they got there.
    expected = {"provisional": {"ready_to_place"}, "confirmed": {"archived"}, "arrived": {"archived"}}
    expected |= {"departed": {"archived"}, "cancelled": {"ready_to_place", "archived"}}
    expected["not_arrived"] = {"ready_to_place", "archived"}
    linked = Booking.objects.filter(referral__isnull=False).select_related("referral")
    assert 0.8 * counts["bookings"] < linked.count() < counts["bookings"]
    for booking in linked:
        assert booking.referral.status in expected[booking.status]
        assert booking.referral.region_id == booking.region_id and booking.referral.crn == booking.crn
        assert booking.referral.submitted_at < booking.created_at
    per_referral = Counter(
        Booking.objects.filter(status__in=ACTIVE_STATUSES, referral__isnull=False).values_list("referral_id", flat=True)
    )
    assert max(per_referral.values()) == 1
    last_status = {}
    for entry in (
        TimelineEntry.objects.filter(referral__service="cas3").exclude(kind="note").order_by("created_at", "id")
    ):
        last_status[entry.referral_id] = entry.to_status
    for referral in Referral.objects.filter(service="cas3").exclude(status="draft"):
        assert last_status[referral.pk] == referral.status
        if referral.status in ("in_review", "ready_to_place", "archived"):
            assert referral.allocated_to.has_role("cas3_assessor")
    assert not TimelineEntry.objects.filter(referral__status="draft").exists()
    assert TimelineEntry.objects.filter(kind="note").exists()

    # The people are the synthetic case system's.
    cases = SyntheticCaseSystem()
    for booking in Booking.objects.order_by("id")[:20]:
        person = cases.find_by_crn(booking.crn)
        assert (person.name, person.date_of_birth, person.sex) == (
            booking.person_name,
            booking.date_of_birth,
            booking.sex,
        )


def wipe():
    from cas.placements.models import DateChange

    for model in (Incident, TurnaroundChange, Confirmation, Arrival, Departure, Cancellation, NonArrival, Overstay):
        model.objects.all().delete()
    DateChange.objects.all().delete()
    Booking.objects.all().delete()
    TimelineEntry.objects.all().delete()
    Referral.objects.all().delete()
    VoidPeriod.objects.all().delete()
    Bedspace.objects.all().delete()
    Premises.objects.all().delete()


def estate_and_present():
    """The estate, its voids and the bookings of the present (from PRESENT_DAYS ago on)."""
    cut = dt.date(2026, 11, 1) - dt.timedelta(days=generator.PRESENT_DAYS)
    return (
        list(Bedspace.objects.order_by("id").values_list("id", "premises__reference", "start_date", "end_date")),
        list(VoidPeriod.objects.order_by("id").values_list("id", "bedspace_id", "start_date", "end_date")),
        list(
            Booking.objects.filter(arrival_date__gte=cut)
            .order_by("id")
            .values_list("id", "bedspace_id", "arrival_date", "departure_date", "status")
        ),
    )


def test_same_scale_same_data_and_scale_adds_only_history(tiny):
    generator.generate(1, progress=lambda line: None)
    first, present, history = fingerprint(), estate_and_present(), Booking.objects.count()
    assert present[2], "no bookings in the present"
    wipe()
    generator.generate(1, progress=lambda line: None)
    assert fingerprint() == first
    wipe()
    generator.generate(3, progress=lambda line: None)
    assert estate_and_present() == present
    assert 2.5 * history < Booking.objects.count() < 3.5 * history


def test_command_takes_a_fractional_scale_and_refuses_a_database_with_generated_data(tiny):
    call_command("generate_national_data", "--scale", "0.5", verbosity=0)
    assert 50 <= Booking.objects.count() <= 70 and Referral.objects.filter(service="cas3").count() == 100
    with pytest.raises(CommandError, match="already has generated data"):
        call_command("generate_national_data", "--scale", "1", verbosity=0)
