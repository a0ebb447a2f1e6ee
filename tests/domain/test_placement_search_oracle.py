"""The search's one query against a simple day-by-day oracle, on random estates: bedspaces and
properties with start and archive dates, bookings in every status with turnarounds in working days,
void periods, and random bank holidays. Same bedspaces, every time."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cas.core import working_days
from cas.core.roles import Role
from cas.placements import search
from cas.placements.models import Booking
from cas.placements.search import Criteria
from cas.placements.status import ACTIVE_STATUSES, BookingStatus, available_from
from cas.premises.models import Bedspace, Premises, VoidPeriod
from cas.reference.models import ProbationDeliveryUnit, VoidReason
from tests.factories import make_user

pytestmark = pytest.mark.django_db

BASE = dt.date(2030, 1, 7)  # a Monday; all dates below are offsets from it
ALL_STATUSES = [s.value for s in BookingStatus if s != BookingStatus.CLOSED]


def day(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


booking_plan = st.tuples(
    st.integers(0, 12),  # gap after the previous booking is free
    st.integers(1, 25),  # nights
    st.sampled_from(ALL_STATUSES),
)
bedspace_plan = st.fixed_dictionaries(
    {
        "start": st.integers(-10, 25),
        "end": st.one_of(st.none(), st.integers(5, 90)),
        "bookings": st.lists(booking_plan, max_size=4),
        "voids": st.lists(st.tuples(st.integers(-5, 80), st.integers(0, 10)), max_size=2),
    }
)
premises_plan = st.fixed_dictionaries(
    {
        "turnaround": st.integers(0, 4),
        "start": st.integers(-20, 15),
        "end": st.one_of(st.none(), st.integers(10, 100)),
        "bedspaces": st.lists(bedspace_plan, min_size=1, max_size=3),
    }
)
estate_plan = st.lists(premises_plan, min_size=1, max_size=3)
holiday_plan = st.sets(st.integers(0, 120), max_size=8)
query_plan = st.tuples(st.integers(-5, 70), st.integers(1, 40))


def build(plan, pdu, reason):
    """The estate in the database (directly: the oracle judges the search, not the services)."""
    made = []
    for p_index, p in enumerate(plan):
        premises = Premises.objects.create(
            service="cas3",
            reference=f"Oracle {p_index}",
            address_line1="1 Test Street",
            postcode="L8 1AB",
            region=pdu.region,
            pdu=pdu,
            turnaround_working_days=p["turnaround"],
            start_date=day(p["start"]),
            end_date=day(max(p["start"], p["end"])) if p["end"] is not None else None,
        )
        for b_index, b in enumerate(p["bedspaces"]):
            bedspace = Bedspace.objects.create(
                premises=premises,
                reference=f"Room {b_index}",
                start_date=day(b["start"]),
                end_date=day(max(b["start"], b["end"])) if b["end"] is not None else None,
            )
            free = day(-30)
            for n, (gap, nights, status) in enumerate(b["bookings"]):
                arrival = free + dt.timedelta(days=gap)
                departure = arrival + dt.timedelta(days=nights)
                Booking.objects.create(
                    service="cas3",
                    bedspace=bedspace,
                    premises=premises,
                    region=pdu.region,
                    pdu=pdu,
                    status=status,
                    crn=f"X1000{n:02d}",
                    person_name="Oracle Person",
                    arrival_date=arrival,
                    departure_date=departure,
                    turnaround_working_days=p["turnaround"],
                    available_from=available_from(departure, p["turnaround"]),
                )
                if status in ACTIVE_STATUSES:
                    free = available_from(departure, p["turnaround"])
            for start, length in b["voids"]:
                VoidPeriod.objects.create(
                    bedspace=bedspace,
                    start_date=day(start),
                    end_date=day(start + length),
                    reason=reason,
                    cost_borne_by="hmpps",
                )
            made.append(bedspace)
    return made


def oracle(bedspace: Bedspace, start: dt.date, nights: int) -> bool:
    """Free on every day from the start until the bedspace is free again after the stay."""
    premises = bedspace.premises
    free_from = available_from(start + dt.timedelta(days=nights), premises.turnaround_working_days)
    bookings = [b for b in Booking.objects.filter(bedspace=bedspace) if b.status in ACTIVE_STATUSES]
    voids = list(VoidPeriod.objects.filter(bedspace=bedspace, cancelled_at__isnull=True))
    current = start
    while current < free_from:
        for subject in (bedspace, premises):
            if subject.start_date > current or (subject.end_date is not None and subject.end_date <= current):
                return False
        if any(b.arrival_date <= current < b.available_from for b in bookings):
            return False
        if any(v.start_date <= current <= v.end_date for v in voids):
            return False
        current += dt.timedelta(days=1)
    return True


@pytest.fixture
def setting():
    return {
        "pdu": ProbationDeliveryUnit.objects.select_related("region").get(delius_code="N51LPLS"),
        "reason": VoidReason.objects.first(),
        "user": make_user(Role.CAS3_ASSESSOR, region_code="N51"),
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(plan=estate_plan, holidays=holiday_plan, query=query_plan)
def test_search_matches_a_day_by_day_oracle(setting, monkeypatch, plan, holidays, query):
    holiday_dates = frozenset(day(h) for h in holidays)
    monkeypatch.setattr(working_days, "bank_holidays", lambda: holiday_dates)
    with transaction.atomic():
        bedspaces = build(plan, setting["pdu"], setting["reason"])
        start, nights = day(query[0]), query[1]
        criteria = Criteria(start_date=start, nights=nights, pdus=(setting["pdu"],))
        results = search.search(setting["user"], criteria)
        found = {b.pk for group in results.properties for b in group.bedspaces}
        expected = {b.pk for b in bedspaces if oracle(b, start, nights)}
        assert found == expected
        # And the explanation agrees: no reasons exactly when the bedspace is available.
        for bedspace in bedspaces:
            assert (not search.explain(bedspace, criteria)) == (bedspace.pk in expected)
        transaction.set_rollback(True)
