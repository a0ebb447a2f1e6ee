"""The provider's pages: the national queue (tabs, search, filters, overdue, limited access), the
application page for assessors and readers, the two-page status update, assessment details with a
stale form, notes, and the print version."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.people import access as people_access
from cas.people import registry
from cas.referrals import timeline
from cas.referrals.cas2 import assessment
from tests.cas2_assessment_factories import make_application, make_referrer
from tests.factories import make_user
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessor(client):
    user = make_user(Role.CAS2_ASSESSOR, first_name="Ada", last_name="Nacro")
    client.force_login(user)
    return user


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_queue_shows_tabs_with_counts_and_the_overdue_tag(client, assessor):
    late = make_application("court_bail", "X100001", submitted_at=timezone.now() - dt.timedelta(days=10))
    make_application("hdc", "X100002", status="place_offered")
    make_application("probation", "X100003", status="withdrawn")
    body = page(client, reverse("web:cas2-queue"))
    assert "New (1)" in body and "In progress (1)" in body and "Placed (0)" in body and "Closed (1)" in body
    assert late.person_name in body and "Overdue" in body
    assert "Bail hearing:" in body
    assert reverse("web:cas2-assessment", args=[late.pk]) in body
    body = page(client, reverse("web:cas2-queue"), tab="in-progress", status="place_offered")
    assert "Place offered" in body and late.person_name not in body
    body = page(client, reverse("web:cas2-queue"), tab="new", route="hdc")
    assert "There are no new applications." in body


def test_the_queue_searches_and_hides_people_the_user_may_not_see(client, assessor):
    make_application("court_bail", "X100008")
    make_application("court_bail", "X100001")
    people_access.refresh(everyone=True)
    hidden = registry.get_case_system().find_by_crn("X100008")
    body = page(client, reverse("web:cas2-queue"))
    assert "Limited access" in body and hidden.name not in body
    body = page(client, reverse("web:cas2-queue"), q=hidden.name.split()[-1])
    assert "Limited access" not in body
    body = page(client, reverse("web:cas2-queue"), q="X100008")
    assert "Limited access" in body and hidden.noms_number not in body


def test_the_queue_runs_the_same_queries_for_more_applications(client, assessor):
    def add(n):
        for i in range(n):
            make_application(("court_bail", "hdc", "probation")[i % 3], "X100001")

    assert_constant_queries(lambda: client.get(reverse("web:cas2-queue")), add, what="CAS2 queue")


def test_the_application_page_for_the_assessor(client, assessor):
    application = make_application("hdc", "X100002", provider_reference="NAC-9")
    body = page(client, reverse("web:cas2-assessment", args=[application.pk]))
    assert application.person_name in body and application.crn in body and application.noms_number in body
    assert "Home Detention Curfew" in body and "Hewell" in body and "HDC eligibility date" in body
    assert "Received" in body and "Decision due by" in body and "NAC-9" in body
    assert "How will they pay for their accommodation?" in body  # the frozen answers
    assert "Risk of serious harm" in body and "Medium" in body
    assert "Application sent" in body or "Referral sent" in body  # the timeline's first entry
    assert reverse("web:cas2-assessment-status", args=[application.pk]) in body
    assert reverse("web:cas2-assessment-print", args=[application.pk]) in body


def test_reporters_read_the_application_without_any_action(client):
    application = make_application()
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    body = page(client, reverse("web:cas2-assessment", args=[application.pk]))
    assert "You can read this application but not change it." in body
    assert reverse("web:cas2-assessment-status", args=[application.pk]) not in body
    assert client.get(reverse("web:cas2-assessment-status", args=[application.pk])).status_code == 403
    notes = reverse("web:cas2-assessment-notes", args=[application.pk])
    assert "Add note" not in page(client, notes)
    assert client.post(notes, {"text": "Hello"}).status_code == 403


@pytest.mark.parametrize("role", [Role.CAS3_ASSESSOR, Role.CAS2_COURT_REFERRER])
def test_others_are_refused_the_queue_and_the_application(client, role):
    application = make_application()
    client.force_login(make_user(role))
    assert client.get(reverse("web:cas2-queue")).status_code == 403
    assert client.get(reverse("web:cas2-assessment", args=[application.pk])).status_code in (403, 404)


def test_a_status_without_details_is_updated_from_the_first_page(client, assessor):
    application = make_application("court_bail", "X100001")
    url = reverse("web:cas2-assessment-status", args=[application.pk])
    body = page(client, url)
    assert "What is the latest status?" in body
    for label in ("More information requested", "Awaiting decision", "On waiting list", "Referral cancelled"):
        assert label in body
    assert "Place offered" not in body  # not reachable from received
    response = client.post(url, {"status": "awaiting_decision", "version": application.version})
    assert response.status_code == 302 and response["Location"] == reverse("web:cas2-assessment", args=[application.pk])
    application.refresh_from_db()
    assert application.status == "awaiting_decision"
    assert OutboundEmail.objects.filter(template_key="cas2_status_updated").count() == 1
    assert DomainEvent.objects.filter(event_type="applications.cas2.application.status-updated").count() == 1
    assert "Status updated to awaiting decision" in page(client, response["Location"])
    # Nothing chosen: an error, nothing changed.
    response = client.post(url, {"version": application.version})
    assert response.status_code == 400 and "Select the latest status" in response.content.decode()


def test_a_status_with_details_asks_for_them_on_a_second_page(client, assessor):
    application = make_application("court_bail", "X100001")
    url = reverse("web:cas2-assessment-status", args=[application.pk])
    response = client.post(url, {"status": "more_info_requested", "version": application.version})
    details_url = reverse("web:cas2-assessment-status-details", args=[application.pk, "more_info_requested"])
    assert response.status_code == 302 and response["Location"].startswith(details_url)
    body = page(client, response["Location"])
    assert "Which sections need more information?" in body and "Funding and ID" in body
    assert "HDC licence" not in body  # an HDC-only section, not offered for court bail
    response = client.post(details_url, {"version": application.version, "text": "Tell us more"})
    assert response.status_code == 400 and "Select at least one" in response.content.decode()
    response = client.post(
        details_url, {"version": application.version, "details": ["funding_and_id"], "text": "Which benefits?"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "more_info_requested"
    assert application.reopened_tasks == ["funding-information"]
    body = page(client, reverse("web:cas2-assessment", args=[application.pk]))
    assert "Details: Funding and ID. Which benefits?" in body
    assert "Reopened for the referrer:" in body


def test_a_status_that_cannot_be_reached_is_not_offered_and_is_refused(client, assessor):
    application = make_application("court_bail", "X100001")
    details_url = reverse("web:cas2-assessment-status-details", args=[application.pk, "offer_declined"])
    assert client.get(details_url).status_code == 404
    response = client.post(reverse("web:cas2-assessment-status", args=[application.pk]), {"status": "place_offered"})
    assert response.status_code == 400
    closed = make_application("court_bail", "X100002", status="cancelled")
    assert "The status cannot change" in page(client, reverse("web:cas2-assessment-status", args=[closed.pk]))


def test_a_stale_status_update_is_refused_with_the_current_status(client, assessor):
    application = make_application("court_bail", "X100001")
    stale = application.version
    client.post(
        reverse("web:cas2-assessment-status", args=[application.pk]), {"status": "awaiting_decision", "version": stale}
    )
    response = client.post(
        reverse("web:cas2-assessment-status", args=[application.pk]), {"status": "on_waiting_list", "version": stale}
    )
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "awaiting_decision"


def test_assessment_details_are_saved_and_a_stale_form_shows_the_newer_values(client, assessor):
    application = make_application()
    url = reverse("web:cas2-assessment-details", args=[application.pk])
    assert "Your reference" in page(client, url)
    response = client.post(
        url, {"assessor_name": "Ada Nacro", "provider_reference": "NAC-1", "version": application.version}
    )
    assert response.status_code == 302
    response = client.post(url, {"assessor_name": "Bob", "provider_reference": "NAC-2", "version": application.version})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Someone else changed this" in body and 'value="NAC-1"' in body
    application.refresh_from_db()
    assert (application.assessor_name, application.provider_reference) == ("Ada Nacro", "NAC-1")


def test_notes_to_the_referrer(client, assessor):
    referrer = make_referrer("court_bail", email="clerk@justice.gov.uk")
    application = make_application(created_by=referrer)
    url = reverse("web:cas2-assessment-notes", args=[application.pk])
    response = client.post(url, {"text": ""})
    assert response.status_code == 400 and "Enter a note" in response.content.decode()
    response = client.post(url, {"text": "Is the address confirmed?"})
    assert response.status_code == 302
    body = page(client, url)
    assert "Note added and emailed to clerk@justice.gov.uk" in body and "Is the address confirmed?" in body
    assert [e.text for e in timeline.entries(application, for_referrer=True) if e.text] == ["Is the address confirmed?"]


def test_the_print_version_has_everything_and_no_navigation(client, assessor):
    application = make_application("hdc", "X100002")
    body = page(client, reverse("web:cas2-assessment-print", args=[application.pk]))
    assert application.person_name in body and "How will they pay for their accommodation?" in body
    assert "Timeline" in body and "Printed" in body
    assert "govuk-service-navigation" not in body and "Update the status" not in body


def test_the_application_page_runs_the_same_queries_for_a_longer_timeline(client, assessor):
    application = make_application("hdc", "X100002")

    def add(n):
        for i in range(n):
            assessment.add_assessor_note(assessor, application.pk, f"Note {i}")

    for name in ("web:cas2-assessment", "web:cas2-assessment-print", "web:cas2-assessment-notes"):
        url = reverse(name, args=[application.pk])
        assert_constant_queries(lambda url=url: client.get(url), add, what=name)
