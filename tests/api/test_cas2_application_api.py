"""The CAS2 referrer's journey through the API: routes, starting by route and identifier, the shared
draft endpoints for a CAS2 draft (pages, a repeating list, submission), reading the application,
notes, sending the information the provider asked for, abandoning; and the prison system's events."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from cas.core import clock
from cas.core.roles import Role
from cas.events.models import OutboundEmail
from cas.referrals import lifecycle
from cas.referrals.cas2.workflow import Action
from cas.referrals.models import Referral
from tests.cas2_factories import HEWELL_NOMS, cas2_user, fill_in, start, submitted
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def post(client, name, body=None, args=()):
    return client.post(reverse(name, args=args), body or {}, content_type="application/json")


def put(client, referral_id, task, page, values):
    return client.put(
        reverse("api:referral-page", args=[referral_id, task, page]), values, content_type="application/json"
    )


def test_routes_and_starting(client):
    user = cas2_user("hdc")
    client.force_login(user)
    routes = client.get(reverse("api:cas2-routes")).json()
    assert [(r["code"], r["person_key"], r["is_open"]) for r in routes] == [("hdc", "noms", True)]
    assert post(client, "api:cas2-applications", {"route": "court_bail", "identifier": "X100019"}).status_code == 400
    assert post(client, "api:cas2-applications", {"route": "hdc", "identifier": "Z9999ZZ"}).status_code == 404
    wrong = cas2_user("hdc", prison="BMI")
    client.force_login(wrong)
    refused = post(client, "api:cas2-applications", {"route": "hdc", "identifier": HEWELL_NOMS})
    assert refused.status_code == 400 and "your own prison" in refused.json()["detail"]
    client.force_login(user)
    created = post(client, "api:cas2-applications", {"route": "hdc", "identifier": HEWELL_NOMS})
    assert created.status_code == 201
    body = created.json()
    assert body["form"]["key"] == "cas2-referral"
    statuses = {t["slug"]: t["status"] for t in body["tasks"]}
    assert statuses["bail-hearing"] == "not_applicable" and statuses["confirm-consent"] == "not_started"


def test_a_bare_crn_cannot_start_a_cas2_draft(client):
    client.force_login(cas2_user("court_bail"))
    response = post(client, "api:referrals", {"crn": "X100019"})
    assert response.status_code == 400 and "by its route" in response.json()["detail"]


def test_the_shared_draft_endpoints_fill_in_and_submit_a_cas2_application(client):
    user = cas2_user("court_bail")
    client.force_login(user)
    rid = post(client, "api:cas2-applications", {"route": "court_bail", "identifier": "X100019"}).json()["id"]
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    assert put(client, rid, "area-information", "women-only", {"answer": "no"}).status_code == 409
    saved = put(client, rid, "confirm-consent", "consent", {"consent": "yes", "consent_date": yesterday})
    assert saved.status_code == 200, saved.json()
    listed = put(
        client,
        rid,
        "alleged-offences",
        "alleged-offences",
        {"action": "add", "offence": "Assault", "offence_date": yesterday},
    )
    assert listed.status_code == 200, listed.json()
    referral = Referral.objects.get(pk=rid)
    assert referral.answers["alleged-offences"]["alleged-offences"]["items"][0]["offence"] == "Assault"
    fill_in(user, referral)
    response = post(client, "api:referral-submission", {"declaration": True}, args=[rid])
    assert response.status_code == 201 and response.json()["referral"]["status"] == "received"
    again = post(client, "api:referral-submission", {"declaration": True}, args=[rid])
    assert again.status_code == 200 and not again.json()["newly_submitted"]
    assert OutboundEmail.objects.filter(template_key="cas2_application_to_assess").count() == 1


def test_reading_listing_notes_information_and_abandoning(client):
    user, referral = submitted("prison_bail")
    client.force_login(user)
    body = client.get(reverse("api:cas2-application", args=[referral.pk])).json()
    assert body["status"] == "received" and body["route"] == "prison_bail" and body["current_prison"] == "CFI"
    assert body["timeline"][0]["title"] == "Referral sent" and body["document"]
    listed = client.get(reverse("api:cas2-applications"), {"list": "submitted"}).json()
    assert [a["id"] for a in listed["results"]] == [str(referral.pk)]
    colleague = cas2_user("prison_bail")
    client.force_login(colleague)
    prison = client.get(reverse("api:cas2-applications"), {"list": "prison", "q": referral.noms_number}).json()
    assert prison["count"] == 1
    note = post(client, "api:cas2-application-notes", {"text": "New address offered by family"}, args=[referral.pk])
    assert note.status_code == 201 and note.json()["emailed_to"] == referral.route.assessor_email
    assert post(client, "api:cas2-information", args=[referral.pk]).status_code == 404  # only the referrer

    client.force_login(user)
    assert post(client, "api:cas2-information", args=[referral.pk]).status_code == 409
    assessor = make_user(Role.CAS2_ASSESSOR, region_code="NA")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    lifecycle.transition(assessor, locked, Action.REQUEST_INFORMATION, details={"sections": ["health_needs"]})
    Referral.objects.filter(pk=referral.pk).update(reopened_tasks=["health-needs"])
    assert (
        put(client, referral.pk, "health-needs", "mental-health", {"answer": "yes", "detail": "Anxiety"}).status_code
        == 200
    )
    assert put(client, referral.pk, "area-information", "women-only", {"answer": "yes"}).status_code == 409
    sent = post(client, "api:cas2-information", args=[referral.pk])
    assert sent.status_code == 200 and sent.json()["status"] == "received" and sent.json()["reopened_tasks"] == []

    _, draft = start("prison_bail", user)
    assert client.delete(reverse("api:cas2-application", args=[referral.pk])).status_code == 409
    assert client.delete(reverse("api:cas2-application", args=[draft.pk])).status_code == 204
    assert client.get(reverse("api:cas2-application", args=[draft.pk])).status_code == 404


def test_other_users_are_refused(client):
    _, referral = submitted("court_bail")
    for user in (
        cas2_user("court_bail"),
        cas2_user("hdc"),
        make_user(Role.CAS3_REFERRER),
        make_user(Role.CAS3_ASSESSOR),
    ):
        client.force_login(user)
        assert client.get(reverse("api:cas2-application", args=[referral.pk])).status_code in (403, 404)
        assert post(client, "api:cas2-application-notes", {"text": "x"}, args=[referral.pk]).status_code in (403, 404)


def test_prison_events_need_the_permission_and_move_the_application(client):
    _, referral = submitted("hdc")
    event = {
        "eventType": "prisoner-offender-search.prisoner.updated",
        "additionalInformation": {"nomsNumber": HEWELL_NOMS, "categoriesChanged": ["LOCATION"], "prisonId": "BMI"},
    }
    for role in (Role.CAS2_HDC_REFERRER, Role.CAS2_ASSESSOR, Role.REPORTER):
        client.force_login(make_user(role, region_code="NA"))
        assert post(client, "api:prison-events", event).status_code == 403
    client.force_login(make_user(Role.ADMIN, region_code="NA"))
    response = post(client, "api:prison-events", event)
    assert response.status_code == 200 and response.json()["changed"] == [str(referral.pk)]
    assert Referral.objects.get(pk=referral.pk).current_prison.code == "BMI"
    again = post(client, "api:prison-events", event).json()
    assert again == {"changed": [], "reason": "already at this prison"}
    assert post(client, "api:prison-events", {"eventType": "other"}).status_code == 400


def test_the_management_command_replays_events(tmp_path, capsys):
    _, referral = submitted("hdc")
    file = tmp_path / "events.json"
    file.write_text(
        '[{"eventType": "prison-offender-events.prisoner.merged", "additionalInformation": '
        f'{{"removedNomsNumber": "{HEWELL_NOMS}", "nomsNumber": "A7777ZZ"}}}},'
        '{"eventType": "prisoner-offender-search.prisoner.updated", "additionalInformation": '
        '{"nomsNumber": "A7777ZZ", "categoriesChanged": ["LOCATION"], "prisonId": "BMI"}}]'
    )
    call_command("handle_prison_event", str(file))
    out = capsys.readouterr().out
    assert f"Event 1 (prison-offender-events.prisoner.merged): changed {referral.pk}" in out
    assert f"Event 2 (prisoner-offender-search.prisoner.updated): changed {referral.pk}" in out
    referral.refresh_from_db()
    assert referral.noms_number == "A7777ZZ" and referral.current_prison.code == "BMI"
