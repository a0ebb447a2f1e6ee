"""Demo CAS2 applications: one or more in every status, route and cohort, made by the demo referrers
of each route through the same services as the pages (started by route, answered page by page,
submitted), and taken to their status by the demo provider assessor through the provider's status
updates, so the national queue has something in every tab and the referrers' lists show every
status. Idempotent: a referrer never gets a second demo application for the same person."""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass

from cas.accounts.models import User
from cas.core import clock
from cas.forms_engine import engine
from cas.forms_engine.answers import Answers
from cas.referrals import services
from cas.referrals.cas2 import applications, assessment, transfers
from cas.referrals.cas2.workflow import WORKFLOW, Action, Status, detail_choices
from cas.referrals.models import Referral, TimelineEntry

ASSESSOR = "demo.cas2.assessor"


@dataclass(frozen=True)
class DemoApplication:
    username: str
    route: str
    identifier: str  # CRN or prison number, as the route finds people
    status: str  # where it ends up ("draft" for one left in progress, "abandoned")
    cohort: str = ""  # probation applications choose theirs
    details: tuple[str, ...] = ()  # the reasons given with the last status
    arrived_hours_ago: int = 0  # older than its service level while undecided: overdue in the queue
    note: str = ""
    # An application made in prison that followed the person: (prison code, new offender manager's username).
    moved_to: tuple[str, str] | None = None


DEMO_APPLICATIONS = (
    # Court bail, North West: a new one with a hearing tomorrow, one waiting for more information, one
    # cancelled for want of a property, and one still being written.
    DemoApplication("demo.cas2.court", "court_bail", "D624436", Status.RECEIVED),
    DemoApplication(
        "demo.cas2.court",
        "court_bail",
        "B632355",
        Status.MORE_INFO_REQUESTED,
        details=("health_needs",),
        note="Please tell us which drug and alcohol service is working with them now.",
    ),
    DemoApplication("demo.cas2.court", "court_bail", "K640274", Status.CANCELLED, details=("no_property_available",)),
    DemoApplication("demo.cas2.court", "court_bail", "A648193", Status.DRAFT),
    # Prison bail, Holme House.
    DemoApplication("demo.cas2.prison", "prison_bail", "T1322VW", Status.AWAITING_DECISION),
    DemoApplication("demo.cas2.prison", "prison_bail", "H1966EK", Status.ON_WAITING_LIST),
    DemoApplication("demo.cas2.prison", "prison_bail", "V2162ZH", Status.OFFER_DECLINED, details=("area_unsuitable",)),
    DemoApplication("demo.cas2.prison", "prison_bail", "P2442AE", Status.DRAFT),
    # Home Detention Curfew, Hewell.
    DemoApplication("demo.cas2.hdc", "hdc", "G1630CC", Status.PLACE_OFFERED),
    # Moved from Hewell to Birmingham after it was sent, where a new offender manager took it on.
    DemoApplication(
        "demo.cas2.hdc", "hdc", "V1644ES", Status.OFFER_ACCEPTED, moved_to=("BMI", "demo.cas2.hdc.birmingham")
    ),
    DemoApplication("demo.cas2.hdc", "hdc", "R1896FT", Status.AWAITING_ARRIVAL),
    DemoApplication("demo.cas2.hdc", "hdc", "R1651YP", Status.WITHDRAWN, details=("hdc_no_longer_eligible",)),
    # The probation cohorts, North West.
    DemoApplication(
        "demo.cas2.probation", "probation", "B656112", Status.RECEIVED, cohort="atcr", arrived_hours_ago=30
    ),
    DemoApplication("demo.cas2.probation", "probation", "C664031", Status.AWAITING_DECISION, cohort="hcrd"),
    DemoApplication(
        "demo.cas2.probation", "probation", "T671950", Status.INCOMPLETE, cohort="hefr", details=("funding_and_id",)
    ),
    DemoApplication("demo.cas2.probation", "probation", "E679869", Status.PLACE_OFFERED, cohort="isc"),
    DemoApplication("demo.cas2.probation", "probation", "N687788", Status.AWAITING_ARRIVAL, cohort="rarr"),
    DemoApplication("demo.cas2.probation", "probation", "V695707", Status.COULD_NOT_BE_PLACED, cohort="from_ap"),
    DemoApplication("demo.cas2.probation", "probation", "E592760", "abandoned", cohort="hcrd"),
)


def _day(name: str, value: dt.date) -> dict:
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}


def pages(user, *, today: dt.date, cohort: str) -> list[tuple[str, str, dict]]:
    """A complete application as a referrer posts it, page by page: (task, page, form data). Pages of
    tasks that do not apply to the route are skipped when the application is filled."""
    return [
        ("confirm-consent", "consent", {"consent": "yes", **_day("consent_date", today)}),
        ("confirm-eligibility", "eligibility", {"eligible": "yes"}),
        ("cohort-selection", "cohort", {"cohort": cohort, "notes": ""}),
        (
            "cohort-selection",
            "licence-dates",
            {
                **_day("licence_start", today + dt.timedelta(days=7)),
                **_day("licence_end", today + dt.timedelta(days=200)),
            },
        ),
        (
            "hdc-licence-dates",
            "dates",
            {
                **_day("hdc_eligibility_date", today + dt.timedelta(days=5)),
                **_day("conditional_release_date", today + dt.timedelta(days=35)),
            },
        ),
        ("referrer-details", "your-details", {"name": user.get_full_name(), "email": user.email}),
        ("referrer-details", "job-title", {"job_title": "Bail information officer"}),
        ("referrer-details", "contact-number", {"phone": user.phone_number or "0151 496 0456"}),
        ("referrer-details", "based-at", {"based_at": "Liverpool Magistrates' Court"}),
        ("solicitor-details", "has-solicitor", {"has_solicitor": "no"}),
        ("personal-information", "mobile-phone", {"has_mobile": "yes", "number": "07700 900 982"}),
        ("personal-information", "custody-location", {"location": "In the court cells"}),
        ("personal-information", "immigration-status", {"status": "uk_citizen"}),
        ("personal-information", "pregnancy", {"pregnant": "no"}),
        ("address-history", "previous-address", {"had_address": "no", "time_without_address": "3 months"}),
        ("equality-and-diversity", "opt-in", {"answer": "no"}),
        (
            "area-information",
            "preferred-areas",
            {"area_1": "Liverpool", "area_1_reason": "Family", "area_2": "Wirral", "area_2_reason": "Work"},
        ),
        ("area-information", "exclusion-zones", {"answer": "no"}),
        ("area-information", "gang-affiliations", {"answer": "no"}),
        ("area-information", "women-only", {"answer": "no"}),
        ("area-information", "accessible-property", {"answer": "no"}),
        ("funding-information", "funding-source", {"source": "housing_benefit"}),
        ("funding-information", "national-insurance", {"number": ""}),
        ("funding-information", "identification", {"documents": ["bank_card"]}),
        (
            "alleged-offences",
            "alleged-offences",
            {"action": "add", "offence": "Theft from a shop", **_day("offence_date", today - dt.timedelta(days=3))},
        ),
        (
            "current-offences",
            "current-offences",
            {
                "action": "add",
                "title": "Burglary",
                "offence_type": "other",
                **_day("offence_date", today - dt.timedelta(days=400)),
                "sentence_length": "18 months",
                "summary": "Entered a garage and took tools.",
            },
        ),
        ("offending-history", "unspent-convictions", {"answer": "no"}),
        ("risk-to-self", "risk-to-self", {"concerns": "no", "detail": ""}),
        ("risk-to-self", "acct-history", {}),
        (
            "risk-of-serious-harm",
            "rosh-levels",
            {"children": "Low", "public": "Medium", "known_adult": "Low", "staff": "Low", "overall": "Medium"},
        ),
        ("risk-of-serious-harm", "risk-management", {"arrangements": ["none"], "mappa_detail": ""}),
        ("health-needs", "substance-misuse", {"answer": "yes", "detail": "Alcohol, working with a local service"}),
        ("health-needs", "physical-health", {"answer": "no"}),
        ("health-needs", "mental-health", {"answer": "no"}),
        ("health-needs", "communication", {"answer": "no"}),
        ("health-needs", "learning-difficulties", {"answer": "no"}),
        ("bail-conditions", "bail-conditions", {"answer": "no"}),
        (
            "bail-hearing",
            "bail-hearing",
            {
                "date_known": "yes",
                **_day("hearing_date", today + dt.timedelta(days=1)),
                "court": "Liverpool Magistrates' Court",
                "medium": "in_court",
            },
        ),
        ("check-your-answers", "review", {}),
    ]


def fill(user, referral: Referral, data: list[tuple[str, str, dict]], *, upto: int | None = None) -> None:
    """Save the pages that are on the application's route, as the referrer would, in order."""
    for task_slug, page_slug, values in data[:upto]:
        draft = services.open_draft(user, referral.pk)
        task = draft.definition.task(task_slug)
        if not task.applies_to(draft.answers, draft.ctx):
            continue
        page = task.page(page_slug)
        if not engine.is_reachable(task, page, Answers(draft.referral.answers), draft.ctx):
            continue
        services.save_page(user, referral.pk, task_slug, page_slug, values)


def path_to(target: str) -> list[str]:
    """The statuses a received application passes through to reach `target`, shortest first, by the
    workflow's own transitions (the provider's moves, not the referrer's)."""
    start = WORKFLOW.submitted
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        status = queue.popleft()
        if status == target:
            break
        for action in WORKFLOW.allowed_actions(status):
            if action == Action.SEND_INFORMATION:
                continue
            after = WORKFLOW.next_status(status, action)
            if after not in previous:
                previous[after] = status
                queue.append(after)
    steps = []
    status = target
    while previous.get(status) is not None:
        steps.append(status)
        status = previous[status]
    return list(reversed(steps))


def _arrived_hours_ago(referral: Referral, hours: int) -> None:
    """Demo only: make an application look as if it arrived `hours` ago, so the queue shows one past
    its service level. Real applications get their arrival time from the submission alone."""
    arrived = clock.now() - dt.timedelta(hours=hours)
    Referral.objects.filter(pk=referral.pk).update(submitted_at=arrived)
    TimelineEntry.objects.filter(referral=referral, kind=TimelineEntry.Kind.SUBMITTED).update(created_at=arrived)


def _assess(assessor, referral: Referral, plan: DemoApplication) -> None:
    for status in path_to(plan.status):
        referral.refresh_from_db()
        action = WORKFLOW.action_to(referral.status, status)
        details: tuple[str, ...] = ()
        if action in WORKFLOW.details_required:
            choices = [code for code, _ in detail_choices(action, plan.route)]
            details = tuple(d for d in plan.details if d in choices) or (choices[0],)
        assessment.update_status(assessor, referral.pk, status=status, details=details)
    if plan.note:
        assessment.add_assessor_note(assessor, referral.pk, plan.note)


def _move(referral: Referral, prison_code: str, username: str) -> None:
    """The prison system's events, as they would arrive: the person moved, then a new offender manager."""
    referral.refresh_from_db()
    transfers.person_moved(referral.noms_number, prison_code)
    manager = User.objects.filter(username=username).first()
    if manager is not None:
        transfers.offender_manager_allocated(
            referral.noms_number, staff_username=manager.username, staff_name=manager.get_full_name()
        )


def load_demo_cas2_applications() -> int:
    """Create the demo CAS2 applications that do not exist yet; returns how many were created."""
    today = clock.today()
    assessor = User.objects.filter(username=ASSESSOR).first()
    created = 0
    for plan in DEMO_APPLICATIONS:
        user = User.objects.filter(username=plan.username).first()
        if user is None:
            continue
        if (
            Referral.objects.filter(created_by=user, service="cas2").filter(crn=plan.identifier).exists()
            or Referral.objects.filter(created_by=user, service="cas2", noms_number=plan.identifier).exists()
        ):
            continue
        referral = applications.start_application(user, plan.route, plan.identifier)
        data = pages(user, today=today, cohort=plan.cohort)
        if plan.status == "abandoned":
            fill(user, referral, data, upto=3)
            applications.abandon(user, referral.pk)
        elif plan.status == Status.DRAFT:
            fill(user, referral, data, upto=len(data) // 2)
        else:
            fill(user, referral, data)
            services.submit_referral(user, referral.pk, declaration=True)
            if plan.arrived_hours_ago:
                _arrived_hours_ago(referral, plan.arrived_hours_ago)
            if assessor is not None:
                _assess(assessor, referral, plan)
            if plan.moved_to:
                _move(referral, *plan.moved_to)
        created += 1
    return created
