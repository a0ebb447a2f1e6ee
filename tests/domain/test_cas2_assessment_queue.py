"""The provider's national queue: tabs with their totals, search by name, CRN and prison number,
filters, sorting, urgency by route, the overdue flag against the cohort's service level, and people
the user may not see."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cas.core.roles import Role
from cas.people import access as people_access
from cas.people import registry
from cas.referrals.cas2 import queries
from cas.referrals.cas2.queries import Filters
from tests.cas2_assessment_factories import make_application
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessor():
    return make_user(Role.CAS2_ASSESSOR)


def names(queue) -> list[str]:
    return [r.person_name for r in queue.referrals]


def test_tabs_hold_their_statuses_and_count_every_tab(assessor):
    new = make_application("court_bail", "X100001")
    waiting = make_application("hdc", "X100002", status="on_waiting_list")
    info = make_application("probation", "X100003", status="more_info_requested")
    placed = make_application("prison_bail", "X100004", status="awaiting_arrival")
    closed = make_application("court_bail", "X100005", status="cancelled")
    queue = queries.queue(assessor, "new")
    assert [r.pk for r in queue.referrals] == [new.pk]
    assert queue.totals == {"new": 1, "in-progress": 2, "placed": 1, "closed": 1}
    assert {r.pk for r in queries.queue(assessor, "in-progress").referrals} == {waiting.pk, info.pk}
    assert [r.pk for r in queries.queue(assessor, "in-progress", Filters(status="on_waiting_list")).referrals] == [
        waiting.pk
    ]
    # A status of another tab is ignored, not an empty list.
    assert len(queries.queue(assessor, "in-progress", Filters(status="received")).referrals) == 2
    assert [r.pk for r in queries.queue(assessor, "placed").referrals] == [placed.pk]
    assert [r.pk for r in queries.queue(assessor, "closed").referrals] == [closed.pk]
    with pytest.raises(ValueError):
        queries.queue(assessor, "everything")


def test_drafts_and_other_tiers_are_never_in_the_queue(assessor):
    make_application("court_bail", "X100001", status="draft")
    assert queries.queue(assessor, "new").totals == {"new": 0, "in-progress": 0, "placed": 0, "closed": 0}


def test_search_by_name_crn_or_prison_number_narrows_every_tab(assessor):
    first = make_application("hdc", "X100001")
    make_application("court_bail", "X100002", status="awaiting_decision")
    people_access.refresh(everyone=True)
    person = registry.get_case_system().find_by_crn("X100001")
    surname = person.name.split()[-1]
    assert [r.pk for r in queries.queue(assessor, "new", Filters(q="x100001")).referrals] == [first.pk]
    assert [r.pk for r in queries.queue(assessor, "new", Filters(q=person.noms_number.lower())).referrals] == [first.pk]
    assert first.pk in [r.pk for r in queries.queue(assessor, "new", Filters(q=surname)).referrals]
    searched = queries.queue(assessor, "new", Filters(q="X100001"))
    assert searched.totals == {"new": 1, "in-progress": 0, "placed": 0, "closed": 0}


def test_filters_by_route_cohort_region_and_sex(assessor):
    court = make_application("court_bail", "X100001")
    hdc = make_application("hdc", "X100002")
    ap = make_application("probation", "X100003", cohort="from_ap", region_id=make_user(region_code="N07").region_id)
    assert [r.pk for r in queries.queue(assessor, "new", Filters(route="hdc")).referrals] == [hdc.pk]
    assert [r.pk for r in queries.queue(assessor, "new", Filters(cohort="from_ap")).referrals] == [ap.pk]
    assert [r.pk for r in queries.queue(assessor, "new", Filters(region="N07")).referrals] == [ap.pk]
    sexes = {r.pk: r.sex for r in (court, hdc, ap)}
    for sex in queries.SEXES:
        listed = {r.pk for r in queries.queue(assessor, "new", Filters(sex=sex)).referrals}
        assert listed == {pk for pk, value in sexes.items() if value == sex}
    # A sex outside the list is ignored.
    assert len(queries.queue(assessor, "new", Filters(sex="Unknown")).referrals) == 3


def test_sorting_by_submission_urgency_and_name(assessor):
    now = timezone.now()
    soon = make_application(
        "court_bail", "X100001", submitted_at=now - dt.timedelta(hours=1), bail_hearing_date=dt.date(2026, 12, 9)
    )
    later = make_application(
        "hdc", "X100002", submitted_at=now - dt.timedelta(hours=3), hdc_eligibility_date=dt.date(2027, 2, 1)
    )
    cohort = make_application("probation", "X100003", submitted_at=now - dt.timedelta(hours=2))
    assert [r.pk for r in queries.queue(assessor, "new", sort="submitted").referrals] == [later.pk, cohort.pk, soon.pk]
    assert [r.pk for r in queries.queue(assessor, "new", sort="-submitted").referrals] == [soon.pk, cohort.pk, later.pk]
    # Applications with no urgency date (the cohorts) come last, in order of arrival.
    assert [r.pk for r in queries.queue(assessor, "new", sort="urgency").referrals] == [soon.pk, later.pk, cohort.pk]
    people_access.refresh(everyone=True)
    by_name = [r.person_name for r in queries.queue(assessor, "new", sort="name").referrals]
    assert by_name == sorted(by_name)
    assert queries.queue(assessor, "new", sort="nonsense").sort == "submitted"


def test_urgency_is_the_date_of_the_route():
    bail = make_application("prison_bail", "X100001", bail_hearing_date=dt.date(2026, 12, 10))
    hdc = make_application("hdc", "X100002", hdc_eligibility_date=None, conditional_release_date=dt.date(2027, 1, 5))
    cohort = make_application("probation", "X100003")
    assert queries.urgency(bail) == queries.Urgency("Bail hearing", dt.date(2026, 12, 10))
    assert queries.urgency(hdc) == queries.Urgency("Conditional release date", dt.date(2027, 1, 5))
    assert queries.urgency(cohort) == queries.Urgency("Submitted", timezone.localtime(cohort.submitted_at).date())


def test_overdue_only_after_the_service_level_while_the_provider_owes_a_decision():
    # Court bail: one working hour; the HDC cohort: three working days.
    long_ago = timezone.now() - dt.timedelta(days=10)
    late = make_application("court_bail", "X100001", submitted_at=long_ago)
    asked = make_application("court_bail", "X100002", submitted_at=long_ago, status="more_info_requested")
    decided = make_application("court_bail", "X100003", submitted_at=long_ago, status="awaiting_decision")
    fresh = make_application("hdc", "X100004")
    assert queries.is_overdue(late) and queries.is_overdue(asked)
    assert not queries.is_overdue(decided)
    assert not queries.is_overdue(fresh)
    assert queries.is_overdue(fresh, fresh.submitted_at + dt.timedelta(days=10))


def test_a_name_search_never_finds_a_person_the_user_may_not_see(assessor):
    """X100008 is restricted by the synthetic case system to `demo.restricted-access`."""
    hidden = make_application("court_bail", "X100008")
    shown = make_application("court_bail", "X100001")
    people_access.refresh(everyone=True)
    for crn, application, found in (("X100008", hidden, False), ("X100001", shown, True)):
        surname = registry.get_case_system().find_by_crn(crn).name.split()[-1]
        listed = [r.pk for r in queries.queue(assessor, "new", Filters(q=surname)).referrals]
        assert (application.pk in listed) is found
    # The CRN itself still finds the row (the page shows it as "Limited access"), and sorting by name
    # places it as "Limited access", never by the real name.
    assert [r.pk for r in queries.queue(assessor, "new", Filters(q="X100008")).referrals] == [hidden.pk]
    assert [r.shown_name for r in queries.queue(assessor, "new", sort="name").referrals if r.pk == hidden.pk] == [
        "Limited access"
    ]


@pytest.mark.parametrize("role", [Role.CAS3_ASSESSOR, Role.CAS2_COURT_REFERRER])
def test_users_who_are_not_the_provider_or_readers_may_not_use_the_queue(role):
    assert not queries.may_use_queue(make_user(role))
    assert queries.may_use_queue(make_user(Role.REPORTER, region_code="NA"))
    assert queries.may_assess(make_user(Role.CAS2_ASSESSOR))
    assert not queries.may_assess(make_user(Role.REPORTER, region_code="NA"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans; PostgreSQL's are in test_query_plans")
@pytest.mark.parametrize("tab", list(queries.TABS))
def test_the_queue_reads_applications_through_the_national_queue_index(assessor, tab):
    """Every query the queue runs on the referrals table searches an index, never scans the table;
    listing a tab in order of arrival uses `referral_national_queue` (service, status, submitted_at)."""
    for crn in ("X100001", "X100002", "X100003"):
        make_application("court_bail", crn)
    with CaptureQueriesContext(connection) as captured:
        queue = queries.queue(assessor, tab)
        list(queue.referrals)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if "referrals_referral" not in query["sql"]:
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plans.append(" | ".join(row[-1] for row in cursor.fetchall()))
    assert len(plans) == 2, plans  # the totals and the page
    for plan in plans:
        assert "SCAN referrals_referral" not in plan, plan
    assert "USING INDEX referral_national_queue" in plans[-1], plans[-1]
