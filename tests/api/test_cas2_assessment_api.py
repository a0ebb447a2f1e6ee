"""The provider's CAS2 API: the queue with the pages' filters, an application, its timeline, status
updates (also from the provider's own system, with an API token), assessment details, notes, the
statuses reference list from the workflow declaration, and who may use any of it."""

import pytest
from django.urls import reverse

from cas.accounts.services import create_api_token
from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.referrals.cas2.workflow import WORKFLOW, Action, Status
from tests.cas2_assessment_factories import make_application
from tests.factories import make_user
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessor(client):
    user = make_user(Role.CAS2_ASSESSOR, username="nacro.api")
    client.force_login(user)
    return user


def post(client, name, pk, body, method="post"):
    return getattr(client, method)(reverse(name, args=[pk]), body, content_type="application/json")


def test_the_queue_with_tabs_filters_and_totals(client, assessor):
    court = make_application("court_bail", "X100001")
    make_application("hdc", "X100002")
    make_application("probation", "X100003", status="awaiting_decision")
    body = client.get(reverse("api:cas2-assessments")).json()
    assert body["count"] == 2
    assert body["totals"] == {"new": 2, "in_progress": 1, "placed": 0, "closed": 0}
    row = next(r for r in body["results"] if r["id"] == str(court.pk))
    assert row["route"] == "court_bail" and row["status"] == "received" and row["status_label"] == "Received"
    assert row["urgency"]["label"] == "Bail hearing" and row["overdue"] is False and row["due_at"]
    body = client.get(reverse("api:cas2-assessments"), {"tab": "new", "route": "hdc"}).json()
    assert [r["crn"] for r in body["results"]] == ["X100002"]
    body = client.get(reverse("api:cas2-assessments"), {"tab": "in-progress", "sort": "-urgency"}).json()
    assert [r["crn"] for r in body["results"]] == ["X100003"]


def test_the_queue_runs_the_same_queries_for_more_applications(client, assessor):
    def add(n):
        for i in range(n):
            make_application(("court_bail", "hdc")[i % 2], "X100001")

    assert_constant_queries(lambda: client.get(reverse("api:cas2-assessments")), add, what="CAS2 API queue")


def test_an_application_and_its_timeline(client, assessor):
    application = make_application("hdc", "X100002", provider_reference="NAC-7")
    body = client.get(reverse("api:cas2-assessment", args=[application.pk])).json()
    assert body["id"] == str(application.pk) and body["provider_reference"] == "NAC-7"
    assert body["allowed_statuses"] == [
        "more_info_requested",
        "awaiting_decision",
        "on_waiting_list",
        "withdrawn",
        "cancelled",
    ]
    assert body["dates"]["hdc_eligibility_date"] and body["current_prison_code"] == "HEI"
    assert body["risks"]["rosh_level"] == "MEDIUM" and body["document"]["sections"]
    timeline = client.get(reverse("api:cas2-assessment-timeline", args=[application.pk])).json()
    assert [e["kind"] for e in timeline] == ["submitted"]


def test_the_provider_updates_the_status_with_details(client, assessor):
    application = make_application("court_bail", "X100001")
    response = post(client, "api:cas2-assessment-status", application.pk, {"status": "place_offered"})
    assert response.status_code == 409
    assert response.json()["detail"] == "You cannot move an application from Received to Place offered"
    response = post(client, "api:cas2-assessment-status", application.pk, {"status": "more_info_requested"})
    assert response.status_code == 400 and "Select at least one of the sections" in response.json()["detail"]
    response = post(
        client,
        "api:cas2-assessment-status",
        application.pk,
        {"status": "more_info_requested", "details": ["exclusion_zones_and_areas"], "text": "Which areas?"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "more_info_requested" and body["reopened_tasks"] == ["area-information"]
    assert OutboundEmail.objects.filter(template_key="cas2_status_updated").count() == 1
    event = DomainEvent.objects.get(event_type="applications.cas2.application.status-updated")
    assert event.detail["newStatus"]["details"] == [
        {"code": "exclusion_zones_and_areas", "label": "Exclusion zones and preferred areas"}
    ]
    stale = post(client, "api:cas2-assessment-status", application.pk, {"status": "awaiting_decision", "version": 0})
    assert stale.status_code == 409


def test_the_providers_system_updates_a_status_with_its_token(client):
    system = make_user(Role.CAS2_ASSESSOR, username="nacro.system")
    token = create_api_token(None, system, "Nacro case system")[1]
    application = make_application()
    response = client.post(
        reverse("api:cas2-assessment-status", args=[application.pk]),
        {"status": "awaiting_decision"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    event = DomainEvent.objects.get(event_type="applications.cas2.application.status-updated")
    assert event.detail["updatedBy"]["username"] == "nacro.system"


def test_assessment_details_and_notes(client, assessor):
    application = make_application()
    response = post(
        client,
        "api:cas2-assessment-details",
        application.pk,
        {"assessor_name": "Ada", "provider_reference": "NAC-1", "version": application.version},
        method="put",
    )
    assert response.status_code == 200 and response.json()["provider_reference"] == "NAC-1"
    stale = post(
        client,
        "api:cas2-assessment-details",
        application.pk,
        {"assessor_name": "Bob", "provider_reference": "NAC-2", "version": application.version},
        method="put",
    )
    assert stale.status_code == 409
    note = post(client, "api:cas2-assessment-notes", application.pk, {"text": "Please call us"})
    assert note.status_code == 201 and note.json()["kind"] == "note" and note.json()["visible_to_referrer"]
    assert OutboundEmail.objects.filter(template_key="cas2_note_to_referrer").count() == 1


def test_the_statuses_come_from_the_workflow_declaration(client, assessor):
    rows = {row["code"]: row for row in client.get(reverse("api:cas2-statuses")).json()}
    assert set(rows) == {s.code for s in WORKFLOW.statuses} - {Status.DRAFT}
    for code, row in rows.items():
        expected = [
            WORKFLOW.next_status(code, a) for a in WORKFLOW.allowed_actions(code) if a != Action.SEND_INFORMATION
        ]
        assert row["next_statuses"] == expected, code
    assert rows["place_offered"]["next_statuses"] == ["offer_accepted", "offer_declined", "withdrawn", "cancelled"]
    assert rows["cancelled"]["next_statuses"] == [] and rows["cancelled"]["closes"]
    assert rows["more_info_requested"]["details_required"]
    assert "hdc_and_cpp" in rows["more_info_requested"]["hdc_only_details"]
    assert {d["code"] for d in rows["offer_declined"]["details"]} >= {"no_response", "area_unsuitable"}


def test_reporters_read_and_change_nothing(client):
    application = make_application()
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    body = client.get(reverse("api:cas2-assessment", args=[application.pk])).json()
    assert body["allowed_statuses"] == []
    assert client.get(reverse("api:cas2-assessments")).status_code == 200
    response = post(client, "api:cas2-assessment-status", application.pk, {"status": "awaiting_decision"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.CAS3_ASSESSOR, Role.CAS2_COURT_REFERRER])
def test_other_users_are_refused(client, role):
    application = make_application()
    client.force_login(make_user(role))
    assert client.get(reverse("api:cas2-assessments")).status_code == 403
    assert client.get(reverse("api:cas2-assessment", args=[application.pk])).status_code in (403, 404)
    response = post(client, "api:cas2-assessment-status", application.pk, {"status": "awaiting_decision"})
    assert response.status_code in (403, 404)
    application.refresh_from_db()
    assert application.status == "received"


def test_the_cas3_review_queue_refuses_the_cas2_provider(client, assessor):
    assert client.get(reverse("api:review-referrals")).status_code == 403
