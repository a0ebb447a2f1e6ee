"""CAS2's profile: everything shared code asks of the tier (`cas.core.tiers.Tier`), declared in one
place. Registered from `ReferralsConfig.ready()`.

CAS2 is assessed by one national provider, so a submitted application goes to the provider's
national queue: its `region` is the person's probation region, for reports and filters, never a
queue. Its referrers come by route (court, prison bail, Home Detention Curfew, probation), each a role.
"""

from django.utils import timezone

from cas.core import tiers
from cas.core.dates import long_date
from cas.core.permissions import Permission as P
from cas.core.roles import Role
from cas.core.tiers import BookingRules, Service, Tier
from cas.events.domain_events import publish
from cas.events.notifications import send_email
from cas.referrals import timeline
from cas.referrals.cas2 import definition, service_levels
from cas.referrals.cas2.context import form_context
from cas.referrals.cas2.events import APPLICATION_SUBMITTED
from cas.referrals.cas2.workflow import WORKFLOW
from cas.referrals.models import PrisonAssignment, ReferralCohort

REFERRERS = frozenset(
    {Role.CAS2_COURT_REFERRER, Role.CAS2_PRISON_REFERRER, Role.CAS2_HDC_REFERRER, Role.CAS2_PROBATION_REFERRER}
)
ASSESSOR = frozenset({Role.CAS2_ASSESSOR})
# Referrers who work in a prison: they see their prison's applications, not only their own.
PRISON_REFERRERS = frozenset({Role.CAS2_PRISON_REFERRER, Role.CAS2_HDC_REFERRER})
ASSESSING_TEAM = "the CAS2 provider (Nacro)"


def route(referral, fields: dict) -> None:
    """A submitted application goes to the provider's national queue. The route was chosen when it
    started; the cohort is the one chosen in the form (a route with several) or the route's own."""
    code = fields.pop("cohort_code", "")
    if code:
        referral.cohort = ReferralCohort.objects.get(route_id=referral.route_id, code=code)
    elif referral.cohort_id is None and referral.route_id is not None:
        referral.cohort = referral.route.cohorts.order_by("sort_order").first()


def inbox(referral) -> str:
    """The provider's shared inbox for the application's route (referrers' notes go there)."""
    return referral.route.assessor_email if referral.route_id else ""


def in_users_prison(user, referral) -> bool:
    """Prison staff share the submitted applications of the prison the person is in now (notes)."""
    return (
        bool(user.role_set & PRISON_REFERRERS)
        and user.prison_id is not None
        and referral.current_prison_id == user.prison_id
    )


def identifier(referral) -> str:
    """How the provider finds the person: CRN and prison number when known."""
    parts = [f"CRN {referral.crn}"]
    if referral.noms_number:
        parts.append(f"prison number {referral.noms_number}")
    return ", ".join(parts)


def after_submission(referral, user) -> None:
    """The first prison assignment (an application made in prison follows the person), the referrer's
    receipt and the provider's notice, both with the service level, and the domain event."""
    if referral.referring_prison_id:
        offender_manager = user if user.has_role(Role.CAS2_HDC_REFERRER) else None
        PrisonAssignment.objects.create(
            referral=referral,
            prison_id=referral.referring_prison_id,
            offender_manager=offender_manager,
            offender_manager_name=offender_manager.get_full_name() if offender_manager else "",
            reason=PrisonAssignment.Reason.SUBMITTED,
        )
        referral.current_prison_id = referral.referring_prison_id
        referral.offender_manager = offender_manager
        referral.save(update_fields=["current_prison", "offender_manager", "updated_at"])
    cohort = referral.cohort
    due = service_levels.due_at(referral.submitted_at, cohort)
    personalisation = {
        "person_name": referral.person_name,
        "crn": referral.crn,
        "identifier": identifier(referral),
        "cohort": cohort.name if cohort else "",
        "reference": referral.reference,
        "submitted_at": long_date(timezone.localtime(referral.submitted_at)),
        "assessing_team": ASSESSING_TEAM,
        "service_level": service_levels.describe(cohort),
    }
    send_email(
        "cas2_application_submitted",
        to=user.email,
        personalisation={
            **personalisation,
            "name": user.get_full_name() or user.username,
            "application_url": timeline.referral_url(referral, for_referrer=True),
        },
        service=referral.service,
        reference=f"referral:{referral.pk}",
        actor=user,
    )
    inbox = referral.route.assessor_email if referral.route_id else ""
    if inbox:
        send_email(
            "cas2_application_to_assess",
            to=inbox,
            personalisation={
                **personalisation,
                "referrer_name": user.get_full_name() or user.username,
                "referrer_email": user.email,
                "referrer_phone": referral.referrer_phone or "no phone number given",
                "due": timezone.localtime(due).strftime("%-I:%M%p on ") + long_date(timezone.localtime(due))
                if due
                else "no service level",
                "application_url": timeline.referral_url(referral, for_referrer=False),
            },
            service=referral.service,
            reference=f"referral:{referral.pk}",
            actor=user,
        )
    publish(
        APPLICATION_SUBMITTED.name,
        service=referral.service,
        crn=referral.crn,
        noms_number=referral.noms_number,
        subject=referral,
        detail={
            "applicationId": str(referral.pk),
            "applicationUrl": timeline.referral_url(referral, for_referrer=False),
            "personReference": {"crn": referral.crn, "noms": referral.noms_number or None},
            "route": referral.route.code if referral.route_id else None,
            "cohort": {"code": cohort.code, "name": cohort.name} if cohort else None,
            "referringPrisonCode": referral.referring_prison.code if referral.referring_prison_id else None,
            "preferredAreas": " | ".join(a for a in (referral.preferred_area_1, referral.preferred_area_2) if a),
            "hdcEligibilityDate": referral.hdc_eligibility_date.isoformat() if referral.hdc_eligibility_date else None,
            "conditionalReleaseDate": referral.conditional_release_date.isoformat()
            if referral.conditional_release_date
            else None,
            "bailHearingDate": referral.bail_hearing_date.isoformat() if referral.bail_hearing_date else None,
            "submittedAt": referral.submitted_at.isoformat(),
            "submittedBy": {"username": user.username, "name": user.get_full_name()},
        },
        actor=user,
    )


CAS2 = Tier(
    service=Service.CAS2,
    name="CAS2",
    description="Accommodation with support for people on bail, on Home Detention Curfew, recalled or moving on "
    "from an Approved Premises",
    roles=REFERRERS | ASSESSOR,
    grants={
        P.PERSON_VIEW: REFERRERS | ASSESSOR,
        P.REFERRAL_MAKE: REFERRERS,
        P.REFERRAL_ASSESS: ASSESSOR,
        P.REFERRAL_READ: ASSESSOR,
        # The provider runs the CAS2 MI reports (`cas.reporting.cas2_reports`), never CAS3's.
        P.REPORTS_RUN: ASSESSOR,
    },
    form_key=definition.KEY,
    form_context=form_context,
    route=route,
    workflow=WORKFLOW,
    # The provider places people in its own estate (issue: CAS2 estate and stays); no booking rules yet.
    booking=BookingRules(max_nights=None),
    event_namespace="accommodation.cas2",
    # The receipt carries the service level, so it is sent by `after_submission`, not the shared receipt.
    emails={"referral_note_from_referrer": "cas2_note_from_referrer"},
    pages={
        "referral_for_referrer": "web:cas2-application",
        "referral_for_assessor": "web:cas2-assessment",
    },
    assessing_team=ASSESSING_TEAM,
    referrer_title="the referrer",
    team_title="the provider",
    inbox=inbox,
    starts_by_route=True,
    shares_referral=in_users_prison,
    chooses_index_offence=False,
    after_submission=after_submission,
)

tiers.register(CAS2)
