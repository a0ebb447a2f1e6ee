"""The bedspace search and the HPT queue use indexes: with a few thousand bookings and referrals
(bulk inserted, then ANALYZE), PostgreSQL's plan for every query those pages run has no sequential
scan over the bookings or referrals tables. PostgreSQL only: the plans are PostgreSQL's."""

import datetime as dt
import random
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cas.core import clock
from cas.core.roles import Role
from cas.placements.models import Booking
from cas.placements.status import available_from
from cas.premises.models import Bedspace, Premises
from cas.reference.models import LocalAuthorityArea, ProbationDeliveryUnit
from cas.referrals.cas3 import review
from cas.referrals.models import Referral
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PROPERTIES = 400
STAYS_PER_BEDSPACE = 6  # about 4,000 bedspace-stays -> bookings
REFERRALS = 8000
WATCHED = ("placements_booking", "referrals_referral")


def _fill():
    """Properties over every PDU, each bedspace booked back to back over the last year and the next
    months (no overlaps), and referrals in every status over every region."""
    rng = random.Random("query-plans")
    today = clock.today()
    pdus = list(ProbationDeliveryUnit.objects.exclude(region__delius_code="NA").order_by("pk"))
    authority = LocalAuthorityArea.objects.filter(is_active=True).order_by("pk").first()
    referrer = make_user(Role.CAS3_REFERRER, username="plans.pp")
    premises, bedspaces, bookings = [], [], []
    start = today - dt.timedelta(days=400)
    for n in range(PROPERTIES):
        pdu = pdus[n % len(pdus)]
        p = Premises(
            id=uuid.uuid4(),
            service="cas3",
            reference=f"PLAN-{n}",
            address_line1=f"{n} Plan Road",
            town="Town",
            postcode="ZZ1 1AA",
            local_authority=authority,
            region_id=pdu.region_id,
            pdu=pdu,
            turnaround_working_days=2,
            start_date=start,
        )
        premises.append(p)
        for b in range(3):
            bedspace = Bedspace(id=uuid.uuid4(), premises=p, reference=f"Room {b}", start_date=start)
            bedspaces.append(bedspace)
            day = start + dt.timedelta(days=rng.randrange(20))
            for k in range(STAYS_PER_BEDSPACE):
                departure = day + dt.timedelta(days=rng.randrange(20, 70))
                free = available_from(departure, 2)
                past = departure <= today
                bookings.append(
                    Booking(
                        service="cas3",
                        bedspace=bedspace,
                        premises=p,
                        region_id=p.region_id,
                        pdu=pdu,
                        status="departed" if past else ("arrived" if day <= today else "confirmed"),
                        crn=f"X{n:03d}{b}{k:02d}"[:7],
                        person_name="Planned Person",
                        sex="Male",
                        arrival_date=day,
                        departure_date=departure,
                        turnaround_working_days=2,
                        available_from=free,
                    )
                )
                day = free + dt.timedelta(days=rng.randrange(0, 10))
    Premises.objects.bulk_create(premises)
    Bedspace.objects.bulk_create(bedspaces)
    Booking.objects.bulk_create(bookings, batch_size=2000)
    statuses = ("archived",) * 6 + ("rejected",) * 2 + ("unallocated", "in_review", "ready_to_place")
    reason = review.active_rejection_reasons().first()
    referrals = []
    for i in range(REFERRALS):
        pdu = pdus[rng.randrange(len(pdus))]
        status = rng.choice(statuses)
        referrals.append(
            Referral(
                service="cas3",
                created_by=referrer,
                status=status,
                crn=f"Y{i:06d}",
                person_name=f"Person {i}",
                origin_region_id=pdu.region_id,
                region_id=pdu.region_id,
                pdu=pdu,
                form_key="cas3",
                form_version=1,
                submitted_at=clock.now() - dt.timedelta(days=rng.randrange(1, 1500)),
                accommodation_required_from=today + dt.timedelta(days=rng.randrange(-300, 60)),
                allocated_to=referrer if status == "in_review" else None,
                rejection_reason=reason if status == "rejected" else None,
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(bookings)


def _plans(run) -> list[tuple[str, str]]:
    """(query, plan) of every query `run` makes that reads a watched table."""
    with CaptureQueriesContext(connection) as captured:
        response = run()
    assert response.status_code == 200
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(t in sql for t in WATCHED):
                continue
            cursor.execute(f"EXPLAIN {sql}")
            found.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return found


def _assert_indexed(plans, tables=WATCHED):
    assert plans, "no query read the tables"
    for sql, plan in plans:
        for table in tables:
            assert f"Seq Scan on {table}" not in plan, f"{sql}\n\n{plan}"


def test_search_and_queue_use_indexes(client):
    assert _fill() > 4000
    assessor = make_user(Role.CAS3_ASSESSOR, username="plans.hpt", region_code="N51")
    client.force_login(assessor)
    today = clock.today()
    pdu = ProbationDeliveryUnit.objects.filter(region__delius_code="N51").order_by("pk").first()
    for start in (today + dt.timedelta(days=3), today + dt.timedelta(days=40)):
        params = {
            "start_date-day": start.day,
            "start_date-month": start.month,
            "start_date-year": start.year,
            "nights": 28,
            "pdus": [pdu.pk],
        }
        _assert_indexed(_plans(lambda params=params: client.get(reverse("web:placement-search"), params)))
        # No PDUs ticked: the whole region, every PDU of it in one search.
        del params["pdus"]
        _assert_indexed(_plans(lambda params=params: client.get(reverse("web:placement-search"), params)))
    for tab in ("unallocated", "in-review", "ready-to-place", "archive"):
        _assert_indexed(_plans(lambda tab=tab: client.get(reverse("web:review-queue", args=[tab]))))
