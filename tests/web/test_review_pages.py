"""The review pages: every (state, action) pair, the queue (tabs, search, totals, sorting,
pagination, urgent and overdue marks), the referral pages, dates, notes, the referrer's timeline
and reply, the reporter's read-only view and the service level settings."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.roles import Role
from cas.events.models import OutboundEmail
from cas.referrals.cas3 import queries, review
from cas.referrals.cas3.workflow import WORKFLOW, Action
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.lifecycle import TransitionNotAllowed
from cas.referrals.models import Referral, TimelineEntry
from cas.web.review import views
from tests.factories import make_user, pdu, region
from tests.referral_factories import make_submitted
from tests.review_factories import bring_to, copy_of, first_reason

S = ReferralStatus
TRANSITIONS = WORKFLOW.transitions
STATES = [S.UNALLOCATED, S.IN_REVIEW, S.READY_TO_PLACE, S.ARCHIVED, S.REJECTED]
ACTIONS = [Action.ALLOCATE, Action.UNALLOCATE, Action.ACCEPT, Action.REJECT, Action.ARCHIVE, Action.REOPEN]


@pytest.fixture
def referrer(db):
    return make_user(Role.CAS3_REFERRER, username="pages.pp", pdu=pdu("N51LPLS"), first_name="Priya", last_name="Shah")


@pytest.fixture
def submitted(referrer):
    return make_submitted(referrer, "X100001")


@pytest.fixture
def hpt(db):
    return make_user(Role.CAS3_ASSESSOR, username="pages.hpt", first_name="Alex", last_name="Carter")


def _post_action(client, referral, action):
    if action == Action.REJECT:
        url = reverse("web:review-referral-reject", args=[referral.pk])
        return client.post(url, {"reason": str(first_reason().pk), "details": "", "withdrawal_requested": "no"})
    return client.post(reverse("web:review-referral-action", args=[referral.pk, action.value]))


@pytest.mark.parametrize("action", ACTIONS, ids=[a.value for a in ACTIONS])
def test_every_state_and_action_through_the_pages(client, submitted, hpt, action):
    """Allowed actions succeed with a success message; the others are refused, saying why, and
    change nothing."""
    client.force_login(hpt)
    for state in STATES:
        referral = bring_to(copy_of(submitted), state, hpt)
        version = Referral.objects.get(pk=referral.pk).version
        response = _post_action(client, referral, action)
        referral.refresh_from_db()
        expected = TRANSITIONS[action].get(state)
        if expected:
            assert response.status_code == 302, (state, action, response.status_code)
            assert referral.status == expected, (state, action)
            page = client.get(response["Location"]).content.decode()
            assert "govuk-notification-banner--success" in page, (state, action)
        else:
            assert response.status_code == 409, (state, action, response.status_code)
            assert referral.status == state and referral.version == version, (state, action)
            content = response.content.decode().replace("&#39;", "'")
            assert TransitionNotAllowed(Referral(service="cas3", status=state), action).message in content, (
                state,
                action,
            )
            assert "govuk-error-summary" in content


def test_the_referral_page_offers_only_the_allowed_actions(client, submitted, hpt):
    client.force_login(hpt)
    page = client.get(reverse("web:review-referral", args=[submitted.pk])).content.decode()
    assert "Take this referral" in page and "Reject" in page
    assert "Accept: ready to place" not in page and "Archive" not in page
    bring_to(submitted, S.IN_REVIEW, hpt)
    page = client.get(reverse("web:review-referral", args=[submitted.pk])).content.decode()
    assert "Accept: ready to place" in page and "Return to unallocated" in page
    assert "Take this referral" not in page


def test_the_action_page_explains_a_refusal_before_any_click(client, submitted, hpt):
    client.force_login(hpt)
    response = client.get(reverse("web:review-referral-action", args=[submitted.pk, "archive"]))
    assert response.status_code == 200
    assert "You cannot archive a referral that is unallocated." in response.content.decode()
    response = client.get(reverse("web:review-referral-action", args=[submitted.pk, "allocate"]))
    assert "Take this referral for review?" in response.content.decode()
    assert client.get(reverse("web:review-referral-action", args=[submitted.pk, "explode"])).status_code == 404


def test_rejecting_needs_a_reason_and_the_withdrawal_answer(client, submitted, hpt):
    client.force_login(hpt)
    url = reverse("web:review-referral-reject", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert "Out of region referral" in page and "Another reason (please add)" not in page
    response = client.post(url, {})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Select why you are rejecting this referral" in content
    assert "Select whether the probation practitioner asked for the referral to be withdrawn" in content
    submitted.refresh_from_db()
    assert submitted.status == S.UNALLOCATED


def test_the_referral_page_shows_person_risks_flags_and_duplicates(client, submitted, hpt):
    copy_of(submitted, region=region("N07"), pdu=None)
    client.force_login(hpt)
    page = client.get(reverse("web:review-referral", args=[submitted.pk])).content.decode()
    for text in (
        "Daniel Hughes",
        "X100001",
        "Overall risk of serious harm (RoSH)",
        "MAPPA",
        "Tier",
        "Risk flags",
        "Registered sex offender",
        "History of sexual offences",
        "History of arson",
        "Concerns about arson",
        "Needs an accessible property",
        "Risk to self (self-harm or suicide)",
        "Suitable to share a property",
        "Other open referrals or bookings for this person",
        "London",
        "Print-friendly version",
    ):
        assert text in page, text
    answers = client.get(reverse("web:review-referral-answers", args=[submitted.pk])).content.decode()
    for section in submitted.document["sections"]:
        assert section["title"] in answers
    printed = client.get(reverse("web:review-referral-print", args=[submitted.pk])).content.decode()
    assert "cas-no-print" in printed and submitted.document["sections"][0]["title"] in printed
    assert "Timeline" in printed and "Take this referral" not in printed


def test_viewing_a_referral_is_audited(client, submitted, hpt):
    from cas.core.models import AuditEvent

    client.force_login(hpt)
    client.get(reverse("web:review-referral", args=[submitted.pk]))
    assert AuditEvent.objects.filter(action="referral.viewed", actor=hpt, crn="X100001").exists()


def test_a_restricted_person_is_not_shown(client, submitted, hpt):
    restricted = copy_of(submitted, crn="X100008", person_name="Gary Whitfield")
    client.force_login(hpt)
    response = client.get(reverse("web:review-referral", args=[restricted.pk]))
    assert response.status_code == 403
    assert "Gary Whitfield" not in response.content.decode()


# Dates and notes -------------------------------------------------------------------------------------------


def _date_data(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def test_changing_the_dates(client, submitted, hpt):
    client.force_login(hpt)
    url = reverse("web:review-referral-dates", args=[submitted.pk])
    release = submitted.release_date
    response = client.post(
        url,
        {
            "version": 0,
            **_date_data("release_date", release),
            **_date_data("accommodation_required_from", release - dt.timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert "must be the same as or after the release date" in response.content.decode()
    later = release + dt.timedelta(days=3)
    data = {"version": 0, **_date_data("release_date", later), **_date_data("accommodation_required_from", later)}
    response = client.post(url, data)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.release_date == later
    timeline = client.get(reverse("web:review-referral-timeline", args=[submitted.pk])).content.decode()
    assert "Release date changed" in timeline and f"to {later:%-d %B %Y}" in timeline
    # The same form again is stale: someone (here, the first post) changed the referral since.
    response = client.post(url, data)
    assert "Someone else changed this" in response.content.decode()


def test_notes_on_the_timeline_and_the_referrers_reply(client, submitted, hpt, referrer):
    client.force_login(hpt)
    url = reverse("web:review-referral-timeline", args=[submitted.pk])
    assert client.post(url, {"text": "", "to_referrer": "no"}).status_code == 400
    client.post(url, {"text": "Internal: checked with the council.", "to_referrer": "no"})
    response = client.post(url, {"text": "Is the release date confirmed?", "to_referrer": "yes"})
    assert response.status_code == 302
    assert OutboundEmail.objects.filter(template_key="cas3_referral_note_to_referrer").count() == 1
    page = client.get(url).content.decode()
    assert "Internal: checked with the council." in page and "Is the release date confirmed?" in page

    client.force_login(referrer)
    sent = client.get(reverse("web:referral-sent", args=[submitted.pk])).content.decode()
    assert "Is the release date confirmed?" in sent and "Internal: checked" not in sent
    assert "Referral sent" in sent
    response = client.post(reverse("web:referral-note", args=[submitted.pk]), {"text": ""})
    assert response.status_code == 400 and "Enter a note" in response.content.decode()
    response = client.post(reverse("web:referral-note", args=[submitted.pk]), {"text": "Yes, confirmed today."})
    assert response.status_code == 302
    assert "Yes, confirmed today." in client.get(reverse("web:referral-sent", args=[submitted.pk])).content.decode()
    client.force_login(hpt)
    assert "Yes, confirmed today." in client.get(url).content.decode()


def test_the_referrer_sees_decisions_and_the_reason(client, submitted, hpt, referrer):
    review.reject(hpt, submitted.pk, reason_id=first_reason().pk, details="No bedspace.", withdrawal_requested=False)
    client.force_login(referrer)
    page = client.get(reverse("web:referral-sent", args=[submitted.pk])).content.decode()
    assert "Rejected" in page and first_reason().name in page and "No bedspace." in page


# Reporters -------------------------------------------------------------------------------------------------


def test_reporters_read_every_region_but_cannot_change_anything(client, submitted, hpt):
    london = copy_of(submitted, region=region("N07"), pdu=None, crn="X200005", person_name="Marcus Campbell")
    reporter = make_user(Role.REPORTER, region_code="NA")
    client.force_login(reporter)
    queue = client.get(reverse("web:review-queue", args=["unallocated"])).content.decode()
    assert "Daniel Hughes" in queue and "Marcus Campbell" in queue
    assert "You can read these referrals but not change them." in queue
    london_only = client.get(reverse("web:review-queue", args=["unallocated"]) + "?region=N07").content.decode()
    assert "Marcus Campbell" in london_only and "Daniel Hughes" not in london_only
    page = client.get(reverse("web:review-referral", args=[london.pk])).content.decode()
    assert "Marcus Campbell" in page and "Take this referral" not in page and "Reject" not in page
    timeline = client.get(reverse("web:review-referral-timeline", args=[london.pk])).content.decode()
    assert "Add note" not in timeline
    assert client.post(reverse("web:review-referral-action", args=[london.pk, "allocate"])).status_code == 403
    note = {"text": "x", "to_referrer": "no"}
    assert client.post(reverse("web:review-referral-timeline", args=[london.pk]), note).status_code == 403
    london.refresh_from_db()
    assert london.status == S.UNALLOCATED
    assert not TimelineEntry.objects.filter(referral=london).exists()


# The queue --------------------------------------------------------------------------------------------------

NAMES = [
    "Aaron Bell",
    "Connor Riley",
    "Daniel Hughes",
    "Gethin Prydderch",
    "Jade Morris",
    "Liam Ashcroft",
    "Ryan Hudson",
]


@pytest.fixture
def queue(submitted, hpt):
    """Seven more referrals in North West across the tabs, one in London (never listed for hpt)."""
    today = clock.today()
    made = []
    for i, name in enumerate(NAMES):
        referral = copy_of(
            submitted,
            crn=f"X3000{i:02d}",
            person_name=name,
            submitted_at=clock.now() - dt.timedelta(days=i * 3),
            release_date=today + dt.timedelta(days=20 - 3 * i),
            accommodation_required_from=today + dt.timedelta(days=21 - 3 * i),
            pdu=pdu("N51LPLS") if i % 2 else submitted.pdu,
        )
        made.append(bring_to(referral, STATES[i % len(STATES)], hpt))
    copy_of(submitted, region=region("N07"), pdu=None, crn="X200005", person_name="Marcus Campbell")
    return made


def _walk(client, tab, query=""):
    """Every row of a tab, following the pagination; and the totals the tabs show."""
    rows, page, totals = [], 1, None
    while True:
        response = client.get(reverse("web:review-queue", args=[tab]) + f"?page={page}{query}")
        assert response.status_code == 200
        context = response.context_data
        totals = context["queue"].totals
        rows += [row.referral for row in context["rows"]]
        if not context["page"].has_next():
            return rows, totals, response.content.decode()
        page += 1


@pytest.mark.parametrize("query", ["", "&q=hughes", "&q=X300003", "&q=x300003", "&q=an", "&q=nobody"])
def test_totals_in_every_tab_equal_the_rows_across_pages(client, queue, hpt, monkeypatch, query):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(hpt)
    seen = []
    for tab in queries.QUEUE_TABS:
        rows, totals, content = _walk(client, tab, query)
        assert totals[tab] == len(rows), (tab, query)
        assert len({r.pk for r in rows}) == len(rows)
        assert all(r.status in queries.QUEUE_TABS[tab] for r in rows)
        label = queries.QUEUE_TAB_LABELS[tab]
        assert f"{label} ({totals[tab]})" in content
        seen += rows
    assert all(r.region_id == hpt.region_id for r in seen)
    assert "Marcus Campbell" not in {r.person_name for r in seen}
    q = query.removeprefix("&q=")
    expected = Referral.objects.filter(region=hpt.region).exclude(status=S.DRAFT).filter(queries.search_filter(q, hpt))
    assert len(seen) == expected.count()


def test_the_archive_is_counted_up_to_a_limit_unless_it_is_the_tab_shown(client, queue, hpt, monkeypatch):
    """Years of history must not slow the queue: the archive's total is counted up to a limit while
    another tab is shown, and exactly on its own tab (the API says which totals are capped)."""
    archived = Referral.objects.filter(region=hpt.region, status__in=queries.QUEUE_TABS["archive"]).count()
    assert archived >= 2
    monkeypatch.setattr(queries, "QUEUE_COUNT_LIMIT", archived - 1)
    client.force_login(hpt)
    response = client.get(reverse("web:review-queue", args=["unallocated"]))
    assert f"Archive ({archived - 1}+)" in response.content.decode()
    assert response.context_data["queue"].capped == {"archive"}
    rows, totals, content = _walk(client, "archive")
    assert totals["archive"] == len(rows) == archived and f"Archive ({archived})" in content
    body = client.get(reverse("api:review-referrals"), {"tab": "in-review"}).json()
    assert body["totals"]["archive"] == archived - 1 and body["totals_capped"] == ["archive"]
    body = client.get(reverse("api:review-referrals"), {"tab": "archive"}).json()
    assert body["totals"]["archive"] == body["count"] == archived and body["totals_capped"] == []


def test_search_keeps_the_tab_links_and_explains_no_results(client, queue, hpt):
    client.force_login(hpt)
    content = client.get(reverse("web:review-queue", args=["archive"]) + "?q=nobody").content.decode()
    assert "No archive referrals match ‘nobody’" in content
    assert 'href="/review/unallocated?q=nobody"' in content


SORT_VALUES = {
    "name": lambda r: r.person_name,
    "pdu": lambda r: r.pdu.name,
    "received": lambda r: r.submitted_at,
    "release": lambda r: r.release_date,
    "required": lambda r: r.accommodation_required_from,
    "days-left": lambda r: r.accommodation_required_from,
    "status": lambda r: r.status,
}


@pytest.mark.parametrize("key", list(SORT_VALUES))
def test_sorting_by_every_column_both_ways_without_javascript(client, queue, hpt, key):
    client.force_login(hpt)
    for extra in range(3):  # more rows in the archive tab, so the order means something
        bring_to(copy_of(queue[0], crn=f"X4000{extra}", person_name=f"Zed {extra}"), S.ARCHIVED, hpt)
    for sort in (key, f"-{key}"):
        rows, _, content = _walk(client, "archive", f"&sort={sort}")
        values = [SORT_VALUES[key](r) for r in rows]
        assert values == sorted(values, reverse=sort.startswith("-")), sort
        header = re.search(r'aria-sort="(ascending|descending)"', content)
        assert header and header.group(1) == ("descending" if sort.startswith("-") else "ascending")
    assert "sort=-received" not in content or "sort=received" in content


def test_the_queue_marks_urgent_and_overdue_with_text(client, submitted, hpt):
    today = clock.today()
    copy_of(submitted, crn="X300100", person_name="Urgent Person", accommodation_required_from=today)
    copy_of(submitted, crn="X300101", person_name="Late Person", submitted_at=clock.now() - dt.timedelta(days=30))
    client.force_login(hpt)
    response = client.get(reverse("web:review-queue", args=["unallocated"]))
    content = response.content.decode()
    rows = {row.referral.person_name: row for row in response.context_data["rows"]}
    assert rows["Urgent Person"].flags.urgent and rows["Urgent Person"].days_left == "Needed today"
    assert rows["Late Person"].flags.overdue
    assert content.count(">Urgent<") == 1 and content.count(">Review overdue<") == 1
    assert "Due by" in content


def test_the_queue_makes_the_same_number_of_queries_however_many_rows(
    client, submitted, hpt, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(hpt)
    url = reverse("web:review-queue", args=["unallocated"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        copy_of(submitted, crn=f"X5000{i:02d}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_unknown_tab_is_not_found(client, hpt):
    client.force_login(hpt)
    assert client.get(reverse("web:review-queue", args=["nonsense"])).status_code == 404
    assert client.get(reverse("web:review-home")).status_code == 302


# Home, navigation and service levels ---------------------------------------------------------------------------


def test_home_and_navigation_lead_to_the_queue(client, submitted, hpt):
    client.force_login(hpt)
    page = client.get(reverse("web:role-home", args=["cas3-assessor"])).content.decode()
    assert "Review referrals" in page and "1 unallocated, 0 in review, 0 ready to place." in page
    assert 'href="/review"' in page
    reporter = make_user(Role.REPORTER, region_code="NA")
    client.force_login(reporter)
    assert "Referrals in every region" in client.get(reverse("web:role-home", args=["reporter"])).content.decode()


def test_administrators_change_a_regions_service_level(client, submitted):
    admin = make_user(Role.ADMIN, region_code="NA")
    client.force_login(admin)
    assert "North West" in client.get(reverse("web:review-service-levels")).content.decode()
    url = reverse("web:review-service-level-edit", args=["N51"])
    response = client.post(url, {"working_days": "0", "version": "0"})
    assert response.status_code == 400 and "from 1 to 30" in response.content.decode()
    response = client.post(url, {"working_days": "2", "version": "0"})
    assert response.status_code == 302
    assert queries.service_level_for(region("N51")) == 2
    response = client.post(url, {"working_days": "3", "version": "0"})
    assert "Someone else changed this" in response.content.decode()
    assert client.get(reverse("web:review-service-level-edit", args=["NA"])).status_code == 404


def test_review_pages_have_no_inline_scripts_or_styles(client, submitted, hpt, referrer):
    bring_to(submitted, S.IN_REVIEW, hpt)
    client.force_login(hpt)
    urls = [reverse("web:review-queue", args=[tab]) for tab in queries.QUEUE_TABS] + [
        reverse(name, args=[submitted.pk])
        for name in (
            "web:review-referral",
            "web:review-referral-answers",
            "web:review-referral-timeline",
            "web:review-referral-print",
            "web:review-referral-reject",
            "web:review-referral-dates",
        )
    ]
    urls.append(reverse("web:review-referral-action", args=[submitted.pk, "accept"]))
    for url in urls:
        body = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\b(src|nonce)=)[^>]*>", body), f"inline script on {url}"
        assert " style=" not in body and "<style" not in body, f"inline style on {url}"
    client.force_login(referrer)
    body = client.get(reverse("web:referral-sent", args=[submitted.pk])).content.decode()
    assert " style=" not in body and "<style" not in body
