"""Query discipline on every list endpoint of the API: as many queries with 3N rows as with N."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.roles import Role
from cas.people.synthetic.dataset import national_crn
from cas.placements import services as placements
from cas.referrals.models import TimelineEntry
from tests.cas2_factories import add_applications, cas2_user
from tests.estate_factories import make_bedspace, make_estate, make_void, pdu
from tests.factories import make_user
from tests.placement_factories import arrived_booking, days, make_booking
from tests.querycount import add_report_runs_and_bookings, assert_constant_queries
from tests.web.test_query_counts import add_referral

pytestmark = pytest.mark.django_db

_people = itertools.count(7000)


@pytest.fixture
def hpt(client):
    user = make_user(Role.CAS3_ASSESSOR, username="api.counts.hpt")
    client.force_login(user)
    return user


@pytest.fixture
def referrer(db):
    return make_user(Role.CAS3_REFERRER, username="api.counts.pp", pdu=pdu("N51LPLS"))


def get(client, name, args=(), params=None):
    return lambda: client.get(reverse(name, args=args), params or {})


def post(client, name, body):
    return lambda: client.post(reverse(name), body, content_type="application/json")


def test_referrals_and_review_queue(client, hpt, referrer):
    statuses = itertools.cycle(["unallocated", "in_review", "ready_to_place", "archived", "rejected"])
    assert_constant_queries(
        get(client, "api:review-referrals"), lambda n: [add_referral(referrer, next(statuses), hpt) for _ in range(n)]
    )
    client.force_login(referrer)
    assert_constant_queries(
        get(client, "api:referrals"), lambda n: [add_referral(referrer, next(statuses), hpt) for _ in range(n)]
    )


def test_timelines(client, hpt, referrer):
    referral = add_referral(referrer, "in_review", hpt)

    def add(n):
        for i in range(n):
            TimelineEntry.objects.create(
                referral=referral,
                kind="note",
                author=hpt if i % 2 else referrer,
                author_name="Someone",
                author_kind="assessor" if i % 2 else "referrer",
                text=f"Note {i}",
            )

    assert_constant_queries(get(client, "api:review-referral-timeline", [referral.pk]), add)
    client.force_login(referrer)
    assert_constant_queries(get(client, "api:referral-timeline", [referral.pk]), add)


def test_properties_bedspaces_voids_and_calendar(client, hpt):
    assert_constant_queries(get(client, "api:estate-properties"), lambda n: [make_estate("N51", 2) for _ in range(n)])
    premises, (first,) = make_estate("N51", bedspaces=1)
    offsets = itertools.count()

    def add_bedspaces(n):
        for _ in range(n):
            bedspace = make_bedspace(premises, start_date=clock.today() - dt.timedelta(days=60))
            make_booking(bedspace, national_crn(next(_people)), start=next(offsets) % 5, nights=8)

    assert_constant_queries(get(client, "api:estate-bedspaces", [premises.pk]), add_bedspaces)
    assert_constant_queries(get(client, "api:estate-property-calendar", [premises.pk]), add_bedspaces)
    assert_constant_queries(get(client, "api:estate-archive-changes", [premises.pk]), add_bedspaces)

    def add_voids(n):
        for _ in range(n):
            start = days(10 + 5 * next(offsets))
            make_void(first, start, start + dt.timedelta(days=2))

    assert_constant_queries(get(client, "api:estate-voids", [premises.pk, first.pk]), add_voids)


def test_bookings_search_history_and_incidents(client, hpt):
    def add_bookings(n):
        for i in range(n):
            _, (free, busy) = make_estate("N51", bedspaces=2)
            make_booking(busy, national_crn(next(_people)), start=1 + i % 3, nights=20)

    assert_constant_queries(get(client, "api:bookings"), add_bookings)
    body = {"start_date": days(2).isoformat(), "nights": 14, "pdus": [pdu("N51LPLS").pk]}
    assert_constant_queries(post(client, "api:placement-search", body), add_bookings)

    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = arrived_booking(bedspace, "X100003", nights=60)

    def add_steps(n):
        for _ in range(n):
            placements.record_incident(
                hpt, premises=booking.premises, booking=booking, kind="asb", occurred_on=days(-1), details="x"
            )
            booking.refresh_from_db()
            placements.change_departure_date(
                hpt, booking, departure_date=booking.departure_date + dt.timedelta(days=1), version=booking.version
            )

    assert_constant_queries(get(client, "api:booking-history", [booking.pk]), add_steps)
    assert_constant_queries(get(client, "api:booking-incidents", [booking.pk]), add_steps)
    assert_constant_queries(get(client, "api:premises-incidents", [booking.premises_id]), add_steps)


def test_statistics_events_and_reference(client, hpt):
    def add(n):
        add_report_runs_and_bookings(hpt, _people, n)

    client.force_login(make_user(Role.REPORTER, region_code="NA", username="api.counts.reporter"))
    assert_constant_queries(get(client, "api:statistics"), add, what="the statistics")
    assert_constant_queries(get(client, "api:event-feed"), add, what="the event feed")
    assert_constant_queries(
        get(client, "api:reference-list", ["move-on-categories"]), lambda n: None, what="a reference list"
    )


def test_reference_areas(client, hpt):
    from cas.reference.models import LocalAuthorityArea, ProbationDeliveryUnit, ProbationRegion

    serial = itertools.count(1)

    def add(n):
        for _ in range(n):
            i = next(serial)
            region = ProbationRegion.objects.create(name=f"Counted region {i}", delius_code=f"QC{i}")
            ProbationDeliveryUnit.objects.create(name=f"Counted PDU {i}", delius_code=f"QCP{i}", region=region)
            LocalAuthorityArea.objects.create(identifier=f"Q{i:08d}", name=f"Counted authority {i}")

    assert_constant_queries(get(client, "api:areas"), add)


@pytest.mark.parametrize("which", ["in-progress", "submitted", "prison"])
def test_cas2_application_lists(client, which):
    owner = cas2_user("prison_bail")
    client.force_login(owner)
    assert_constant_queries(
        get(client, "api:cas2-applications", params={"list": which}),
        lambda n: add_applications(owner, "prison_bail", n, sent=which != "in-progress"),
    )
