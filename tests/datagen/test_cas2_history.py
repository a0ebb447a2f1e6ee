"""The national generator's CAS2 history: routes and cohorts only while open, made by the route's
users, typed columns that fit the route, status histories that follow the declared workflow, prison
moves for HDC, drafts and abandoned drafts; and the CAS3 history of a scale unchanged by it."""

import datetime as dt
import hashlib
from collections import Counter, defaultdict

import pytest

from cas.datagen import cas2, generator
from cas.placements.models import Booking
from cas.referrals.cas2.tier import PRISON_REFERRERS
from cas.referrals.cas2.workflow import WORKFLOW, Status, detail_choices
from cas.referrals.models import PrisonAssignment, Referral, ReferralCohort, ReferralRoute, TimelineEntry
from tests.datagen.test_generator import wipe

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 1)
ROUTE_ROLES = {"court_bail": "cas2_court", "prison_bail": "cas2_prison_bail", "hdc": "cas2_hdc"}
ROUTE_ROLES["probation"] = "cas2_probation"


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(generator, "PROPERTIES", 30)
    monkeypatch.setattr(generator, "REFERRALS", 200)
    monkeypatch.setattr(generator, "BOOKINGS", 120)
    monkeypatch.setattr(generator, "VOIDS", 40)
    monkeypatch.setattr(generator, "ASSESSORS_PER_REGION", 1)
    monkeypatch.setattr(generator, "REFERRERS_PER_REGION", 1)
    monkeypatch.setattr(cas2, "DAILY", {"court_bail": 0.3, "prison_bail": 0.3, "hdc": 0.3, "probation": 2.0})


def test_cas2_history_keeps_the_services_rules(tiny):
    counts = generator.generate(1, progress=lambda line: None)
    applications = list(
        Referral.objects.filter(service="cas2").select_related("route", "cohort", "created_by", "referring_prison")
    )
    assert len(applications) == counts["cas2 applications"] > 500

    # Every route and every cohort, each only on days it was open, made by a user of the route's role.
    routes = {r.code: r for r in ReferralRoute.objects.filter(service="cas2")}
    cohorts = ReferralCohort.objects.filter(route__service="cas2")
    assert {a.route.code for a in applications} == set(routes)
    assert {a.cohort_id for a in applications} == {c.pk for c in cohorts if c.opens_on <= TODAY}
    roles = defaultdict(set)
    for user_id, role in Referral.objects.filter(service="cas2").values_list(
        "created_by_id", "created_by__role_assignments__role"
    ):
        roles[user_id].add(role)
    for a in applications:
        day = a.created_at.date()
        assert a.cohort.route_id == a.route_id
        assert a.route.is_open_on(day) and a.cohort.is_open_on(day), (a.route.code, a.cohort.code, day)
        assert ROUTE_ROLES[a.route.code] in roles[a.created_by_id]
        if ROUTE_ROLES[a.route.code] in PRISON_REFERRERS:
            # From the referrer's own prison, for someone with a prison number held there.
            assert a.referring_prison_id == a.created_by.prison_id is not None and a.noms_number
            assert a.sex == ("Female" if a.referring_prison.is_womens_prison else "Male")
        else:
            assert a.referring_prison_id is None
        # The dates the route needs, in an order that makes sense.
        if a.route.code == "hdc":
            assert day < a.hdc_eligibility_date < a.conditional_release_date and a.bail_hearing_date is None
        elif a.route.code in ("court_bail", "prison_bail"):
            assert a.bail_hearing_date >= day and a.bail_hearing_court and a.hdc_eligibility_date is None
        else:
            assert a.hdc_eligibility_date is a.conditional_release_date is a.bail_hearing_date is None
        assert a.preferred_area_1 and a.consent_given and a.region_id is not None

    # Drafts in progress and abandoned ones (deleted, no answers), neither with a timeline.
    drafts = [a for a in applications if a.status == "draft"]
    assert {a.deleted_at is None for a in drafts} == {True, False}
    assert all(a.answers == {} and a.deleted_at >= a.created_at for a in drafts if a.deleted_at)
    assert not TimelineEntry.objects.filter(referral__service="cas2", referral__status="draft").exists()

    # Every status update is an allowed transition from the status the application was in, with the
    # details its action needs; the last one is the application's status.
    entries = defaultdict(list)
    for entry in TimelineEntry.objects.filter(referral__service="cas2").order_by("created_at", "id"):
        entries[entry.referral_id].append(entry)
    submitted = [a for a in applications if a.status != "draft"]
    for a in submitted:
        timeline = entries[a.pk]
        assert timeline[0].kind == "submitted" and timeline[0].created_at == a.submitted_at > a.created_at
        status = WORKFLOW.submitted
        for entry in (e for e in timeline if e.kind == "status"):
            assert entry.from_status == status, a.pk
            assert entry.action in WORKFLOW.allowed_actions(status), (status, entry.action)
            assert WORKFLOW.next_status(status, entry.action) == entry.to_status
            allowed = {code for code, _ in detail_choices(entry.action, a.route.code)}
            codes = entry.details.get("status_details", [])
            assert set(codes) <= allowed and (codes or entry.action not in WORKFLOW.details_required)
            status = entry.to_status
        assert a.status == status
        assert (a.closed_at is not None) == WORKFLOW.status(status).closes
        assert all(e.created_at <= dt.datetime.combine(TODAY, dt.time.max, tzinfo=dt.UTC) for e in timeline)
    reached = Counter(a.status for a in submitted)
    assert {Status.RECEIVED, Status.AWAITING_ARRIVAL, Status.WITHDRAWN, Status.CANCELLED} <= set(reached)
    assert len(reached) >= 8, reached

    # Prison routes' applications follow the person: the latest assignment is where they are now,
    # and only HDC applications move; court and probation applications have no assignments.
    by_referral = defaultdict(list)
    for assignment in PrisonAssignment.objects.order_by("created_at", "id"):
        by_referral[assignment.referral_id].append(assignment)
    moves = Counter()
    for a in submitted:
        assignments = by_referral[a.pk]
        if a.referring_prison_id is None:
            assert not assignments
            continue
        assert assignments[0].reason == "submitted" and assignments[0].prison_id == a.referring_prison_id
        assert a.current_prison_id == assignments[-1].prison_id
        moves.update(x.reason for x in assignments[1:])
        if a.route.code != "hdc":
            assert len(assignments) == 1
        kinds = Counter(e.kind for e in entries[a.pk])
        assert kinds["transfer"] == sum(x.reason == "transfer" for x in assignments)
        assert kinds["allocation"] == sum(x.reason == "allocation" for x in assignments)
    assert moves["transfer"] > 0 and moves["allocation"] > 0


def _cas3_fingerprint() -> str:
    parts = [
        ",".join(
            str(r)
            for r in Referral.objects.filter(service="cas3")
            .order_by("id")
            .values_list("id", "crn", "status", "submitted_at", "created_by__username")
        ),
        ",".join(str(b) for b in Booking.objects.order_by("id").values_list("id", "bedspace_id", "status", "crn")),
        ",".join(
            str(t)
            for t in TimelineEntry.objects.filter(referral__service="cas3")
            .order_by("referral_id", "created_at", "kind")
            .values_list("referral_id", "kind", "created_at")
        ),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def test_cas3_history_is_the_same_with_or_without_cas2(tiny, monkeypatch):
    generator.generate(1, progress=lambda line: None)
    with_cas2 = _cas3_fingerprint()
    assert Referral.objects.filter(service="cas2").exists()
    wipe()
    monkeypatch.setattr(generator, "EXTRA_STEPS", [s for s in generator.EXTRA_STEPS if s is not cas2.cas2_history])
    generator.generate(1, progress=lambda line: None)
    assert not Referral.objects.filter(service="cas2").exists()
    assert _cas3_fingerprint() == with_cas2
