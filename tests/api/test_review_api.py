"""The review API: every (state, action) pair, the queue with totals that honour the search, the
referral, dates, notes and timelines on both sides, read-only reporters, and the OpenAPI document."""

import datetime as dt

import pytest
from django.urls import reverse

from cas.core.roles import Role
from cas.events.models import OutboundEmail
from cas.referrals.cas3 import queries
from cas.referrals.cas3.workflow import WORKFLOW, Action
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.lifecycle import TransitionNotAllowed
from cas.referrals.models import Referral
from tests.factories import make_user, pdu, region
from tests.referral_factories import make_submitted
from tests.review_factories import bring_to, copy_of, first_reason

TRANSITIONS = WORKFLOW.transitions
pytestmark = pytest.mark.django_db
S = ReferralStatus
STATES = [S.UNALLOCATED, S.IN_REVIEW, S.READY_TO_PLACE, S.ARCHIVED, S.REJECTED]
ACTIONS = [Action.ALLOCATE, Action.UNALLOCATE, Action.ACCEPT, Action.REJECT, Action.ARCHIVE, Action.REOPEN]


@pytest.fixture
def referrer(db):
    return make_user(Role.CAS3_REFERRER, username="api.pp", pdu=pdu("N51LPLS"))


@pytest.fixture
def submitted(referrer):
    return make_submitted(referrer, "X100001")


@pytest.fixture
def hpt(db):
    return make_user(Role.CAS3_ASSESSOR, username="api.hpt")


def post(client, name, pk, body=None):
    return client.post(reverse(name, args=[pk]), body or {}, content_type="application/json")


def _act(client, referral, action):
    if action == Action.REJECT:
        body = {
            "reason": first_reason().pk,
            "details": "Suitable bedspace not available",
            "withdrawal_requested": False,
        }
        return post(client, "api:review-referral-reject", referral.pk, body)
    return post(client, f"api:review-referral-{action.value}", referral.pk)


@pytest.mark.parametrize("action", ACTIONS, ids=[a.value for a in ACTIONS])
def test_every_state_and_action_through_the_api(client, submitted, hpt, action):
    client.force_login(hpt)
    for state in STATES:
        referral = bring_to(copy_of(submitted), state, hpt)
        response = _act(client, referral, action)
        referral.refresh_from_db()
        expected = TRANSITIONS[action].get(state)
        if expected:
            assert response.status_code == 200, (state, action, response.content)
            body = response.json()
            assert body["status"] == expected == referral.status, (state, action)
        else:
            assert response.status_code == 409, (state, action, response.status_code)
            problem = response.json()
            assert problem["code"] == "transition_not_allowed"
            assert problem["title"] == TransitionNotAllowed(Referral(service="cas3", status=state), action).message
            assert referral.status == state


def test_reject_body_is_validated(client, submitted, hpt):
    client.force_login(hpt)
    response = post(
        client, "api:review-referral-reject", submitted.pk, {"reason": 999999, "withdrawal_requested": False}
    )
    assert response.status_code == 400 and response.json()["field"] == "reason"
    response = post(client, "api:review-referral-reject", submitted.pk, {"reason": first_reason().pk})
    assert response.status_code == 400 and "withdrawal_requested" in response.json()["errors"]


def test_the_referral_for_review(client, submitted, hpt):
    copy_of(submitted, region=region("N07"), pdu=None)
    client.force_login(hpt)
    body = client.get(reverse("api:review-referral", args=[submitted.pk])).json()
    assert body["status"] == "unallocated" and body["allowed_actions"] == ["allocate", "reject"]
    assert body["person"]["crn"] == "X100001" and body["risk"]["rosh"] == submitted.rosh_level
    assert set(body["placement_flags"]) >= {"is_registered_sex_offender", "has_history_of_arson", "is_able_to_share"}
    assert [d["region"] for d in body["duplicates"]] == ["London"]
    assert body["document"]["sections"]
    assert body["overdue"] is False and body["review_due_on"]


def test_dates_notes_and_both_timelines(client, submitted, hpt, referrer):
    client.force_login(hpt)
    later = submitted.release_date + dt.timedelta(days=2)
    url = reverse("api:review-referral-dates", args=[submitted.pk])
    body = {"release_date": later.isoformat(), "accommodation_required_from": later.isoformat(), "version": 0}
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["release_date"] == later.isoformat()
    assert client.put(url, body, content_type="application/json").status_code == 409  # stale version
    bad = {"release_date": later.isoformat(), "accommodation_required_from": (later - dt.timedelta(days=1)).isoformat()}
    response = client.put(url, bad, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "accommodation_required_from"

    response = post(client, "api:review-referral-notes", submitted.pk, {"text": "HPT only"})
    assert response.status_code == 201 and response.json()["visible_to_referrer"] is False
    response = post(client, "api:review-referral-notes", submitted.pk, {"text": "Question?", "to_referrer": True})
    assert response.status_code == 201
    assert OutboundEmail.objects.filter(template_key="cas3_referral_note_to_referrer").count() == 1
    timeline = client.get(reverse("api:review-referral-timeline", args=[submitted.pk])).json()
    assert [e["kind"] for e in timeline] == ["note", "note", "date", "date", "submitted"]

    client.force_login(referrer)
    response = post(client, "api:referral-notes", submitted.pk, {"text": "Answer."})
    assert response.status_code == 201 and response.json()["author_kind"] == "referrer"
    seen = client.get(reverse("api:referral-timeline", args=[submitted.pk])).json()
    assert [e["description"] for e in seen if e["kind"] == "note"] == ["Answer.", "Question?"]


@pytest.mark.parametrize("search", ["", "hughes", "X300002", "nobody"])
def test_totals_equal_rows_across_pages(client, submitted, hpt, monkeypatch, search):
    from rest_framework.pagination import PageNumberPagination

    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for i in range(6):
        referral = copy_of(submitted, crn=f"X3000{i:02d}", person_name=f"Person {i} Hughes" if i % 2 else f"P {i}")
        bring_to(referral, STATES[i % len(STATES)], hpt)
    client.force_login(hpt)
    for tab in queries.QUEUE_TABS:
        rows, page, totals = [], 1, None
        while True:
            body = client.get(reverse("api:review-referrals"), {"tab": tab, "q": search, "page": page}).json()
            totals = body["totals"]
            rows += body["results"]
            if not body["next"]:
                break
            page += 1
        assert totals[tab.replace("-", "_")] == len(rows) == body["count"], (tab, search)


def test_the_queue_sorts_and_flags(client, submitted, hpt):
    today = submitted.accommodation_required_from
    copy_of(
        submitted, crn="X300001", person_name="Aaron Bell", accommodation_required_from=today - dt.timedelta(days=40)
    )
    client.force_login(hpt)
    body = client.get(reverse("api:review-referrals"), {"sort": "-name"}).json()
    assert [r["person_name"] for r in body["results"]] == ["Daniel Hughes", "Aaron Bell"]
    body = client.get(reverse("api:review-referrals"), {"sort": "days-left"}).json()
    assert body["results"][0]["person_name"] == "Aaron Bell" and body["results"][0]["urgent"] is True


def test_reporters_read_but_cannot_act(client, submitted):
    london = copy_of(submitted, region=region("N07"), pdu=None, crn="X200005")
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    body = client.get(reverse("api:review-referrals")).json()
    assert body["totals"]["unallocated"] == 2
    assert client.get(reverse("api:review-referrals"), {"region": "N07"}).json()["count"] == 1
    assert client.get(reverse("api:review-referral", args=[london.pk])).json()["allowed_actions"] == []
    for action in ACTIONS:
        assert _act(client, london, action).status_code == 403
    assert post(client, "api:review-referral-notes", london.pk, {"text": "x"}).status_code == 403


def test_the_openapi_document_describes_the_review_api(client, hpt):
    client.force_login(hpt)
    paths = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/v1/review/referrals",
        "/api/v1/review/referrals/{id}",
        "/api/v1/review/referrals/{id}/allocate",
        "/api/v1/review/referrals/{id}/unallocate",
        "/api/v1/review/referrals/{id}/accept",
        "/api/v1/review/referrals/{id}/reject",
        "/api/v1/review/referrals/{id}/archive",
        "/api/v1/review/referrals/{id}/reopen",
        "/api/v1/review/referrals/{id}/notes",
        "/api/v1/review/referrals/{id}/timeline",
        "/api/v1/review/referrals/{id}/dates",
        "/api/v1/referrals/{id}/timeline",
        "/api/v1/referrals/{id}/notes",
    ):
        assert path in paths, path
    assert "409" in paths["/api/v1/review/referrals/{id}/accept"]["post"]["responses"]
