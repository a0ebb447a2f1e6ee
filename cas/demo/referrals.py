"""Demo referrals: drafts at different stages and submitted referrals in several regions, made
through the same services as the pages (so they are audited and valid), and the North West
assessor's decisions on them, so the review queue has referrals in every tab, urgent and overdue
ones among them. Idempotent: a referrer never gets a second demo referral for the same CRN."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cas.accounts.models import User
from cas.core import clock
from cas.referrals import services
from cas.referrals.cas3 import review
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral, TimelineEntry


def complete_answers(
    *,
    today: dt.date,
    release_in_days: int = 21,
    phone: str = "0151 496 0123",
    pdu_code: str = "",
    out_of_region: tuple[str, str] | None = None,
) -> list[tuple[str, str, dict | None]]:
    """Answers to every task of the CAS3 referral for a typical person, in the order a referrer
    gives them: (task, page, JSON values). The placement is in the referrer's own region and PDU,
    or in `out_of_region` = (region code, PDU code) with the PDU's evidence in NDelius."""
    release = today + dt.timedelta(days=release_in_days)
    if out_of_region:
        placement = [
            ("placement-location", "alternative-region", {"same_region": "no"}),
            ("placement-location", "different-region", {"region": out_of_region[0]}),
            ("placement-location", "placement-pdu", {"pdu": out_of_region[1]}),
            ("placement-location", "pdu-evidence", {"evidence": "yes"}),
        ]
    else:
        placement = [
            ("placement-location", "alternative-region", {"same_region": "yes"}),
            ("placement-location", "alternative-pdu", {"different_pdu": "no"}),
        ]
    return [
        *placement,
        ("offence-and-behaviour", "history-of-sexual-offence", {"answer": "no"}),
        ("offence-and-behaviour", "concerning-sexual-behaviour", {"answer": "no"}),
        ("offence-and-behaviour", "history-of-arson-offence", {"answer": "no"}),
        ("offence-and-behaviour", "concerning-arson-behaviour", {"answer": "no"}),
        (
            "sentence-information",
            "offending-summary",
            {"summary": "Burglary of a dwelling while under the influence of alcohol; two previous thefts."},
        ),
        ("sentence-information", "sentence-type", {"sentence_type": "standard_determinate"}),
        ("sentence-information", "sentence-length", {"years": 2, "months": 6}),
        ("sentence-information", "sentence-expiry", {"expiry": (release + dt.timedelta(days=450)).isoformat()}),
        (
            "sentence-information",
            "release-type",
            {
                "release_types": ["crd"],
                "crd_start": release.isoformat(),
                "crd_end": (release + dt.timedelta(days=450)).isoformat(),
            },
        ),
        # Demo accounts have no phone number (and some no PDU): change them, then confirm.
        ("contact-details", "practitioner-phone", {"phone": phone}),
        *([("contact-details", "practitioner-pdu", {"pdu": pdu_code})] if pdu_code else []),
        ("contact-details", "probation-practitioner", None),
        (
            "contact-details",
            "backup-contact",
            {"name": "Morgan Ellis", "phone": "0151 496 0000", "email": "morgan.ellis@justice.gov.uk"},
        ),
        ("contact-details", "pop-phone-number", {"phone": ""}),
        ("eligibility", "eligibility-reason", {"reason": "homeless_from_prison"}),
        ("eligibility", "release-date", {"release_date": release.isoformat()}),
        ("eligibility", "accommodation-required-from-date", {"required_from": release.isoformat()}),
        ("consent", "consent-given", {"consent": "yes"}),
        (
            "licence-conditions",
            "additional-licence-conditions",
            {"conditions": ["curfew"], "curfew_detail": "19:00 to 07:00 for the first 3 months"},
        ),
        ("prison-information", "adjudications", {}),
        ("prison-information", "acct-alerts", {}),
        (
            "placement-considerations",
            "accommodation-sharing",
            {"answer": "yes", "managing_risks": "Weekly check-ins with the support worker."},
        ),
        (
            "placement-considerations",
            "cooperation",
            {"support": "Weekly appointments; the support worker is told of any change in risk."},
        ),
        ("placement-considerations", "anti-social-behaviour", {"answer": "no"}),
        (
            "placement-considerations",
            "substance-misuse",
            {"answer": "yes", "detail": "Alcohol; engaging with a recovery service."},
        ),
        (
            "placement-considerations",
            "rosh-level",
            {
                "risk_to_children": "Low",
                "risk_to_public": "Medium",
                "risk_to_known_adult": "Low",
                "risk_to_staff": "Low",
                "self_harm": "no",
                "safety_plan": "no",
            },
        ),
        (
            "placement-considerations",
            "risk-management-plan",
            {
                "further_considerations": "Avoid licensed premises.",
                "key_information": "Released to no fixed abode.",
                "supervision": "Weekly supervision for the first 12 weeks.",
                "monitoring_and_control": "Curfew and alcohol monitoring.",
                "interventions_and_treatment": "Alcohol recovery programme.",
                "victim_safety_planning": "No known victims in the area.",
                "contingency_plans": "Recall if the curfew is breached.",
                "additional_comments": "None.",
            },
        ),
        ("approvals", "approvals-for-specific-risks", {"answer": "not_required"}),
        ("behaviour-in-cas", "previous-stays", {"answer": "no"}),
        ("health-needs", "needs", {"needs": ["none"]}),
        ("health-needs", "property-attributes-or-adaptations", {"answer": "no"}),
        ("health-needs", "religious-or-cultural-needs", {"answer": "no"}),
        ("safeguarding-and-support", "safeguarding-and-vulnerability", {"answer": "no"}),
        (
            "safeguarding-and-support",
            "support-in-the-community",
            {"detail": "A sister in the area; a recovery worker."},
        ),
        (
            "safeguarding-and-support",
            "local-connections",
            {"detail": "Grew up locally and has lived here for 10 years."},
        ),
        ("safeguarding-and-support", "caring-responsibilities", {"answer": "no"}),
        ("food-allergies", "food-allergies", {"answer": "no"}),
        ("move-on-plan", "move-on-plan", {"plan": "Housing register application and help to find work."}),
        ("accommodation-referral-details", "dtr-submitted", {"answer": "yes"}),
        (
            "accommodation-referral-details",
            "dtr-details",
            {
                "reference": "DTR-2026-0042",
                "submitted_on": (today - dt.timedelta(days=7)).isoformat(),
                "local_authority": "E08000012",
                "outcome": "not_received",
            },
        ),
        ("accommodation-referral-details", "crs-submitted", {"answer": "yes"}),
        ("accommodation-referral-details", "other-accommodation-options", {"answer": "no"}),
        ("check-your-answers", "review", {}),
    ]


def fill(user, referral: Referral, answers: list[tuple[str, str, dict]]) -> Referral:
    for task, page, values in answers:
        services.save_page(user, referral.pk, task, page, values, from_json=True)
    referral.refresh_from_db()
    return referral


# Who refers whom in the demo: (referrer username, CRN, how far they got).
DEMO_REFERRALS = (
    ("demo.cas3.referrer", "X100001", "submitted"),
    # More North West referrals, so the demo assessor's queue has something in every tab (see DEMO_REVIEW).
    ("demo.cas3.referrer", "X100004", "submitted"),
    ("demo.cas3.referrer", "X100006", "submitted"),
    ("demo.cas3.referrer", "X100007", "submitted"),
    ("demo.cas3.referrer", "X100013", "submitted"),
    ("demo.cas3.referrer", "X100015", "submitted"),
    ("demo.cas3.referrer", "X100018", "submitted"),
    ("demo.cas3.referrer", "X100014", "draft-half"),
    ("demo.cas3.referrer", "X100010", "draft-new"),
    ("demo.cas3.referrer", "X200007", "submitted"),
    # Out of region: a North West practitioner refers to Leeds, in Yorkshire and the Humber.
    ("demo.cas3.referrer", "X100021", "submitted-out-of-region"),
    ("demo.cas3.referrer.london", "X200005", "submitted"),
    ("demo.cas3.referrer.london", "X100003", "draft-half"),
    ("demo.cas3.referrer.wales", "X200010", "submitted"),
    ("demo.cas3.referrer.wales", "X100016", "draft-new"),
)


@dataclass(frozen=True)
class DemoReview:
    """Where the North West demo assessor has got to with one of demo.cas3.referrer's referrals."""

    status: str
    release_in_days: int  # accommodation is required from the release date
    arrived_days_ago: int = 0  # more than the service level (5 working days) while undecided: overdue
    note: str = ""


DEMO_ASSESSOR = "demo.cas3.assessor"
DEMO_REVIEW: dict[str, DemoReview] = {
    # Unallocated: one urgent (needed in 3 days), one overdue (arrived 12 days ago).
    "X100001": DemoReview(ReferralStatus.UNALLOCATED, release_in_days=3),
    "X200007": DemoReview(ReferralStatus.UNALLOCATED, release_in_days=40, arrived_days_ago=12),
    # In review: one with a question for the practitioner, one overdue.
    "X100004": DemoReview(
        ReferralStatus.IN_REVIEW,
        release_in_days=25,
        note="The risk management plan mentions an exclusion zone. Which areas of Liverpool does it cover?",
    ),
    "X100006": DemoReview(ReferralStatus.IN_REVIEW, release_in_days=6, arrived_days_ago=9),
    # Ready to place, archived and rejected.
    "X100007": DemoReview(ReferralStatus.READY_TO_PLACE, release_in_days=18),
    "X100013": DemoReview(ReferralStatus.ARCHIVED, release_in_days=10, arrived_days_ago=20),
    "X100015": DemoReview(ReferralStatus.REJECTED, release_in_days=30, arrived_days_ago=6),
}
DEMO_REJECTION = ("Local authority alternative suitable accommodation provided (includes priority need)", True)


def _arrived_days_ago(referral: Referral, days: int) -> None:
    """Demo only: make a referral look as if it arrived `days` ago, so the queue shows overdue
    reviews. Real referrals get their arrival time from `submit_referral` alone."""
    arrived = clock.now() - dt.timedelta(days=days)
    referral.submitted_at = arrived
    referral.save(update_fields=["submitted_at"])
    TimelineEntry.objects.filter(referral=referral, kind=TimelineEntry.Kind.SUBMITTED).update(created_at=arrived)


def _review(referral: Referral, plan: DemoReview) -> None:
    """Take the referral where the plan says, through the review services, as the demo assessor."""
    assessor = User.objects.filter(username=DEMO_ASSESSOR).first()
    if assessor is None:
        return
    if plan.arrived_days_ago:
        _arrived_days_ago(referral, plan.arrived_days_ago)
    status = plan.status
    if status == ReferralStatus.REJECTED:
        name, withdrawn = DEMO_REJECTION
        reason = review.active_rejection_reasons().filter(name=name).first() or review.active_rejection_reasons()[0]
        review.reject(
            assessor,
            referral.pk,
            reason_id=reason.pk,
            details="The council accepted a main housing duty and has offered temporary accommodation.",
            withdrawal_requested=withdrawn,
        )
        return
    if status == ReferralStatus.UNALLOCATED:
        return
    review.allocate(assessor, referral.pk)
    if plan.note:
        review.add_note(assessor, referral.pk, plan.note, to_referrer=True)
    if status == ReferralStatus.IN_REVIEW:
        return
    review.accept(assessor, referral.pk)
    if status == ReferralStatus.ARCHIVED:
        review.archive(assessor, referral.pk)


def load_demo_referrals() -> int:
    """Create the demo referrals that do not exist yet; returns how many were created."""
    today = clock.today()
    created = 0
    for username, crn, stage in DEMO_REFERRALS:
        user = User.objects.filter(username=username).first()
        if user is None or Referral.objects.filter(created_by=user, crn=crn).exists():
            continue
        person = services.find_person(user, crn).person
        offence = person.index_offence or person.offences[0]
        referral = services.create_draft(user, crn, offence_id=offence.offence_id)
        plan = DEMO_REVIEW.get(crn) if username == "demo.cas3.referrer" else None
        answers = complete_answers(
            today=today,
            release_in_days=plan.release_in_days if plan else 14 + 5 * created,
            out_of_region=("N55", "N55LEE") if stage == "submitted-out-of-region" else None,
        )
        if stage == "draft-half":
            fill(user, referral, answers[:11])
        elif stage.startswith("submitted"):
            fill(user, referral, answers)
            services.submit_referral(user, referral.pk, declaration=True)
            if plan:
                _review(referral, plan)
        created += 1
    return created
