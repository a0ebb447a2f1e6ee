"""The referral services: creating a draft from a CRN, saving pages, deleting, submitting, and
the rules around them (ownership, locks, gates, typed columns, the receipt, the audit)."""

import pytest

from cas.core import clock
from cas.core.errors import Conflict, DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.demo import referrals as demo
from cas.events.models import OutboundEmail
from cas.forms_engine import engine
from cas.people import services as people
from cas.people.ports import UpstreamUnavailable
from cas.referrals import services
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral
from tests.factories import make_user, pdu
from tests.referral_factories import complete, make_draft, make_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrer():
    return make_user(Role.CAS3_REFERRER, username="pp.one", pdu=pdu("N51LPLS"))


def save(user, referral, task, page, values):
    return services.save_page(user, referral.pk, task, page, values, from_json=True)


def test_create_draft_takes_snapshots_and_is_audited(referrer):
    referral = make_draft(referrer, "X100015")
    assert referral.status == ReferralStatus.DRAFT and referral.region.delius_code == "N51"
    assert referral.origin_region == referral.region and referral.origin_pdu.delius_code == "N51LPLS"
    assert referral.person_name == "Liam Ashcroft" and referral.noms_number == "A1015AR"
    assert (
        referral.risk_snapshot["rosh"]["overall"] and referral.rosh_level == referral.risk_snapshot["rosh"]["overall"]
    )
    assert referral.risk_snapshot["has_risk_to_self_concerns"] is True
    assert referral.prison_snapshot["acct_alerts"], "open ACCT alert imported"
    assert referral.risk_management_plan_imported_at is not None
    assert referral.form_key == "cas3-referral" and referral.form_version == 1
    assert AuditEvent.objects.filter(action="referral.created", crn="X100015").exists()
    assert AuditEvent.objects.filter(action="person.viewed", crn="X100015").exists()


def test_unknown_restricted_and_unavailable_people(referrer):
    with pytest.raises(people.PersonUnknown):
        services.create_draft(referrer, "X000000")
    with pytest.raises(people.PersonRestricted):
        services.create_draft(referrer, "X100008")
    assert AuditEvent.objects.filter(action="person.refused", crn="X100008").exists()
    with pytest.raises(UpstreamUnavailable):
        services.create_draft(referrer, "X999991")
    assert not Referral.objects.exists()


def test_restricted_person_allowed_for_the_permitted_user():
    user = make_user(Role.CAS3_REFERRER, username="demo.restricted-access")
    assert make_draft(user, "X100008").crn == "X100008"


def test_missing_prison_number_lets_the_referral_go_on_without_prison_data(referrer):
    referral = services.create_draft(referrer, "X100010")
    assert referral.prison_snapshot is None
    assert "no prison number" in referral.prison_problem
    rows = engine.page_rows(
        *services.open_draft(referrer, referral.pk).locate("prison-information", "adjudications"),
        services.open_draft(referrer, referral.pk).answers,
        services.open_draft(referrer, referral.pk).ctx,
    )
    assert rows[0].answer == referral.prison_problem


def test_failing_risk_and_prison_systems_are_recorded_not_fatal(referrer):
    referral = services.create_draft(referrer, "X999992")
    assert referral.risk_snapshot is None and "not responding" in referral.risk_problem
    referral = services.create_draft(referrer, "X999993")
    assert referral.prison_snapshot is None and "prison system is not responding" in referral.prison_problem


def test_several_offences_need_a_choice(referrer):
    with pytest.raises(DomainError) as exc:
        services.create_draft(referrer, "X100014")
    assert exc.value.field == "offence_id"
    with pytest.raises(DomainError):
        services.create_draft(referrer, "X100014", offence_id="nonsense")
    person = services.find_person(referrer, "X100014").person
    chosen = person.offences[2]
    assert services.create_draft(referrer, "X100014", offence_id=chosen.offence_id).offence_id == chosen.offence_id


def test_only_referrers_and_only_their_own_referrals(referrer):
    referral = make_draft(referrer)
    other = make_user(Role.CAS3_REFERRER, username="pp.other")
    with pytest.raises(services.ReferralNotFound):
        services.open_draft(other, referral.pk)
    with pytest.raises(services.ReferralNotFound):
        save(other, referral, "placement-location", "alternative-region", {"same_region": "yes"})
    with pytest.raises(services.ReferralNotFound):
        services.submit_referral(other, referral.pk, declaration=True)
    with pytest.raises(services.ReferralNotFound):
        services.delete_draft(other, referral.pk)
    assert AuditEvent.objects.filter(action="referral.refused", actor=other).count() == 4
    assessor = make_user(Role.CAS3_ASSESSOR)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.get_referral(assessor, referral.pk)
    with pytest.raises(services.ReferralNotFound):
        services.get_referral(referrer, "not-a-uuid")


def test_pages_save_audited_and_tasks_open_in_any_order(referrer):
    referral = make_draft(referrer)
    # No task's questions depend on another's answers: a later task is answered first.
    saved = save(referrer, referral, "consent", "consent-given", {"consent": "yes"})
    statuses = saved.draft.statuses()
    assert statuses["consent"] == engine.TaskStatus.COMPLETED
    assert [slug for slug, s in statuses.items() if s == engine.TaskStatus.CANNOT_START] == ["check-your-answers"]
    # Check your answers waits for every other task.
    with pytest.raises(Conflict) as exc:
        save(referrer, referral, "check-your-answers", "review", {})
    assert "Complete ‘Placement location’" in exc.value.message
    saved = save(referrer, referral, "offence-and-behaviour", "history-of-sexual-offence", {"answer": "no"})
    assert saved.next_page.slug == "concerning-sexual-behaviour"
    event = AuditEvent.objects.filter(action="referral.page_saved").order_by("-id").first()
    assert event.detail == "offence-and-behaviour/history-of-sexual-offence"
    assert event.before == {"answer": None} and event.after["answer"] == {"answer": "no"}
    # A page off the route cannot be saved.
    with pytest.raises(Conflict) as exc:
        save(referrer, referral, "offence-and-behaviour", "registered-sex-offender", {"answer": "yes"})
    assert exc.value.code == "not_applicable"
    with pytest.raises(services.PageNotFound):
        save(referrer, referral, "offence-and-behaviour", "no-such-page", {})


def test_invalid_answers_raise_with_field_errors(referrer):
    referral = make_draft(referrer)
    with pytest.raises(services.PageInvalid) as exc:
        save(referrer, referral, "offence-and-behaviour", "history-of-sexual-offence", {})
    assert exc.value.errors == {"answer": ["Select yes if Daniel Hughes has been convicted of a sexual offence"]}
    referral.refresh_from_db()
    assert referral.answers == {}


def test_changing_an_answer_prunes_the_branch(referrer):
    referral = make_draft(referrer)
    ob = "offence-and-behaviour"
    save(referrer, referral, ob, "history-of-sexual-offence", {"answer": "yes"})
    save(referrer, referral, ob, "registered-sex-offender", {"answer": "yes"})
    save(referrer, referral, ob, "history-of-arson-offence", {"answer": "yes"})
    save(referrer, referral, ob, "history-of-sexual-offence", {"answer": "no"})
    referral.refresh_from_db()
    # The new branch's question is next; the old branch's answer waits until the route is complete.
    assert "registered-sex-offender" in referral.answers[ob]
    saved = save(referrer, referral, ob, "concerning-sexual-behaviour", {"answer": "no"})
    referral.refresh_from_db()
    assert "registered-sex-offender" not in referral.answers[ob]
    assert saved.draft.statuses()[ob] == engine.TaskStatus.COMPLETED
    assert AuditEvent.objects.filter(action="referral.page_saved").last().after["removed"] == []
    last = AuditEvent.objects.filter(action="referral.page_saved").order_by("-id").first()
    assert last.after["removed"] == [f"{ob}/registered-sex-offender"]


def test_detail_behind_yes_is_dropped_when_the_answer_changes(referrer):
    referral = make_draft(referrer)
    ob = "offence-and-behaviour"
    save(referrer, referral, ob, "history-of-sexual-offence", {"answer": "no"})
    save(referrer, referral, ob, "concerning-sexual-behaviour", {"answer": "yes", "detail": "Concerns"})
    save(referrer, referral, ob, "concerning-sexual-behaviour", {"answer": "no", "detail": "Concerns"})
    referral.refresh_from_db()
    assert referral.answers[ob]["concerning-sexual-behaviour"] == {"answer": "no"}


def test_practitioner_details_prefilled_from_the_user_and_changed_on_sub_pages(referrer):
    referral = complete(referrer, make_draft(referrer))
    details = referral.answers["contact-details"]["probation-practitioner"]
    assert details["name"] == referrer.get_full_name() and details["email"] == referrer.email
    assert details["pdu"] == "N51LPLS"
    save(referrer, referral, "contact-details", "practitioner-email", {"email": "new.name@justice.gov.uk"})
    referral.refresh_from_db()
    assert referral.answers["contact-details"]["probation-practitioner"]["email"] == "new.name@justice.gov.uk"
    with pytest.raises(services.PageInvalid) as exc:
        save(referrer, referral, "contact-details", "practitioner-email", {"email": "me@example.com"})
    assert "ending in .gov.uk" in exc.value.errors["email"][0]


def test_user_without_gov_uk_email_must_change_it_before_confirming():
    user = make_user(Role.CAS3_REFERRER, username="pp.gmail", email="someone@example.com", pdu=pdu("N51LPLS"))
    referral = make_draft(user)
    for task, page, values in demo.complete_answers(today=clock.today()):
        if (task, page) == ("contact-details", "probation-practitioner"):
            break
        save(user, referral, task, page, values)
    with pytest.raises(services.PageInvalid) as exc:
        services.save_page(user, referral.pk, "contact-details", "probation-practitioner", None)
    assert exc.value.errors == {"email": ["Enter your email address ending in .gov.uk, like name@justice.gov.uk"]}


def test_submit_refuses_incomplete_referrals_listing_what_is_missing(referrer):
    referral = make_draft(referrer)
    with pytest.raises(services.SubmissionIncomplete) as exc:
        services.submit_referral(referrer, referral.pk, declaration=True)
    messages = [p.message for p in exc.value.problems]
    assert messages[0] == "Placement location: not started"
    assert "Check your answers: check and confirm your answers" in messages
    assert len(messages) == 17
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT and not OutboundEmail.objects.exists()


def test_submit_needs_the_declaration(referrer):
    referral = complete(referrer, make_draft(referrer))
    with pytest.raises(DomainError) as exc:
        services.submit_referral(referrer, referral.pk, declaration=False)
    assert exc.value.field == "declaration"


def test_submit_freezes_the_document_sets_typed_columns_and_sends_a_receipt(referrer):
    referral = make_submitted(referrer, "X100001")
    assert referral.status == ReferralStatus.UNALLOCATED and referral.submitted_at
    assert referral.region.delius_code == "N51" and referral.pdu.delius_code == "N51LPLS"
    assert not referral.is_out_of_region
    assert referral.prison_release_types == "CRD licence"
    assert referral.release_date and referral.accommodation_required_from == referral.release_date
    # Not asked (no sexual offence): the case system, read when the draft was made, holds no registration.
    assert referral.has_history_of_sexual_offence is False and referral.is_registered_sex_offender is False
    assert referral.has_concerning_sexual_behaviour is False and referral.has_history_of_arson is False
    assert referral.needs_accessible_property is False and referral.is_able_to_share is True
    assert referral.is_duty_to_refer_submitted is True and referral.duty_to_refer_local_authority.name == "Liverpool"
    assert referral.duty_to_refer_outcome == "not_received" and referral.is_eligible is True
    assert referral.eligibility_reason == "homeless_from_prison" and referral.consent_given is True
    assert referral.has_risk_to_self_concerns is False and referral.safety_plan == "no"
    titles = [s["title"] for s in referral.document["sections"]]
    assert titles == [
        "Accommodation need",
        "Placement risks and needs",
        "Health, disability, culture and safeguarding",
        "Required referrals",
    ]
    email = OutboundEmail.objects.get()
    assert email.to_address == referrer.email and email.template_key == "cas3_referral_submitted"
    assert "Daniel Hughes" in email.subject and referral.reference in email.body
    assert f"/referrals/{referral.pk}/sent" in email.body and email.reference == f"referral:{referral.pk}"
    assert AuditEvent.objects.filter(action="referral.submitted", subject_id=str(referral.pk)).exists()


def test_submitting_again_returns_the_same_referral_without_a_second_email(referrer):
    referral = make_submitted(referrer)
    result = services.submit_referral(referrer, referral.pk, declaration=True)
    assert not result.newly_submitted and result.referral.pk == referral.pk
    assert OutboundEmail.objects.count() == 1 and Referral.objects.count() == 1


def test_submitted_referrals_cannot_change_or_be_deleted(referrer):
    referral = make_submitted(referrer)
    with pytest.raises(Conflict):
        save(referrer, referral, "consent", "consent-given", {"consent": "no"})
    with pytest.raises(Conflict):
        services.delete_draft(referrer, referral.pk)
    with pytest.raises(Conflict):
        services.open_draft(referrer, referral.pk)
    assert services.view_submitted(referrer, referral.pk).document


def test_deleting_a_draft_is_soft_and_audited(referrer):
    referral = make_draft(referrer)
    services.delete_draft(referrer, referral.pk)
    referral.refresh_from_db()
    assert referral.deleted_at is not None
    with pytest.raises(services.ReferralNotFound):
        services.get_referral(referrer, referral.pk)
    assert AuditEvent.objects.filter(action="referral.draft_deleted").exists()


def test_out_of_region_referral_goes_to_the_destination_region_once_evidence_is_in(referrer):
    referral = complete(referrer, make_draft(referrer), out_of_region=("N55", "N55LEE"))
    save(referrer, referral, "placement-location", "pdu-evidence", {"evidence": "not_yet"})
    draft = services.open_draft(referrer, referral.pk)
    assert draft.statuses()["placement-location"] == engine.TaskStatus.IN_PROGRESS
    with pytest.raises(services.SubmissionIncomplete) as exc:
        services.submit_referral(referrer, referral.pk, declaration=True)
    assert [p.message for p in exc.value.problems][0] == (
        "Placement location: add the evidence from the PDU to NDelius, then tell us it is there"
    )
    # The check-your-answers confirmation was withdrawn by the change; evidence in, confirm again.
    save(referrer, referral, "placement-location", "pdu-evidence", {"evidence": "yes"})
    save(referrer, referral, "check-your-answers", "review", {})
    submitted = services.submit_referral(referrer, referral.pk, declaration=True).referral
    assert submitted.region.delius_code == "N55" and submitted.pdu.delius_code == "N55LEE"
    assert submitted.origin_region.delius_code == "N51" and submitted.origin_pdu.delius_code == "N51LPLS"
    assert submitted.is_out_of_region


def test_choosing_your_own_region_from_the_region_list_keeps_it_in_region(referrer):
    referral = make_draft(referrer)
    save(referrer, referral, "placement-location", "alternative-region", {"same_region": "no"})
    saved = save(referrer, referral, "placement-location", "different-region", {"region": "N51"})
    assert saved.next_page.slug == "alternative-pdu"
    saved = save(
        referrer, referral, "placement-location", "alternative-pdu", {"different_pdu": "yes", "pdu": "N51CUMB"}
    )
    assert saved.next_page.slug == "alternative-pdu-reason"


def test_national_users_choose_the_region_first():
    user = make_user(Role.CAS3_REFERRER, region_code="NA", username="pp.national")
    referral = make_draft(user)
    draft = services.open_draft(user, referral.pk)
    task = draft.definition.task("placement-location")
    assert engine.resume_page(task, draft.answers, draft.ctx).slug == "different-region"
    form = engine.build_form(task.page("different-region"), draft.ctx, draft.answers)
    assert "(your region)" not in str(form.fields["region"].choices)
    assert len(form.fields["region"].choices) == 12


def test_consent_refused_blocks_submission(referrer):
    referral = complete(referrer, make_draft(referrer))
    save(referrer, referral, "consent", "consent-given", {"consent": "no"})
    with pytest.raises(services.SubmissionIncomplete) as exc:
        services.submit_referral(referrer, referral.pk, declaration=True)
    assert "Consent: Daniel Hughes must agree to the referral before you submit it" in [
        p.message for p in exc.value.problems
    ]


def test_rosh_levels_and_risk_management_plan_are_prefilled(referrer):
    referral = make_draft(referrer, "X100015")
    draft = services.open_draft(referrer, referral.pk)
    task = draft.definition.task("placement-considerations")
    rosh = engine.current_values(task, task.page("rosh-level"), draft.answers, draft.ctx)
    assert rosh["risk_to_public"] == referral.risk_snapshot["rosh"]["public"] and rosh["self_harm"] == "yes"
    plan = engine.current_values(task, task.page("risk-management-plan"), draft.answers, draft.ctx)
    assert plan["supervision"] == referral.risk_snapshot["risk_management_plan"]["supervision"]


def test_old_risk_assessment_is_not_imported(referrer):
    referral = make_draft(referrer, "X100011")  # OASys completed 14 months ago
    assert referral.risk_management_plan_imported_at is None
    draft = services.open_draft(referrer, referral.pk)
    task = draft.definition.task("placement-considerations")
    assert engine.current_values(task, task.page("risk-management-plan"), draft.answers, draft.ctx) == {}


def test_release_date_is_prefilled_from_the_prison_system(referrer):
    referral = make_draft(referrer)
    draft = services.open_draft(referrer, referral.pk)
    task = draft.definition.task("eligibility")
    values = engine.current_values(task, task.page("release-date"), draft.answers, draft.ctx)
    assert values == {"release_date": referral.prison_snapshot["release_date"]}
