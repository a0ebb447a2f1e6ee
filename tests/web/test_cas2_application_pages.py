"""The CAS2 referrer's pages: choosing a route (closed routes with why), finding and confirming the
person, the task list with tasks that do not apply, question pages including a repeating list, check
your answers, sending and the confirmation with the service level, the application page with its
timeline and notes, answering the sections the provider reopened, abandoning a draft, and the lists."""

import re

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.roles import Role
from cas.events.models import OutboundEmail
from cas.referrals import lifecycle
from cas.referrals.cas2 import service_levels
from cas.referrals.cas2.workflow import Action, Status
from cas.referrals.models import Referral, ReferralRoute
from tests.cas2_factories import HEWELL_NOMS, cas2_user, pages, start, submitted
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def court(client):
    user = cas2_user("court_bail")
    client.force_login(user)
    return user


def test_the_home_page_offers_applications(client):
    user = cas2_user("hdc")
    client.force_login(user)
    page = text(client.get(reverse("web:role-home", args=["cas2-hdc-referrer"])))
    assert "Start a CAS2 application" in page and "Your prison&#39;s CAS2 applications" in page
    nav = text(client.get(reverse("web:cas2-application-list")))
    assert 'href="/cas2/applications"' in nav and ">Referrals<" not in nav


def test_start_lists_the_users_route_and_a_closed_one_with_why(client, court):
    page = text(client.get(reverse("web:cas2-start")))
    assert "Court bail" in page and "For someone seeking bail at court" in page
    response = client.get(reverse("web:cas2-start"), {"route": "hdc"})
    assert response.status_code == 200 and "Select how you are applying" in text(response)
    assert client.get(reverse("web:cas2-start"), {"route": "court_bail"})["Location"] == reverse(
        "web:cas2-find-person", args=["court_bail"]
    )
    ReferralRoute.objects.filter(code="court_bail").update(closed_message="Court bail is closed for now.")
    ReferralRoute.objects.filter(code="court_bail").update(closes_on="2020-01-01")
    page = text(client.get(reverse("web:cas2-start")))
    assert "Court bail is closed for now." in page and 'value="court_bail"' not in page
    assert client.get(reverse("web:cas2-find-person", args=["court_bail"]))["Location"] == reverse("web:cas2-start")


def test_finding_the_person_by_prison_number_and_the_errors(client):
    user = cas2_user("hdc", prison="BMI")
    client.force_login(user)
    find = reverse("web:cas2-find-person", args=["hdc"])
    assert "What is the person’s prison number?" in text(client.get(find))
    assert client.get(find, {"identifier": "a1019av"})["Location"] == reverse(
        "web:cas2-confirm-person", args=["hdc", "a1019av"]
    )
    response = client.get(reverse("web:cas2-confirm-person", args=["hdc", HEWELL_NOMS]))
    assert (
        response.status_code == 400
        and "only apply for Home Detention Curfew for someone in your own prison" in text(response)
    )
    response = client.get(reverse("web:cas2-confirm-person", args=["hdc", "Z9999ZZ"]))
    assert response.status_code == 404 and "No person with prison number Z9999ZZ" in text(response)


def test_a_restricted_person(client, court):
    response = client.get(reverse("web:cas2-confirm-person", args=["court_bail", "X100008"]))
    assert response.status_code == 403 and "You cannot apply for this person" in text(response)


def test_the_whole_journey_for_court_bail(client, court):
    confirm = reverse("web:cas2-confirm-person", args=["court_bail", "X100019"])
    page = text(client.get(confirm))
    assert "Confirm Aaron Bell’s details" in page
    response = client.post(confirm)
    referral = Referral.objects.get(created_by=court)
    assert response["Location"] == reverse("web:cas2-application-tasks", args=[referral.pk])

    tasks = text(client.get(response["Location"]))
    assert "Apply for CAS2 accommodation" in tasks and "Does not apply" in tasks
    assert "Abandon this application" in tasks
    assert reverse("web:cas2-application-task", args=[referral.pk, "hdc-licence-dates"]) not in tasks

    for task, page_slug, data in pages(clock.today()):
        referral.refresh_from_db()
        url = reverse("web:cas2-application-page", args=[referral.pk, task, page_slug])
        shown = client.get(url)
        if shown.status_code == 302:  # not on this route's way through the form
            continue
        assert shown.status_code == 200, (task, page_slug)
        posted = client.post(url, data)
        assert posted.status_code == 302, (task, page_slug, text(posted)[:2000])
        if data.get("action") == "add":
            assert posted["Location"] == url  # the list again, to add another or carry on
            listed = text(client.get(url))
            assert "Remove" in listed and "Assault" in listed
    referral.refresh_from_db()
    submit = reverse("web:cas2-application-submit", args=[referral.pk])
    page = text(client.get(submit))
    assert "Send the application" in page
    response = client.post(submit, {"declaration": "on", "submission_key": "k1"})
    assert response["Location"] == reverse("web:cas2-application-confirmation", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    done = text(client.get(response["Location"]))
    assert "Application sent" in done and service_levels.describe(referral.cohort) in done
    # Sending again changes nothing.
    client.post(submit, {"declaration": "on", "submission_key": "k1"})
    assert OutboundEmail.objects.filter(template_key="cas2_application_submitted").count() == 1

    page = text(client.get(reverse("web:cas2-application", args=[referral.pk])))
    assert "Received" in page and "Referral sent" in page and "What was sent" in page
    # The draft pages of a sent application lead to its page.
    assert client.get(reverse("web:cas2-application-tasks", args=[referral.pk]))["Location"] == reverse(
        "web:cas2-application", args=[referral.pk]
    )


def test_notes_from_the_application_page(client, court):
    _, referral = submitted("court_bail", court)
    url = reverse("web:cas2-application-note", args=[referral.pk])
    response = client.post(url, {"text": ""})
    assert response.status_code == 400 and "Enter a note" in text(response)
    response = client.post(url, {"text": "Hearing moved to Friday"})
    assert response.status_code == 302
    page = text(client.get(reverse("web:cas2-application", args=[referral.pk])))
    assert "Hearing moved to Friday" in page and "Note from the referrer" in page
    assert OutboundEmail.objects.filter(template_key="cas2_note_from_referrer").count() == 1


def test_answering_the_sections_the_provider_reopened(client, court):
    _, referral = submitted("court_bail", court)
    assessor = make_user(Role.CAS2_ASSESSOR, region_code="NA")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    lifecycle.transition(assessor, locked, Action.REQUEST_INFORMATION, details={"sections": ["other"]})
    Referral.objects.filter(pk=referral.pk).update(reopened_tasks=["health-needs"])
    page = text(client.get(reverse("web:cas2-application", args=[referral.pk])))
    task_url = reverse("web:cas2-application-task", args=[referral.pk, "health-needs"])
    assert "The provider needs more information" in page and task_url in page
    # Other sections stay closed.
    other = reverse("web:cas2-application-page", args=[referral.pk, "area-information", "women-only"])
    assert client.get(other)["Location"] == reverse("web:cas2-application", args=[referral.pk])
    first = client.get(task_url)["Location"]
    assert "/tasks/health-needs/" in first
    response = client.post(first, {"answer": "yes", "detail": "Alcohol"})
    assert response.status_code == 302
    response = client.post(reverse("web:cas2-send-information", args=[referral.pk]), {"submission_key": "s1"})
    assert response["Location"] == reverse("web:cas2-application", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED and referral.has_substance_misuse_needs is True
    page = text(client.get(reverse("web:cas2-application", args=[referral.pk])))
    assert "Information sent" in page and "The provider needs more information" not in page


def test_abandoning_a_draft(client, court):
    _, referral = start("court_bail", court)
    url = reverse("web:cas2-application-abandon", args=[referral.pk])
    assert "Abandon the application for" in text(client.get(url))
    assert client.post(url)["Location"] == reverse("web:cas2-application-list")
    assert Referral.objects.get(pk=referral.pk).deleted_at is not None
    assert client.get(reverse("web:cas2-application-tasks", args=[referral.pk])).status_code == 404


def test_the_lists(client):
    user, sent = submitted("prison_bail")
    _, draft = start("prison_bail", user)
    client.force_login(user)
    in_progress = text(client.get(reverse("web:cas2-application-list")))
    assert draft.person_name in in_progress and "In progress (1)" in in_progress and "Sent (1)" in in_progress
    assert "Received" in text(client.get(reverse("web:cas2-application-list-submitted")))
    colleague = cas2_user("prison_bail")
    client.force_login(colleague)
    prison = text(client.get(reverse("web:cas2-prison-applications")))
    assert sent.person_name in prison and "Cardiff" in prison
    assert "No applications match" in text(client.get(reverse("web:cas2-prison-applications"), {"q": "nobody"}))
    assert client.get(reverse("web:cas2-application", args=[sent.pk])).status_code == 200
    client.force_login(cas2_user("court_bail"))
    assert client.get(reverse("web:cas2-prison-applications")).status_code == 404


def test_other_users_are_refused_an_application(client):
    _, sent = submitted("court_bail")
    for user in (
        cas2_user("court_bail"),
        cas2_user("prison_bail"),
        make_user(Role.CAS3_REFERRER),
        make_user(Role.CAS3_ASSESSOR),
    ):
        client.force_login(user)
        for name in ("web:cas2-application", "web:cas2-application-confirmation"):
            assert client.get(reverse(name, args=[sent.pk])).status_code in (403, 404), (user, name)
