"""The provider's writes on a CAS2 application: every status pair through `update_status` (the table
taken from the workflow declaration), details, the reopened tasks, emails, events, assessment
details with optimistic concurrency, notes and who may do any of it."""

import itertools

import pytest

from cas.core.concurrency import StaleEdit
from cas.core.errors import DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.reference.models import Prison
from cas.referrals import timeline
from cas.referrals.cas2 import access, assessment, sections
from cas.referrals.cas2.definition import DEFINITION
from cas.referrals.cas2.workflow import WORKFLOW, Action, Status, detail_choices
from cas.referrals.models import TimelineEntry
from tests.cas2_assessment_factories import make_application, make_referrer
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SUBMITTED = [s.code for s in WORKFLOW.statuses if s.code != Status.DRAFT]


@pytest.fixture
def assessor():
    return make_user(Role.CAS2_ASSESSOR, first_name="Ada", last_name="Nacro")


def details_for(action, route="hdc"):
    choices = detail_choices(action, route)
    return [choices[0][0]] if action in WORKFLOW.details_required else []


@pytest.mark.parametrize(("before", "after"), list(itertools.permutations(SUBMITTED, 2)))
def test_every_status_pair_is_allowed_through_update_status_or_refused_naming_both(assessor, before, after):
    application = make_application("hdc", status=before)
    action = WORKFLOW.action_to(before, after)
    if action is None or action == Action.SEND_INFORMATION:
        with pytest.raises(DomainError) as refused:
            assessment.update_status(assessor, application.pk, status=after, details=details_for(action or ""))
        assert refused.value.code == "transition_not_allowed"
        assert refused.value.message == (
            f"You cannot move an application from {WORKFLOW.label(before)} to {WORKFLOW.label(after)}"
        )
        application.refresh_from_db()
        assert application.status == before
        return
    updated = assessment.update_status(assessor, application.pk, status=after, details=details_for(action))
    assert updated.status == after
    entry = timeline.entries(updated)[0]
    assert (entry.action, entry.from_status, entry.to_status) == (action, before, after)


def test_the_provider_is_offered_the_statuses_it_can_reach_now(assessor):
    application = make_application("court_bail", status="awaiting_decision")
    offered = [code for code, _, _ in assessment.status_options(application)]
    assert offered == [
        "more_info_requested",
        "on_waiting_list",
        "place_offered",
        "could_not_be_placed",
        "withdrawn",
        "cancelled",
    ]
    received = make_application("court_bail", "X100002", status="more_info_requested")
    # Sending the information back is the referrer's.
    assert "received" not in [code for code, _, _ in assessment.status_options(received)]


def test_an_unknown_status_is_refused(assessor):
    application = make_application()
    with pytest.raises(DomainError, match="You cannot move an application from Received to nowhere"):
        assessment.update_status(assessor, application.pk, status="nowhere")


def test_details_are_required_where_the_workflow_says_and_come_from_the_route_list(assessor):
    application = make_application("court_bail", status="place_offered")
    with pytest.raises(DomainError, match="Select at least one of the reasons") as missing:
        assessment.update_status(assessor, application.pk, status="offer_declined")
    assert missing.value.field == "details"
    # An HDC-only reason is not offered for court bail.
    with pytest.raises(DomainError, match="Select details from the list"):
        assessment.update_status(
            assessor, application.pk, status="offer_declined", details=["rehoused_by_another_landlord"]
        )
    with pytest.raises(DomainError, match="Select at least one of the sections"):
        assessment.update_status(assessor, make_application("court_bail", "X100002").pk, status="more_info_requested")
    updated = assessment.update_status(
        assessor,
        application.pk,
        status="offer_declined",
        details=["no_response", "area_unsuitable"],
        text="No answer by phone or letter.",
    )
    entry = timeline.entries(updated)[0]
    # In the list's order, whatever order they came in.
    assert entry.details["status_details"] == ["area_unsuitable", "no_response"]
    assert entry.details["labels"] == ["Area unsuitable", "No response"]
    title, words = timeline.describe(entry)
    assert title == "Offer declined or withdrawn"
    assert (
        words
        == "Details: Area unsuitable, No response. No answer by phone or letter. Status: Offer declined or withdrawn."
    )
    assert updated.closed_at is not None


def test_each_update_emails_the_referrer_and_publishes_the_event(assessor):
    referrer = make_referrer("court_bail", email="court.clerk@justice.gov.uk")
    application = make_application("court_bail", created_by=referrer)
    assessment.update_status(assessor, application.pk, status="awaiting_decision")
    assessment.update_status(assessor, application.pk, status="place_offered", text="Room in Leeds")
    emails = list(OutboundEmail.objects.filter(template_key="cas2_status_updated").order_by("created_at"))
    assert [e.to_address for e in emails] == ["court.clerk@justice.gov.uk"] * 2
    assert "New status: Place offered." in emails[1].body and "Room in Leeds" in emails[1].body
    assert "tell the provider whether they accept it" in emails[1].body
    events = list(DomainEvent.objects.filter(event_type="applications.cas2.application.status-updated"))
    assert len(events) == 2
    detail = events[-1].detail
    assert detail["applicationId"] == str(application.pk)
    assert detail["newStatus"] == {"code": "place_offered", "label": "Place offered", "details": []}
    assert detail["route"] == "court_bail" and detail["cohort"]["code"] == "court_bail"
    assert detail["personReference"]["crn"] == application.crn
    assert detail["updatedBy"]["username"] == assessor.username
    assert detail["applicationUrl"].endswith(f"/cas2/assessments/{application.pk}")
    entry = timeline.entries(application)[0]
    assert entry.emailed_to == "court.clerk@justice.gov.uk"


def test_hdc_updates_go_to_the_offender_manager_now_then_the_prison_then_the_creator(assessor):
    creator = make_referrer("hdc", email="pom@justice.gov.uk")
    manager = make_referrer("hdc", email="new.pom@justice.gov.uk")
    application = make_application("hdc", created_by=creator, offender_manager=manager)
    assert assessment.referrer_contact(application)[0] == "new.pom@justice.gov.uk"
    application.offender_manager = None
    application.current_prison = Prison.objects.get(code="BMI")
    application.save()
    assert assessment.referrer_contact(application)[0] == "omu.birmingham@justice.gov.uk"
    application.current_prison = None
    application.save()
    assert assessment.referrer_contact(application)[0] == "pom@justice.gov.uk"
    bail = make_application("prison_bail", "X100002")
    assert assessment.referrer_contact(bail)[0] == bail.created_by.email


@pytest.mark.parametrize(
    ("route", "sections_chosen", "reopened"),
    [
        (
            "court_bail",
            ["applicant_details", "funding_and_id"],
            ["solicitor-details", "personal-information", "address-history", "funding-information"],
        ),
        (
            "hdc",
            ["applicant_details", "hdc_and_cpp"],
            ["hdc-licence-dates", "referrer-details", "personal-information", "address-history"],
        ),
        ("probation", ["current_alleged_offences", "other"], ["current-offences"]),
        ("prison_bail", ["current_alleged_offences"], ["alleged-offences"]),
    ],
)
def test_more_information_requested_reopens_the_tasks_of_the_sections_that_apply(
    assessor, route, sections_chosen, reopened
):
    application = make_application(route)
    # The HDC-only sections are offered for HDC only.
    codes = [code for code, _ in detail_choices(Action.REQUEST_INFORMATION, route)]
    chosen = [code for code in sections_chosen if code in codes]
    updated = assessment.update_status(assessor, application.pk, status="more_info_requested", details=chosen)
    order = [task.slug for task in DEFINITION.tasks()]
    assert updated.reopened_tasks == sorted(reopened, key=order.index)
    updated.refresh_from_db()
    assert updated.reopened_tasks == sorted(reopened, key=order.index)
    email = OutboundEmail.objects.get(template_key="cas2_status_updated")
    assert "Answer the sections named above" in email.body


def test_every_section_is_mapped_to_tasks_of_the_registered_form():
    slugs = {task.slug for task in DEFINITION.tasks()}
    offered = {code for code, _ in WORKFLOW.action_details[Action.REQUEST_INFORMATION]}
    assert set(sections.SECTION_TASKS) == offered
    for code, tasks in sections.SECTION_TASKS.items():
        assert set(tasks) <= slugs, code
        assert code == "other" or tasks, code
    # A task that does not apply to the route is never reopened.
    assert sections.tasks_for(["hdc_and_cpp"], "court_bail") == ["referrer-details"]
    assert sections.tasks_for(["applicant_details"], "hdc") == ["personal-information", "address-history"]


def test_assessment_details_are_saved_and_a_stale_version_is_refused(assessor):
    application = make_application()
    updated = assessment.record_assessment_details(
        assessor, application.pk, assessor_name="Ada Nacro", provider_reference="NAC-123", version=application.version
    )
    assert (updated.assessor_name, updated.provider_reference) == ("Ada Nacro", "NAC-123")
    assert updated.version == application.version + 1
    with pytest.raises(StaleEdit):
        assessment.record_assessment_details(
            assessor, application.pk, assessor_name="Someone", provider_reference="X", version=application.version
        )
    updated.refresh_from_db()
    assert updated.assessor_name == "Ada Nacro"
    assert AuditEvent.objects.filter(action="referral.assessment_details_changed").count() == 1
    with pytest.raises(DomainError, match="50 characters or fewer"):
        assessment.record_assessment_details(
            assessor, application.pk, assessor_name="A", provider_reference="R" * 51, version=None
        )


def test_a_stale_status_update_is_refused(assessor):
    application = make_application()
    assessment.update_status(assessor, application.pk, status="awaiting_decision", version=application.version)
    with pytest.raises(StaleEdit):
        assessment.update_status(assessor, application.pk, status="on_waiting_list", version=application.version)


def test_notes_to_the_referrer_are_on_their_timeline_and_emailed(assessor):
    referrer = make_referrer("probation", email="pp@justice.gov.uk")
    application = make_application("probation", created_by=referrer)
    entry = assessment.add_assessor_note(assessor, application.pk, "  Can you confirm the address?  ")
    assert entry.kind == TimelineEntry.Kind.NOTE and entry.visible_to_referrer
    assert entry.text == "Can you confirm the address?"
    assert entry.emailed_to == "pp@justice.gov.uk"
    email = OutboundEmail.objects.get(template_key="cas2_note_to_referrer")
    assert "Can you confirm the address?" in email.body and "Ada Nacro" in email.body
    assert entry in timeline.entries(application, for_referrer=True)
    with pytest.raises(DomainError, match="Enter a note"):
        assessment.add_assessor_note(assessor, application.pk, "   ")


@pytest.mark.parametrize("role", [Role.REPORTER, Role.CAS3_ASSESSOR, Role.CAS2_COURT_REFERRER])
def test_only_the_providers_assessors_change_an_application(role):
    application = make_application()
    user = make_user(role, region_code="NA" if role == Role.REPORTER else "N51")
    for attempt in (
        lambda: assessment.update_status(user, application.pk, status="awaiting_decision"),
        lambda: assessment.add_assessor_note(user, application.pk, "Hello"),
        lambda: assessment.record_assessment_details(
            user, application.pk, assessor_name="A", provider_reference="B", version=None
        ),
    ):
        with pytest.raises(access.ApplicationNotFound):
            attempt()
    application.refresh_from_db()
    assert application.status == "received" and not application.assessor_name
    assert AuditEvent.objects.filter(action="referral.refused").count() == 3


def test_the_referrers_own_application_is_refused_to_them_as_an_assessor():
    referrer = make_referrer("court_bail")
    application = make_application("court_bail", created_by=referrer)
    with pytest.raises(access.ApplicationNotFound):
        assessment.update_status(referrer, application.pk, status="awaiting_decision")
