"""The bare SQL the benchmark measures the service against returns what the service returns, so the
comparison is honest: the same seeded searches through the API and by hand-written SQL, and the
official statistics by `statistics.compute` and by a bare SQL aggregation."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse

from bench import bare_sql
from cas.core import clock
from cas.core.roles import Role
from cas.datagen import generator
from cas.placements.models import Booking
from cas.placements.status import ACTIVE_STATUSES, BookingStatus, available_from
from cas.premises.models import Bedspace
from cas.reference.models import MoveOnCategory, ProbationRegion
from cas.reporting import statistics
from cas.reporting.models import ManualPlacement, PlacementImport
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PLACED = (BookingStatus.ARRIVED, BookingStatus.DEPARTED, BookingStatus.CLOSED)


@pytest.fixture
def national_estate(monkeypatch):
    """A small national estate from the generator, with bookings in every status around today
    (whatever the generator adds, so overlaps and taken bedspaces are certain)."""
    monkeypatch.setattr(generator, "PROPERTIES", 150)
    monkeypatch.setattr(generator, "REFERRALS", 300)
    monkeypatch.setattr(generator, "VOIDS", 150)
    monkeypatch.setattr(generator, "BOOKINGS", 150)
    generator.generate(1, today=clock.today(), progress=lambda line: None)
    rng = random.Random("bare-sql")
    today = clock.today()
    statuses = [s.value for s in BookingStatus]
    sexes = ["Male", "Female", ""]
    bookings = []
    # Only bedspaces the generator left free, so no two active bookings overlap (PostgreSQL refuses them).
    free = Bedspace.objects.filter(bookings__isnull=True).select_related("premises").order_by("reference")
    for n, bedspace in enumerate(free):
        if rng.random() < 0.4 or bedspace.premises.end_date or bedspace.end_date:
            continue
        arrival = today + dt.timedelta(days=rng.randrange(-30, 80))
        departure = arrival + dt.timedelta(days=rng.randint(1, 60))
        days = bedspace.premises.turnaround_working_days
        bookings.append(
            Booking(
                service=bedspace.premises.service,
                bedspace=bedspace,
                premises=bedspace.premises,
                region_id=bedspace.premises.region_id,
                pdu_id=bedspace.premises.pdu_id,
                status=rng.choice(statuses),
                crn=f"X{n:06d}",
                person_name="Bare Person",
                sex=rng.choice(sexes),
                arrival_date=arrival,
                departure_date=departure,
                turnaround_working_days=days,
                available_from=available_from(departure, days),
            )
        )
    Booking.objects.bulk_create(bookings)


def service_shape(data: dict) -> dict:
    """The API's answer in the bare SQL's shape."""
    return {
        "properties": [
            {
                "id": group["premises"]["id"],
                "reference": group["premises"]["reference"],
                "pdu": group["premises"]["pdu"],
                "local_authority": group["premises"]["local_authority"],
                "characteristics": sorted(group["premises"]["characteristics"]),
                "bedspaces": [
                    {"id": b["id"], "reference": b["reference"], "characteristics": sorted(b["characteristics"])}
                    for b in group["bedspaces"]
                ],
                "overlaps": [(o["booking_id"], o["nights"]) for o in group["overlaps"]],
            }
            for group in data["properties"]
        ]
    }


def test_bare_search_returns_what_the_api_returns(client, national_estate):
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code=ProbationRegion.NATIONAL_CODE))
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    vendor = connection.vendor
    regions = bare_sql.regions_for_search(cursor, vendor)
    rng = random.Random(1)
    found = overlapping = 0
    for _ in range(60):
        body = bare_sql.random_search(rng, regions, clock.today())
        response = client.post(reverse("api:placement-search"), body, content_type="application/json")
        assert response.status_code == 200, response.content
        bare = bare_sql.search(cursor, vendor, body, available_from)
        assert bare == service_shape(response.json()), body
        found += sum(len(p["bedspaces"]) for p in bare["properties"])
        overlapping += sum(len(p["overlaps"]) for p in bare["properties"])
    # The searches found bedspaces and people already there, so the comparison covered both.
    assert found > 50 and overlapping > 5
    assert Booking.objects.filter(status__in=ACTIVE_STATUSES).exists()


def expected_counts(tables) -> tuple[Counter, Counter]:
    """The statistics tables back as the bare SQL's counts (years as their starting calendar year)."""
    by_name = {t.name: t for t in tables}
    labels = {label: key for key, label in statistics.OUTCOME_GROUPS}
    placements = Counter()
    for year, region, count in by_name["placements_by_region"].rows:
        if region != statistics.ALL_REGIONS and count:
            placements[(int(year[:4]), region)] += count
    genders = Counter()
    for year, gender, count, _ in by_name["placements_by_gender"].rows:
        if count:
            genders[(int(year[:4]), gender)] += count
    outcomes = Counter()
    for year, region, group, count in by_name["outcomes_by_region"].rows:
        if count:
            outcomes[(int(year[:4]), region, labels[group])] += count
    return placements, genders, outcomes


def test_bare_statistics_aggregation_matches_the_official_statistics(national_estate):
    rng = random.Random("statistics")
    regions = list(ProbationRegion.objects.exclude(delius_code="NA"))
    categories = list(MoveOnCategory.objects.all()) + [None]
    run = PlacementImport.objects.create(
        file_name="bench.csv", rows_total=0, rows_added=0, rows_updated=0, rows_unchanged=0
    )
    manual = []
    for n in range(400):
        start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
        end = start + dt.timedelta(days=rng.randrange(200)) if rng.random() < 0.8 else None
        manual.append(
            ManualPlacement(
                placement_reference=f"M{n}",
                crn=f"X{n:06d}",
                region=rng.choice(regions),
                gender_identity=rng.choice(["", "", "Male", "Female", "Transgender Male", "Non-binary"]),
                sex=rng.choice(["", "Male", "Female"]),
                start_date=start,
                end_date=end,
                move_on_category=rng.choice(categories) if end else None,
                source="manual",
                last_import=run,
            )
        )
    ManualPlacement.objects.bulk_create(manual)
    arrived = list(Booking.objects.order_by("id")[:200])
    for n, booking in enumerate(arrived):
        booking.actual_arrival_date = booking.arrival_date
        booking.status = BookingStatus.ARRIVED
        if rng.random() < 0.6:
            booking.status = BookingStatus.DEPARTED
            booking.actual_departure_date = booking.departure_date
            booking.move_on_category = rng.choice(categories)
        if n % 20 == 0:  # a cancelled booking with an arrival date never placed anyone: not counted
            booking.status = BookingStatus.CANCELLED
    Booking.objects.bulk_update(arrived, ["status", "actual_arrival_date", "actual_departure_date", "move_on_category"])

    connection.ensure_connection()
    bare_placements, bare_outcomes = bare_sql.statistics(connection.connection.cursor(), connection.vendor)
    tables = statistics.compute()
    # Counting in SQL (GROUP BY) gives exactly what counting every record in Python gives.
    records = [r for source in statistics.PLACEMENT_SOURCES for r in source()]
    placed = Booking.objects.filter(actual_arrival_date__isnull=False, status__in=PLACED).count()
    assert len(records) == 400 + placed and placed >= 190
    assert [t.rows for t in tables] == [t.rows for t in statistics.compute(records)]
    placements, genders, outcomes = expected_counts(tables)
    by_region, by_gender = Counter(), Counter()
    for (year, region, gender), count in bare_placements.items():
        by_region[(year, region)] += count
        by_gender[(year, gender)] += count
    assert by_region == placements and by_gender == genders
    assert bare_outcomes == outcomes
    assert sum(placements.values()) == 400 + placed and sum(outcomes.values()) > 100
