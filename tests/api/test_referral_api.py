"""A whole CAS3 referral made through the API alone, with the web form's rules, and the OpenAPI
document that describes it."""

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.roles import Role
from cas.demo import referrals as demo
from cas.events.models import OutboundEmail
from cas.placements import services as placements
from cas.referrals.models import Referral
from tests.estate_factories import make_estate
from tests.factories import make_user, pdu
from tests.placement_factories import days, departure_reason, make_booking, make_ready_referral, move_on
from tests.referral_factories import make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    client.force_login(make_user(Role.CAS3_REFERRER, username="pp.api", pdu=pdu("N51LPLS")))
    return client


def put(client, referral_id, task, page, values):
    return client.put(
        reverse("api:referral-page", args=[referral_id, task, page]), values, content_type="application/json"
    )


def test_a_whole_referral_through_the_api(api):
    response = api.post(reverse("api:referrals"), {"crn": "X100001"}, content_type="application/json")
    assert response.status_code == 201
    referral = response.json()
    rid = referral["id"]
    assert referral["status"] == "draft" and referral["form"] == {"key": "cas3-referral", "version": 1}
    assert len(referral["tasks"]) == 17 and referral["tasks"][0]["next_page"] == "alternative-region"
    assert len(referral["problems"]) == 17

    # A page describes its questions, choices and pre-filled values.
    page = api.get(reverse("api:referral-page", args=[rid, "eligibility", "release-date"])).json()
    assert page["title"] == "What is Daniel Hughes’s release date?"
    assert page["fields"][0]["type"] == "date" and page["values"]["release_date"]
    sharing = api.get(reverse("api:referral-page", args=[rid, "placement-considerations", "accommodation-sharing"]))
    fields = {f["name"]: f for f in sharing.json()["fields"]}
    assert fields["managing_risks"]["required_when"] == {"answer": ["yes"]}
    assert {"value": "yes", "label": "Yes"} in fields["answer"]["choices"]

    # The same rules as the web form, errors per field.
    bad = put(api, rid, "offence-and-behaviour", "concerning-sexual-behaviour", {"answer": "yes"})
    assert bad.status_code == 409  # not on the route yet: the first question is not answered
    bad = put(api, rid, "offence-and-behaviour", "history-of-sexual-offence", {})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"answer": ["Select yes if Daniel Hughes has been convicted of a sexual offence"]}
    bad = put(api, rid, "check-your-answers", "review", {"confirmed": True})
    assert bad.status_code == 409  # check your answers cannot start until every other task is done

    for task, page_slug, values in demo.complete_answers(today=clock.today()):
        response = put(api, rid, task, page_slug, values or {})
        assert response.status_code == 200, (task, page_slug, response.json())
    assert response.json()["task_status"] == "completed"

    bad = put(api, rid, "eligibility", "release-date", {"release_date": "2020-01-01"})
    assert bad.status_code == 400 and bad.json()["errors"]["release_date"] == [
        "The release date must be today or in the future"
    ]
    bad = put(api, rid, "eligibility", "release-date", {"release_date": "2027-02-30"})
    assert bad.json()["errors"]["release_date"] == ["The release date must be a real date"]

    response = api.post(
        reverse("api:referral-submission", args=[rid]), {"declaration": False}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["field"] == "declaration"
    response = api.post(
        reverse("api:referral-submission", args=[rid]), {"declaration": True}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["newly_submitted"] and body["referral"]["status"] == "unallocated"
    assert body["referral"]["document"]["sections"][0]["title"] == "Accommodation need"
    again = api.post(
        reverse("api:referral-submission", args=[rid]), {"declaration": True}, content_type="application/json"
    )
    assert again.status_code == 200 and not again.json()["newly_submitted"]
    assert OutboundEmail.objects.count() == 1

    listed = api.get(reverse("api:referrals"), {"status": "submitted"}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == rid
    assert api.get(reverse("api:referrals")).json()["count"] == 0
    read = api.get(reverse("api:referral", args=[rid])).json()
    assert read["status_label"] == "Submitted" and read["answers"] == {}
    assert put(api, rid, "consent", "consent-given", {"consent": "no"}).status_code == 409


def test_submission_refused_while_incomplete(api):
    rid = api.post(reverse("api:referrals"), {"crn": "X100001"}, content_type="application/json").json()["id"]
    response = api.post(
        reverse("api:referral-submission", args=[rid]), {"declaration": True}, content_type="application/json"
    )
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert problems[0] == {
        "task": "placement-location",
        "page": "alternative-region",
        "message": "Placement location: not started",
    }


def test_create_errors(api):
    def create(body):
        return api.post(reverse("api:referrals"), body, content_type="application/json")

    assert create({"crn": "X000000"}).status_code == 404
    assert create({"crn": "X100008"}).json()["code"] == "restricted"
    assert create({"crn": "X999991"}).status_code == 503
    several = create({"crn": "X100014"})
    assert several.status_code == 400 and several.json()["field"] == "offence_id"
    assert create({}).status_code == 400


def test_delete_and_others_referrals(api, client):
    rid = api.post(reverse("api:referrals"), {"crn": "X100001"}, content_type="application/json").json()["id"]
    other = make_user(Role.CAS3_REFERRER, username="pp.api.other")
    theirs = make_draft(other, "X100002")
    assert api.get(reverse("api:referral", args=[theirs.pk])).status_code == 404
    assert put(api, theirs.pk, "consent", "consent-given", {"consent": "yes"}).status_code == 404
    assert api.delete(reverse("api:referral", args=[theirs.pk])).status_code == 404
    assert api.delete(reverse("api:referral", args=[rid])).status_code == 204
    assert Referral.objects.get(pk=rid).deleted_at is not None
    client.force_login(make_user(Role.CAS3_ASSESSOR))
    assert client.get(reverse("api:referrals")).status_code == 403


def test_openapi_document_describes_the_referral_api(api):
    response = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    paths = schema["paths"]
    assert set(paths["/api/v1/referrals"]) >= {"get", "post"}
    assert set(paths["/api/v1/referrals/{id}"]) >= {"get", "delete"}
    assert set(paths["/api/v1/referrals/{id}/pages/{task}/{page}"]) >= {"get", "put"}
    assert "post" in paths["/api/v1/referrals/{id}/submission"]
    components = schema["components"]["schemas"]
    assert {"Referral", "PageErrors", "SubmissionIncomplete", "ReferralCreate"} <= set(components)


def test_the_referrer_reads_the_placement_made_for_their_referral(client):
    referrer = make_user(Role.CAS3_REFERRER, username="pp.api.placed", pdu=pdu("N51LPLS"))
    assessor = make_user(Role.CAS3_ASSESSOR, username="hpt.api.placed")
    referral = make_ready_referral(referrer)
    client.force_login(referrer)
    url = reverse("api:referral", args=[referral.pk])
    assert client.get(url).json()["placement"] is None
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = placements.confirm_booking(
        assessor, make_booking(bedspace, referral=referral, start=0, nights=14, actor=assessor)
    )
    body = client.get(url).json()
    assert body["status_label"] == "Archived"
    assert body["placement"] == {
        "stage": "booked",
        "address": bedspace.premises.address,
        "expected_arrival": days(0).isoformat(),
        "expected_departure": days(14).isoformat(),
        "arrived_on": None,
        "left_on": None,
        "move_on": "",
    }
    booking = placements.record_arrival(assessor, booking, arrival_date=days(0), expected_departure_date=days(7))
    placements.record_departure(
        assessor, booking, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
    )
    placed = client.get(url).json()["placement"]
    assert (placed["stage"], placed["arrived_on"], placed["left_on"]) == (
        "left",
        days(0).isoformat(),
        days(0).isoformat(),
    )
    assert placed["move_on"] == "Rental accommodation (private rental)"
    timeline = client.get(reverse("api:referral-timeline", args=[referral.pk])).json()
    assert [entry["title"] for entry in timeline[:3]] == ["Moved on", "Arrived", "Booking confirmed: referral archived"]
