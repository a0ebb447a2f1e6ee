"""The referral pages: finding the person (and every way that can fail), the task list, resuming
where the referrer left off, change links from check your answers, deleting, sending once, the
referrer's lists, and viewing a referral as it was sent."""

import html
import re

import pytest
from django.urls import reverse

from cas.core.roles import Role
from cas.events.models import OutboundEmail
from cas.placements import services as placements
from cas.referrals import services
from cas.referrals.cas3 import review
from cas.referrals.models import Referral
from tests.estate_factories import make_estate
from tests.factories import make_user, pdu
from tests.placement_factories import days, departure_reason, make_booking, make_ready_referral, move_on
from tests.referral_factories import complete, make_draft, make_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrer():
    return make_user(Role.CAS3_REFERRER, username="pp.pages", pdu=pdu("N51LPLS"))


@pytest.fixture
def client_in(client, referrer):
    client.force_login(referrer)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_start_page_says_what_is_needed(client_in):
    page = text(client_in.get(reverse("web:referral-start")))
    for needed in ("case reference number (CRN)", "consent", "Duty to Refer", "risk assessment (OASys)"):
        assert needed in page
    assert reverse("web:referral-new") in page


def test_crn_format_unknown_restricted_and_upstream_failures(client_in):
    page = text(client_in.get(reverse("web:referral-new"), {"crn": "X1"}))
    assert "Enter a CRN in the correct format" in page
    response = client_in.get(reverse("web:referral-new"), {"crn": "x100001"})
    assert response["Location"] == reverse("web:referral-person", args=["X100001"])
    response = client_in.get(reverse("web:referral-person", args=["X000000"]))
    assert response.status_code == 404 and "No person with CRN X000000 was found" in text(response)
    response = client_in.get(reverse("web:referral-person", args=["X100008"]))
    assert response.status_code == 403 and "You cannot refer this person" in text(response)
    response = client_in.get(reverse("web:referral-person", args=["X999991"]))
    assert response.status_code == 503 and "The probation case system is not responding" in text(response)
    assert not Referral.objects.exists()


def test_confirm_details_shows_the_fetch_date_and_creates_the_draft(client_in, referrer):
    page = text(client_in.get(reverse("web:referral-person", args=["X100001"])))
    assert "Confirm Daniel Hughes’s details" in page and "fetched on" in page and "A1001AA" in page
    response = client_in.post(reverse("web:referral-person", args=["X100001"]))
    referral = Referral.objects.get()
    # One offence: chosen automatically, straight to the task list.
    assert response["Location"] == reverse("web:referral-tasks", args=[referral.pk])
    assert referral.created_by == referrer and referral.offence_description


def test_missing_prison_number_is_explained_and_the_referral_goes_on(client_in, referrer):
    page = text(client_in.get(reverse("web:referral-person", args=["X100010"])))
    assert "no prison number" in page and "You can still make the referral without it" in page
    client_in.post(reverse("web:referral-person", args=["X100010"]))
    referral = complete(referrer, Referral.objects.get())
    page = text(client_in.get(reverse("web:referral-page", args=[referral.pk, "prison-information", "adjudications"])))
    assert "no prison number" in page and "You can continue without it" in page


def test_several_offences_ask_for_the_index_offence(client_in):
    response = client_in.post(reverse("web:referral-person", args=["X100014"]))
    assert response["Location"] == reverse("web:referral-offence", args=["X100014"])
    page = text(client_in.get(response["Location"]))
    assert "Which is the index offence?" in page
    response = client_in.post(reverse("web:referral-offence", args=["X100014"]), {"offence_id": "nonsense"})
    assert "Select the index offence" in text(response)
    person = services.find_person(make_user(Role.CAS3_REFERRER), "X100014").person
    chosen = person.offences[1]
    response = client_in.post(reverse("web:referral-offence", args=["X100014"]), {"offence_id": chosen.offence_id})
    assert Referral.objects.get().offence_id == chosen.offence_id


def test_task_list_statuses_and_locked_tasks(client_in, referrer):
    referral = make_draft(referrer)
    page = text(client_in.get(reverse("web:referral-tasks", args=[referral.pk])))
    assert "You have completed 0 of 5 sections" in page
    # Every task can be started straight away; only check your answers waits for the others.
    assert page.count("Cannot start yet") == 1 and page.count("Not yet started") == 16
    assert reverse("web:referral-task", args=[referral.pk, "sentence-information"]) in page
    assert reverse("web:referral-task", args=[referral.pk, "check-your-answers"]) not in page
    response = client_in.get(reverse("web:referral-task", args=[referral.pk, "check-your-answers"]))
    assert response["Location"] == reverse("web:referral-tasks", args=[referral.pk])
    # A later task is answered first.
    response = client_in.get(reverse("web:referral-page", args=[referral.pk, "consent", "consent-given"]))
    assert response.status_code == 200
    response = client_in.post(
        reverse("web:referral-page", args=[referral.pk, "consent", "consent-given"]), {"consent": "yes"}
    )
    assert response.status_code == 302
    page = text(client_in.get(reverse("web:referral-tasks", args=[referral.pk])))
    assert page.count("Completed") >= 1 and page.count("Not yet started") == 15


def test_a_draft_resumes_where_it_was_left(client_in, referrer):
    referral = make_draft(referrer)
    pl = "placement-location"
    response = client_in.post(
        reverse("web:referral-page", args=[referral.pk, pl, "alternative-region"]), {"same_region": "yes"}
    )
    assert response["Location"] == reverse("web:referral-page", args=[referral.pk, pl, "alternative-pdu"])
    # Later: the task list shows the task in progress and its link goes to the next question.
    page = text(client_in.get(reverse("web:referral-tasks", args=[referral.pk])))
    assert re.search(r"Placement location.*?In progress", page, re.S)
    response = client_in.get(reverse("web:referral-task", args=[referral.pk, pl]))
    assert response["Location"] == reverse("web:referral-page", args=[referral.pk, pl, "alternative-pdu"])
    # The earlier answer is shown when going back.
    page = client_in.get(reverse("web:referral-page", args=[referral.pk, pl, "alternative-region"])).content.decode()
    assert re.search(r'value="yes" checked', page)
    response = client_in.post(
        reverse("web:referral-page", args=[referral.pk, pl, "alternative-pdu"]), {"different_pdu": "no"}
    )
    assert response["Location"] == reverse("web:referral-tasks", args=[referral.pk])
    page = text(client_in.get(reverse("web:referral-tasks", args=[referral.pk])))
    assert re.search(r"Placement location.*?Completed", page, re.S)


def test_change_from_check_your_answers_returns_there_and_follows_a_new_branch(client_in, referrer):
    referral = complete(referrer, make_draft(referrer))
    check = reverse("web:referral-page", args=[referral.pk, "check-your-answers", "review"])
    page = text(client_in.get(check))
    change = reverse("web:referral-page", args=[referral.pk, "consent", "consent-given"]) + "?return=check"
    assert change in page
    response = client_in.post(change, {"consent": "yes"})
    assert response["Location"] == check
    # A changed answer that opens a new question goes there first, then back.
    ob = "offence-and-behaviour"
    url = reverse("web:referral-page", args=[referral.pk, ob, "history-of-sexual-offence"]) + "?return=check"
    response = client_in.post(url, {"answer": "yes"})
    assert response["Location"] == (
        reverse("web:referral-page", args=[referral.pk, ob, "registered-sex-offender"]) + "?return=check"
    )
    response = client_in.post(response["Location"], {"answer": "no"})
    assert response["Location"] == check
    referral.refresh_from_db()
    assert "concerning-sexual-behaviour" not in referral.answers[ob]  # pruned: no longer on the route
    page = text(client_in.get(check))
    assert "Is Daniel Hughes a registered sex offender?" in page
    assert "Are there any concerns about Daniel Hughes’s sexual behaviour?" not in page


def test_sending_twice_makes_one_referral_and_one_email(client_in, referrer):
    referral = complete(referrer, make_draft(referrer))
    url = reverse("web:referral-submit", args=[referral.pk])
    first = client_in.post(url, {"declaration": "on"})
    second = client_in.post(url, {"declaration": "on"})
    confirmation = reverse("web:referral-confirmation", args=[referral.pk])
    assert first["Location"] == confirmation and second["Location"] == confirmation
    assert Referral.objects.submitted().count() == 1 and OutboundEmail.objects.count() == 1
    page = text(client_in.get(confirmation))
    assert "Referral sent" in page and referral.reference in page and "North West" in page
    assert referrer.email in page


def test_submitted_referral_is_shown_as_it_was_sent(client_in, referrer):
    referral = make_submitted(referrer)
    # Whatever happens to the form or answers later, the sent document is what is shown.
    Referral.objects.filter(pk=referral.pk).update(answers={})
    page = text(client_in.get(reverse("web:referral-sent", args=[referral.pk])))
    assert "These are the questions and answers exactly as you sent them" in page
    assert "Burglary of a dwelling while under the influence of alcohol" in page
    assert "Has Daniel Hughes agreed to this referral?" in page
    # A submitted referral's task list and pages lead to the sent view; it cannot be deleted.
    assert client_in.get(reverse("web:referral-tasks", args=[referral.pk]))["Location"] == reverse(
        "web:referral-sent", args=[referral.pk]
    )
    client_in.post(reverse("web:referral-delete", args=[referral.pk]))
    assert Referral.objects.get(pk=referral.pk).deleted_at is None


def test_delete_a_draft_after_confirming(client_in, referrer):
    referral = make_draft(referrer)
    page = text(client_in.get(reverse("web:referral-delete", args=[referral.pk])))
    assert "Delete the draft referral for Daniel Hughes?" in page
    response = client_in.post(reverse("web:referral-delete", args=[referral.pk]))
    assert response["Location"] == reverse("web:referral-list")
    assert "Draft referral for Daniel Hughes deleted" in text(client_in.get(response["Location"]))
    assert client_in.get(reverse("web:referral-tasks", args=[referral.pk])).status_code == 404


def test_lists_show_only_my_referrals_by_tab(client_in, referrer):
    draft = make_draft(referrer, "X100002")
    sent = make_submitted(referrer, "X100001")
    rejected = make_submitted(referrer, "X200007")
    hpt = make_user(Role.CAS3_ASSESSOR, username="pp.lists.hpt")
    reason = review.active_rejection_reasons().first()
    review.reject(hpt, rejected.pk, reason_id=reason.pk, withdrawal_requested=False)
    other = make_user(Role.CAS3_REFERRER, username="pp.someone.else")
    make_draft(other, "X100003")
    page = text(client_in.get(reverse("web:referral-list")))
    assert "In progress (1)" in page and "Submitted (1)" in page and "Rejected (1)" in page
    assert "Sarah Lawson" in page and "Jade Morris" not in page
    assert reverse("web:referral-tasks", args=[draft.pk]) in page
    page = text(client_in.get(reverse("web:referral-list-submitted")))
    assert reverse("web:referral-sent", args=[sent.pk]) in page and "Submitted" in page
    page = text(client_in.get(reverse("web:referral-list-rejected")))
    assert reverse("web:referral-sent", args=[rejected.pk]) in page and "Rejected" in page


def test_pages_have_no_inline_scripts_or_styles(client_in, referrer):
    referral = complete(referrer, make_draft(referrer))
    urls = [
        reverse("web:referral-start"),
        reverse("web:referral-new"),
        reverse("web:referral-person", args=["X100001"]),
        reverse("web:referral-tasks", args=[referral.pk]),
        reverse("web:referral-submit", args=[referral.pk]),
        reverse("web:referral-page", args=[referral.pk, "check-your-answers", "review"]),
    ]
    draft = services.open_draft(referrer, referral.pk)
    for task in draft.definition.tasks():
        for page in task.pages:
            urls.append(reverse("web:referral-page", args=[referral.pk, task.slug, page.slug]))
    for url in urls:
        response = client_in.get(url)
        if response.status_code == 302:
            continue
        body = response.content.decode()
        assert response.status_code == 200, url
        # Only the GOV.UK template's own snippet runs inline, with the CSP nonce.
        assert not re.search(r"<script(?![^>]*\b(src|nonce)=)[^>]*>", body), f"inline script on {url}"
        assert " style=" not in body and "<style" not in body, f"inline style on {url}"


def test_the_referrer_sees_where_and_when_their_person_is_placed_but_not_the_booking(client_in, referrer):
    assessor = make_user(Role.CAS3_ASSESSOR, username="hpt.pages")
    referral = make_ready_referral(referrer)
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = placements.confirm_booking(
        assessor, make_booking(bedspace, referral=referral, start=0, nights=14, actor=assessor)
    )
    url = reverse("web:referral-sent", args=[referral.pk])
    page = text(client_in.get(url))
    assert "Accommodation booked" in page and bedspace.premises.address in page
    assert "Booked, not arrived yet" in page and "Expected arrival" in page
    assert "Archived" in page and "Closed" not in page
    assert "Booking confirmed: referral archived" in page
    # The booking's own page stays the HPT's.
    assert reverse("web:booking-detail", args=[booking.pk]) not in page
    assert client_in.get(reverse("web:booking-detail", args=[booking.pk])).status_code in (403, 404)

    booking = placements.record_arrival(assessor, booking, arrival_date=days(0), expected_departure_date=days(7))
    placements.record_departure(
        assessor, booking, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
    )
    page = text(client_in.get(url))
    assert "Arrived on" in page and "Left on" in page and "Moved on to" in page
    assert page.count("Rental accommodation (private rental)") == 2  # the summary and the timeline
    assert "Planned move-on" not in page  # the departure reason is the HPT's


def test_the_referrers_timeline_names_each_status_as_their_status_tag_does(client_in, referrer):
    assessor = make_user(Role.CAS3_ASSESSOR, username="hpt.words")
    referral = make_submitted(referrer)
    review.allocate(assessor, referral.pk)
    review.accept(assessor, referral.pk)
    page = text(client_in.get(reverse("web:referral-sent", args=[referral.pk])))
    # The referrer's tag says "Accepted", and so does their timeline; the HPT's says "Ready to place".
    assert "Status: Accepted." in page and "Status: Ready to place." not in page
    assessor_client = client_in.__class__()
    assessor_client.force_login(assessor)
    review_page = text(assessor_client.get(reverse("web:review-referral", args=[referral.pk])))
    assert "Ready to place" in review_page
