"""Query discipline on the list and detail pages: each runs as many queries with 3N rows as with N
(no N+1). The rows are made directly or through the services, in the region of the signed-in user."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.roles import Role
from cas.people import access
from cas.people.synthetic.dataset import national_crn
from cas.placements import services as placements
from cas.reference.models import ProbationRegion
from cas.referrals.cas3 import review
from cas.referrals.models import Referral, TimelineEntry
from tests.cas2_factories import add_applications, cas2_user
from tests.estate_factories import make_bedspace, make_estate, make_void, pdu
from tests.factories import make_user
from tests.placement_factories import arrived_booking, days, make_booking
from tests.querycount import add_report_runs_and_bookings, assert_constant_queries

pytestmark = pytest.mark.django_db

_people = itertools.count(5000)


@pytest.fixture
def hpt(client):
    user = make_user(Role.CAS3_ASSESSOR, username="counts.hpt", first_name="Alex", last_name="Carter")
    client.force_login(user)
    return user


@pytest.fixture
def referrer(db):
    return make_user(Role.CAS3_REFERRER, username="counts.pp", pdu=pdu("N51LPLS"))


def add_referral(referrer, status: str, assessor=None, **fields) -> Referral:
    """A submitted (or draft) referral from the national pool, with the fields lists show."""
    region = ProbationRegion.objects.get(delius_code="N51")
    now = clock.now()
    values = {
        "service": "cas3",
        "created_by": referrer,
        "status": status,
        "crn": national_crn(next(_people)),
        "person_name": "Listed Person",
        "sex": "Male",
        "origin_region": region,
        "origin_pdu": pdu("N51LPLS"),
        "region": region,
        "pdu": pdu("N51LPLS"),
        "form_key": "cas3",
        "form_version": 1,
        "submitted_at": None if status == "draft" else now - dt.timedelta(days=2),
        "release_date": clock.today() + dt.timedelta(days=10),
        "accommodation_required_from": clock.today() + dt.timedelta(days=10),
        "allocated_to": assessor if status in ("in_review", "ready_to_place", "archived") else None,
        "rejection_reason": review.active_rejection_reasons().first() if status == "rejected" else None,
    }
    values.update(fields)
    referral = Referral.objects.create(**values)
    access.fetch([referral.crn])  # as the services do when a referral is made: the person is checked
    return referral


def get(client, url, params=None):
    return lambda: client.get(url, params or {})


# The HPT's queue and the referrer's lists -------------------------------------------------------


@pytest.mark.parametrize(
    "tab,statuses",
    [
        ("unallocated", ["unallocated"]),
        ("in-review", ["in_review"]),
        ("ready-to-place", ["ready_to_place"]),
        ("archive", ["archived", "rejected"]),
    ],
)
def test_review_queue(client, hpt, referrer, tab, statuses):
    def add(n):
        for i in range(n):
            add_referral(referrer, statuses[i % len(statuses)], hpt)

    url = reverse("web:review-queue", args=[tab])
    assert_constant_queries(get(client, url), add, what=f"the {tab} tab")
    assert_constant_queries(get(client, url, {"q": "listed"}), add, what=f"the {tab} tab searched")


@pytest.mark.parametrize(
    "name,status",
    [
        ("web:referral-list", "draft"),
        ("web:referral-list-submitted", "unallocated"),
        ("web:referral-list-rejected", "rejected"),
    ],
)
def test_referrer_lists(client, referrer, name, status):
    client.force_login(referrer)
    assert_constant_queries(get(client, reverse(name)), lambda n: [add_referral(referrer, status) for _ in range(n)])


def test_review_referral_timeline(client, hpt, referrer):
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

    assert_constant_queries(get(client, reverse("web:review-referral-timeline", args=[referral.pk])), add)


# Placement ----------------------------------------------------------------------------------------


def test_booking_list(client, hpt):
    def add(n):
        for _ in range(n):
            _, (bedspace,) = make_estate("N51", bedspaces=1)
            make_booking(bedspace, national_crn(next(_people)), start=2, nights=10)

    assert_constant_queries(get(client, reverse("web:booking-list")), add)


def test_booking_page(client, hpt):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = arrived_booking(bedspace, "X100003", nights=40)
    kinds = itertools.cycle(["asb", "damage", "sfo"])

    def add(n):
        for _ in range(n):
            placements.record_incident(
                hpt, premises=booking.premises, booking=booking, kind=next(kinds), occurred_on=days(-1), details="x"
            )

    assert_constant_queries(get(client, reverse("web:booking-detail", args=[booking.pk])), add)


def test_premises_incidents(client, hpt):
    premises, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = arrived_booking(bedspace, "X100003")

    def add(n):
        for i in range(n):
            placements.record_incident(
                hpt,
                premises=premises,
                booking=booking if i % 2 else None,
                kind="asb",
                occurred_on=days(-1),
                details="x",
            )

    assert_constant_queries(get(client, reverse("web:premises-incidents", args=[premises.pk])), add)


def test_bedspace_search_results(client, hpt):
    """Free bedspaces, and busy ones listed with the people booked, in several properties."""
    start = days(3)
    params = {
        "start_date-day": start.day,
        "start_date-month": start.month,
        "start_date-year": start.year,
        "nights": 14,
        "pdus": [pdu("N51LPLS").pk],
    }

    def add(n):
        for i in range(n):
            _, (free, busy) = make_estate("N51", bedspaces=2)
            make_booking(busy, national_crn(next(_people)), start=1 + i % 3, nights=20)
            make_void(free, days(40), days(45))

    assert_constant_queries(get(client, reverse("web:placement-search"), params), add)


# The estate -----------------------------------------------------------------------------------------


def test_property_list(client, hpt):
    assert_constant_queries(
        get(client, reverse("web:property-list")), lambda n: [make_estate("N51", 2) for _ in range(n)]
    )


def test_property_page_and_calendar(client, hpt):
    premises, (first,) = make_estate("N51", bedspaces=1)
    made = itertools.count()

    def add(n):
        for _ in range(n):
            bedspace = make_bedspace(premises, start_date=clock.today() - dt.timedelta(days=60))
            make_booking(bedspace, national_crn(next(_people)), start=next(made) % 5, nights=8)
            make_void(bedspace, days(20), days(22))

    assert_constant_queries(get(client, reverse("web:property-detail", args=[premises.pk])), add, what="property page")
    assert_constant_queries(
        get(client, reverse("web:property-calendar", args=[premises.pk])), add, what="property calendar"
    )


# Reports ----------------------------------------------------------------------------------------------


def test_reports_pages(client, hpt):
    def add(n):
        add_report_runs_and_bookings(hpt, _people, n)

    assert_constant_queries(get(client, reverse("web:reports")), add, what="the reports page")
    assert_constant_queries(get(client, reverse("web:dashboard")), add, what="the dashboard")
    client.force_login(make_user(Role.REPORTER, region_code="NA", username="counts.reporter"))
    assert_constant_queries(get(client, reverse("web:statistics")), add, what="the statistics page")
    assert_constant_queries(get(client, reverse("web:dashboard")), add, what="the national dashboard")


def test_bedspace_page(client, hpt):
    premises, (bedspace,) = make_estate("N51", bedspaces=1)
    starts = itertools.count(10, 5)

    def add(n):
        for _ in range(n):
            start = days(next(starts))
            make_void(bedspace, start, start + dt.timedelta(days=2))

    assert_constant_queries(get(client, reverse("web:bedspace-detail", args=[premises.pk, bedspace.pk])), add)


# Administration -------------------------------------------------------------------------------------


def test_admin_lists(client, hpt, referrer):
    client.force_login(make_user(Role.ADMIN, region_code="NA", username="counts.admin"))
    users = itertools.count()

    def add(n):
        for _ in range(n):
            make_user(Role.CAS3_ASSESSOR, Role.REPORTER, username=f"counts.user.{next(users)}")
            referral = add_referral(referrer, "unallocated")
            review.allocate(hpt, referral.pk)  # an audit event and a timeline entry
            review.accept(hpt, referral.pk)  # and an email to the referrer

    for name in ("web:user-list", "web:audit-list", "web:outbox-list"):
        assert_constant_queries(get(client, reverse(name)), add, what=name)


def test_user_page_with_api_tokens(client):
    """The user's page lists every API token (with who created it) in one query, however many."""
    from cas.accounts.services import create_api_token, revoke_api_token

    admin = make_user(Role.ADMIN, region_code="NA", username="counts.tokens.admin")
    system = make_user(Role.REPORTER, region_code="NA", username="counts.tokens.system")
    client.force_login(admin)
    names = itertools.count()

    def add(n):
        for _ in range(n):
            api_token, _ = create_api_token(admin, system, f"System {next(names)}")
            if api_token.pk % 2:
                revoke_api_token(admin, api_token)

    assert_constant_queries(get(client, reverse("web:user-detail", args=[system.pk])), add, what="web:user-detail")


# CAS2 referrers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sent"),
    [
        ("web:cas2-application-list", False),
        ("web:cas2-application-list-submitted", True),
        ("web:cas2-prison-applications", True),
    ],
)
def test_cas2_referrer_lists(client, name, sent):
    owner = cas2_user("prison_bail")
    client.force_login(owner)
    assert_constant_queries(get(client, reverse(name)), lambda n: add_applications(owner, "prison_bail", n, sent=sent))
