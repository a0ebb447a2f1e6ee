"""The referrer's side of CAS2: starting an application by route (the user's routes, a closed route,
the person found by CRN or prison number, HDC only in the user's own prison, unknown, restricted and
unavailable people), submitting by every route (receipt, provider notice, event, typed columns,
idempotent), abandoning a draft, sending back the information the provider asked for, and notes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cas.core import clock
from cas.core.errors import Conflict, DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.people import services as people
from cas.people.ports import UpstreamUnavailable
from cas.people.synthetic.demo_people import CASE_SYSTEM_TIMEOUT_CRN
from cas.referrals import lifecycle, services, timeline
from cas.referrals.cas2 import access, applications
from cas.referrals.cas2.workflow import Action, Status
from cas.referrals.models import Referral, ReferralRoute, TimelineEntry
from tests.cas2_factories import (
    CARDIFF_NOMS,
    HEWELL_CRN,
    HEWELL_NOMS,
    IDENTIFIER_OF_ROUTE,
    cas2_user,
    fill_in,
    start,
    submitted,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db
ROUTES = ["court_bail", "prison_bail", "hdc", "probation"]
RESTRICTED_CRN = "X100008"


def _close(code: str, *, message: str = "") -> ReferralRoute:
    route = ReferralRoute.objects.get(service="cas2", code=code)
    route.closes_on = clock.today() - dt.timedelta(days=3)
    route.closed_message = message
    route.save()
    return route


def _request_information(referral, tasks):
    assessor = make_user(Role.CAS2_ASSESSOR, region_code="NA")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    lifecycle.transition(assessor, locked, Action.REQUEST_INFORMATION, details={"sections": ["other"]})
    locked.reopened_tasks = list(tasks)
    locked.save(update_fields=["reopened_tasks"])
    referral.refresh_from_db()
    return referral


# Routes ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES)
def test_each_role_has_its_own_route(route):
    user = cas2_user(route)
    assert [c.route.code for c in applications.routes_for(user)] == [route]


def test_other_tiers_have_no_cas2_routes():
    with pytest.raises(PermissionDenied, match="Outside your tier"):
        applications.routes_for(make_user(Role.CAS3_REFERRER))


def test_a_closed_route_refuses_with_its_message_and_keeps_its_applications_readable():
    user, referral = submitted("hdc")
    _close("hdc", message="Online HDC applications stopped on 27 August 2026. Email the provider instead.")
    choice = applications.routes_for(user)[0]
    assert not choice.is_open and choice.closed_reason.startswith("Online HDC applications stopped")
    with pytest.raises(DomainError, match="Online HDC applications stopped") as exc:
        applications.start_application(user, "hdc", HEWELL_NOMS)
    assert exc.value.code == "route_closed"
    found, how = access.open_application(user, referral.pk, purpose="test")
    assert found == referral and how == access.Reach.REFERRER


def test_a_closed_route_without_a_message_says_when_it_closed():
    user = cas2_user("court_bail")
    route = _close("court_bail")
    with pytest.raises(DomainError) as exc:
        applications.start_application(user, "court_bail", HEWELL_CRN)
    assert "Court bail applications closed on" in exc.value.message
    assert route.closes_on.year == clock.today().year or route.closes_on.year == clock.today().year - 1


def test_a_route_of_another_role_is_refused():
    with pytest.raises(DomainError, match="Choose how you are applying"):
        applications.start_application(cas2_user("court_bail"), "hdc", HEWELL_NOMS)


# Starting ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES)
def test_starting_records_the_route_cohort_prison_and_the_persons_region(route):
    user, referral = start(route)
    assert referral.service == "cas2" and referral.is_draft and referral.route.code == route
    cohorts = list(referral.route.cohorts.all())
    assert referral.cohort == (cohorts[0] if len(cohorts) == 1 else None)
    assert referral.referring_prison_id == (user.prison_id if route != "court_bail" and route != "probation" else None)
    person = people.view_person(user, referral.crn, purpose="test").person
    assert referral.region.delius_code == person.manager.region_code
    assert referral.origin_region == user.region
    assert AuditEvent.objects.filter(action="referral.created", crn=referral.crn).exists()


def test_prison_routes_find_the_person_by_prison_number():
    user, referral = start("prison_bail")
    assert referral.noms_number == CARDIFF_NOMS and referral.referring_prison.code == "CFI"


def test_hdc_only_for_someone_in_the_users_own_prison():
    birmingham = cas2_user("hdc", prison="BMI")
    with pytest.raises(applications.NotInYourPrison, match="They are in Hewell"):
        applications.start_application(birmingham, "hdc", HEWELL_NOMS)
    assert not Referral.objects.filter(created_by=birmingham).exists()


def test_hdc_staff_with_no_prison_are_told_to_ask_for_one():
    user = make_user(Role.CAS2_HDC_REFERRER, region_code="N52")
    with pytest.raises(DomainError, match="Your account has no prison"):
        applications.start_application(user, "hdc", HEWELL_NOMS)


def test_an_unknown_prison_number_and_a_badly_formed_one():
    user = cas2_user("hdc")
    with pytest.raises(applications.PrisonNumberUnknown, match="No person with prison number Z9999ZZ"):
        applications.start_application(user, "hdc", "z9999zz")
    with pytest.raises(DomainError, match="correct format"):
        applications.start_application(user, "hdc", "12345")


def test_an_unknown_crn():
    with pytest.raises(DomainError, match="Check the CRN") as exc:
        applications.start_application(cas2_user("court_bail"), "court_bail", "X000000")
    assert exc.value.code == "not_found"


def test_a_restricted_person_is_refused_and_the_refusal_audited():
    user = cas2_user("court_bail")
    with pytest.raises(people.PersonRestricted):
        applications.start_application(user, "court_bail", RESTRICTED_CRN)
    assert AuditEvent.objects.filter(action="person.refused", crn=RESTRICTED_CRN).exists()
    assert not Referral.objects.filter(crn=RESTRICTED_CRN).exists()


def test_a_failing_case_system_is_reported():
    with pytest.raises(UpstreamUnavailable):
        applications.start_application(cas2_user("court_bail"), "court_bail", CASE_SYSTEM_TIMEOUT_CRN)


def test_consent_comes_first():
    user, referral = start("court_bail")
    with pytest.raises(Conflict, match="Confirm consent|before you start"):
        services.save_page(user, referral.pk, "area-information", "preferred-areas", {"area_1": "Leeds"})


# Submitting -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES)
def test_submitting_by_each_route(route):
    user, referral = submitted(route)
    assert referral.status == Status.RECEIVED and referral.submitted_at is not None
    assert referral.document and referral.preferred_area_1 == "Leeds" and referral.funding_source
    assert referral.cohort is not None
    emails = {e.template_key: e for e in OutboundEmail.objects.filter(reference=f"referral:{referral.pk}")}
    assert emails["cas2_application_submitted"].to_address == user.email
    assert emails["cas2_application_to_assess"].to_address == referral.route.assessor_email
    assert referral.reference in emails["cas2_application_to_assess"].body
    event = DomainEvent.objects.get(event_type="applications.cas2.application.submitted", crn=referral.crn)
    assert event.detail["route"] == route
    if route in ("prison_bail", "hdc"):
        assert referral.current_prison == referral.referring_prison
        assert referral.prison_assignments.count() == 1
    if route == "hdc":
        assert referral.hdc_eligibility_date and referral.offender_manager == user
    if route in ("court_bail", "prison_bail"):
        assert referral.bail_hearing_date and referral.bail_hearing_court == "Leeds Crown Court"


def test_submitting_twice_makes_one_application_and_one_set_of_emails():
    user, referral = submitted("court_bail")
    emails = OutboundEmail.objects.count()
    again = services.submit_referral(user, referral.pk, declaration=True)
    assert not again.newly_submitted and OutboundEmail.objects.count() == emails
    assert DomainEvent.objects.filter(event_type="applications.cas2.application.submitted").count() == 1


def test_the_timeline_names_the_referrer_and_the_provider():
    _, referral = submitted("court_bail")
    entry = TimelineEntry.objects.get(referral=referral, kind=TimelineEntry.Kind.SUBMITTED)
    entry.referral = referral
    assert timeline.describe(entry) == ("Referral sent", "The referrer sent the referral to the provider.")


# Abandoning -------------------------------------------------------------------------------------------------


def test_abandoning_removes_the_answers_and_keeps_the_fact():
    user, referral = start("court_bail")
    fill_in(user, referral, only={"confirm-consent", "area-information"})
    assert referral.answers
    applications.abandon(user, referral.pk)
    kept = Referral.objects.get(pk=referral.pk)
    assert kept.deleted_at is not None and kept.answers == {} and kept.risk_snapshot is None
    assert kept.crn == referral.crn and kept.created_by == user
    assert AuditEvent.objects.filter(action="referral.abandoned", subject_id=str(referral.pk)).exists()
    assert not applications.own_applications(user, applications.IN_PROGRESS).exists()
    with pytest.raises(access.ApplicationNotFound):
        applications.abandon(user, referral.pk)


def test_a_sent_application_cannot_be_abandoned_nor_someone_elses():
    user, referral = submitted("court_bail")
    with pytest.raises(Conflict, match="cannot be abandoned"):
        applications.abandon(user, referral.pk)
    other_user, draft = start("court_bail")
    with pytest.raises(access.ApplicationNotFound):
        applications.abandon(user, draft.pk)
    assert AuditEvent.objects.filter(action="referral.refused", crn=draft.crn).exists()


# More information requested --------------------------------------------------------------------------------


def test_only_the_reopened_sections_can_be_changed_and_then_sent_back():
    user, referral = submitted("court_bail")
    with pytest.raises(Conflict, match="submitted"):
        services.save_page(user, referral.pk, "area-information", "preferred-areas", {"area_1": "York"})
    _request_information(referral, ["area-information"])
    with pytest.raises(Conflict, match="only the sections you were asked about"):
        services.save_page(user, referral.pk, "health-needs", "mental-health", {"answer": "yes", "detail": "x"})
    services.save_page(
        user,
        referral.pk,
        "area-information",
        "preferred-areas",
        {"area_1": "York", "area_1_reason": "Sister", "area_2": "Bradford", "area_2_reason": "Work"},
    )
    sent_before = OutboundEmail.objects.count()
    applications.send_information(user, referral.pk)
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED and referral.reopened_tasks == []
    assert referral.preferred_area_1 == "York"
    assert "York" in str(referral.document)
    email = OutboundEmail.objects.order_by("-created_at").first()
    assert OutboundEmail.objects.count() == sent_before + 1
    assert email.template_key == "cas2_information_sent" and email.to_address == referral.route.assessor_email
    kinds = list(TimelineEntry.objects.filter(referral=referral).values_list("kind", "action"))
    assert (TimelineEntry.Kind.INFORMATION, "") in kinds and (TimelineEntry.Kind.STATUS, "send_information") in kinds
    # Closed again.
    with pytest.raises(Conflict):
        services.save_page(user, referral.pk, "area-information", "women-only", {"answer": "yes"})
    with pytest.raises(lifecycle.TransitionNotAllowed):
        applications.send_information(user, referral.pk)


def test_information_can_be_sent_with_no_section_reopened():
    user, referral = submitted("court_bail")
    _request_information(referral, [])
    applications.send_information(user, referral.pk)
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    assert TimelineEntry.objects.get(referral=referral, kind=TimelineEntry.Kind.INFORMATION).text == (
        "No section was reopened."
    )


def test_information_cannot_be_sent_while_a_reopened_section_is_unfinished():
    user, referral = submitted("court_bail")
    _request_information(referral, ["area-information"])
    answers = dict(referral.answers)
    answers["area-information"] = {k: v for k, v in answers["area-information"].items() if k != "women-only"}
    Referral.objects.filter(pk=referral.pk).update(answers=answers)
    with pytest.raises(applications.InformationIncomplete, match="Preferred areas and exclusion zones: not finished"):
        applications.send_information(user, referral.pk)
    assert Referral.objects.get(pk=referral.pk).status == Status.MORE_INFO_REQUESTED


def test_only_the_referrer_sends_the_information():
    user, referral = submitted("prison_bail")
    _request_information(referral, ["area-information"])
    colleague = cas2_user("prison_bail")
    with pytest.raises(access.ApplicationNotFound):
        applications.send_information(colleague, referral.pk)


# Notes ------------------------------------------------------------------------------------------------------


def test_a_referrers_note_goes_to_the_providers_inbox():
    user, referral = submitted("court_bail")
    entry = services.add_referrer_note(user, referral.pk, "The hearing moved to Friday.")
    assert entry.emailed_to == referral.route.assessor_email
    email = OutboundEmail.objects.get(template_key="cas2_note_from_referrer")
    assert "The hearing moved to Friday." in email.body


def test_prison_staff_of_the_persons_prison_may_add_notes_and_others_may_not():
    _, referral = submitted("prison_bail")
    colleague = cas2_user("prison_bail")
    services.add_referrer_note(colleague, referral.pk, "They have a new probation officer.")
    elsewhere = cas2_user("prison_bail", prison="HEI")
    with pytest.raises(services.ReferralNotFound):
        services.add_referrer_note(elsewhere, referral.pk, "Hello")
    court = cas2_user("court_bail")
    with pytest.raises(services.ReferralNotFound):
        services.add_referrer_note(court, referral.pk, "Hello")


# Lists ------------------------------------------------------------------------------------------------------


def test_own_and_prison_lists():
    user, sent = submitted("prison_bail")
    _, draft = start("prison_bail", user)
    assert list(applications.own_applications(user, applications.IN_PROGRESS)) == [draft]
    assert list(applications.own_applications(user, applications.SUBMITTED)) == [sent]
    colleague = cas2_user("prison_bail")
    assert list(applications.prison_applications(colleague)) == [sent]
    assert list(applications.prison_applications(colleague, CARDIFF_NOMS.lower())) == [sent]
    assert list(applications.prison_applications(colleague, sent.person_name.split()[0])) == [sent]
    assert list(applications.prison_applications(colleague, "nobody")) == []
    assert list(applications.prison_applications(cas2_user("prison_bail", prison="HEI"))) == []
    assert list(applications.prison_applications(cas2_user("court_bail"))) == []
    assert IDENTIFIER_OF_ROUTE["prison_bail"] == CARDIFF_NOMS
