"""The referrer's side of a CAS2 application: which routes a user may apply by, finding the person by
the route's identifier (CRN, or prison number for applications made in prison), starting the
application, sending back the information the provider asked for, abandoning an unsubmitted one, and
the referrer's lists.

The form itself (saving pages, submitting) goes through the shared `cas.referrals.services`, which
asks this tier's profile for everything CAS2 decides. Reads of one application go through
`cas.referrals.cas2.access`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from cas.core import audit, clock, tiers
from cas.core.dates import long_date
from cas.core.errors import Conflict, DomainError
from cas.core.permissions import Permission, check, may_reach_service
from cas.core.tiers import DRAFT
from cas.events.notifications import send_email
from cas.forms_engine import engine
from cas.forms_engine.answers import Answers
from cas.forms_engine.registry import get as get_definition
from cas.people import access as people_access
from cas.people import services as people
from cas.people.ports import PersonNotFound, is_noms_number, normalise_identifier
from cas.people.registry import get_case_system
from cas.reference.models import Prison, ProbationRegion
from cas.referrals import lifecycle, services, timeline
from cas.referrals.cas2 import access
from cas.referrals.cas2.access import Reach
from cas.referrals.cas2.tier import PRISON_REFERRERS, identifier
from cas.referrals.cas2.workflow import Action
from cas.referrals.models import Referral, ReferralRoute, TimelineEntry

SERVICE = tiers.Service.CAS2
MAKE = Permission.REFERRAL_MAKE
# The route of applications made for people in the user's own prison, who must be there now.
OWN_PRISON_ROUTE = "hdc"
# The route keys: which identifier finds the person.
CRN, NOMS = ReferralRoute.PersonKey.CRN, ReferralRoute.PersonKey.NOMS
REFERRER_ONLY = frozenset({Reach.REFERRER})


class RouteNotAvailable(DomainError):
    def __init__(self, message: str, code: str = "route_unavailable"):
        super().__init__(message, field="route", code=code)


class PrisonNumberUnknown(people.PersonUnknown):
    def __init__(self, noms: str):
        DomainError.__init__(
            self,
            f"No person with prison number {noms} was found. Check the prison number and try again",
            field="identifier",
            code="not_found",
        )


class NotInYourPrison(DomainError):
    def __init__(self, prison_name: str):
        where = f"They are in {prison_name}." if prison_name else "Their current prison is not known."
        super().__init__(
            f"You can only apply for Home Detention Curfew for someone in your own prison. {where} "
            "Ask their prison's offender management unit to apply.",
            field="identifier",
            code="not_in_your_prison",
        )


class InformationIncomplete(DomainError):
    def __init__(self, problems: list[engine.Problem]):
        super().__init__(
            "You cannot send the information yet: " + "; ".join(p.message for p in problems), code="incomplete"
        )
        self.problems = problems


# Routes ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteChoice:
    route: ReferralRoute
    is_open: bool
    # Why it takes no applications now (empty while it is open).
    closed_reason: str

    @property
    def identifier_label(self) -> str:
        return "prison number" if self.route.person_key == NOMS else "CRN"


def closed_reason(route: ReferralRoute) -> str:
    if route.closed_message:
        return route.closed_message
    when = long_date(route.closes_on) if route.closes_on else ""
    return (
        f"{route.name} applications closed on {when}. You can still read the applications you made."
        if when
        else f"{route.name} is not taking applications."
    )


def routes_for(user, today: dt.date | None = None) -> list[RouteChoice]:
    """The routes the user's roles may apply by, that have opened: open ones to choose, closed ones
    with why (their applications stay readable)."""
    check(user, MAKE, service=SERVICE)
    today = today or clock.today()
    roles = {str(role) for role in user.role_set}
    routes = ReferralRoute.objects.filter(service=SERVICE, opens_on__lte=today).order_by("sort_order", "name")
    return [
        RouteChoice(route, route.is_open_on(today), "" if route.is_open_on(today) else closed_reason(route))
        for route in routes
        if route.role_codes & roles
    ]


def route_for(user, route_code: str, *, today: dt.date | None = None) -> ReferralRoute:
    """One of the user's routes, open today; refused with why otherwise."""
    choice = next((c for c in routes_for(user, today) if c.route.code == route_code), None)
    if choice is None:
        raise RouteNotAvailable("Choose how you are applying", code="invalid")
    if not choice.is_open:
        raise RouteNotAvailable(choice.closed_reason, code="route_closed")
    return choice.route


# Finding the person and starting --------------------------------------------------------------------------


@dataclass
class Applicant:
    route: ReferralRoute
    record: people.PersonRecord
    # The prison the person is in, for routes that find them by prison number.
    prison: Prison | None

    @property
    def person(self):
        return self.record.person


def find_applicant(user, route_code: str, identifier_value: str) -> Applicant:
    """The person an application by `route_code` would be for, found by the route's identifier, with
    the route's rules checked (HDC: only someone in the user's own prison). Raises
    `people.PersonUnknown` (or `PrisonNumberUnknown`), `people.PersonRestricted`,
    `UpstreamUnavailable` as the look-up does."""
    route = route_for(user, route_code)
    value = normalise_identifier(identifier_value or "")
    purpose = f"CAS2 application ({route.name}): find the person"
    if route.person_key == NOMS:
        if not is_noms_number(value):
            raise DomainError(
                "Enter a prison number in the correct format, like A1234BC", field="identifier", code="invalid"
            )
        try:
            crn = get_case_system().find_by_noms(value).crn  # UpstreamUnavailable propagates
        except PersonNotFound:
            raise PrisonNumberUnknown(value) from None
    else:
        crn = people.normalise_crn(value)
        if not crn:
            raise DomainError("Enter a CRN", field="identifier", code="invalid")
    try:
        record = people.view_person(user, crn, purpose=purpose)
    except people.PersonUnknown as exc:
        if route.person_key == NOMS:
            raise PrisonNumberUnknown(value) from None
        raise DomainError(f"{exc.message}. Check the CRN and try again", field="identifier", code="not_found") from None
    prison = None
    if route.person_key == NOMS:
        code = (record.prison.prison_code if record.prison else None) or record.person.prison_code
        prison = Prison.objects.filter(code=code).first() if code else None
        if route.code == OWN_PRISON_ROUTE:
            if user.prison_id is None:
                raise DomainError(
                    "Your account has no prison. Ask your administrator to add your prison.", code="no_prison"
                )
            if prison is None or prison.pk != user.prison_id:
                name = prison.name if prison else (record.prison.prison_name if record.prison else "")
                raise NotInYourPrison(name or "")
    return Applicant(route, record, prison)


def start_application(user, route_code: str, identifier_value: str) -> Referral:
    """Start a draft application by a route for the person it finds. Consent is the form's first
    task: every other task waits for it."""
    applicant = find_applicant(user, route_code, identifier_value)
    route = applicant.route
    cohorts = list(route.cohorts.order_by("sort_order"))
    manager = applicant.person.manager
    region = ProbationRegion.objects.filter(delius_code=manager.region_code).first() if manager else None
    extra = {
        "route": route,
        # A route with several cohorts has the cohort chosen in the form.
        "cohort": cohorts[0] if len(cohorts) == 1 else None,
        "referring_prison": applicant.prison,
    }
    if region is not None:
        # The person's probation region, for the provider's filters and reports: the provider's queue
        # is national, and court and prison staff's own region says nothing about the person.
        extra["region_id"] = region.pk
    return services.create_draft(user, applicant.person.crn, service=SERVICE, extra=extra)


# Sending back the information the provider asked for ---------------------------------------------------------


def send_information(user, referral_id) -> Referral:
    """The referrer answered the sections the provider reopened: the answers are checked again,
    the document and the typed columns refrozen, the sections closed, the application back to the
    provider as received, and the provider's inbox told."""
    access.check_reach(user, referral_id, allowed=REFERRER_ONLY)  # outside, so a refusal stays recorded
    with transaction.atomic():
        referral = access.locked_application(user, referral_id, allowed=REFERRER_ONLY)
        if Action.SEND_INFORMATION not in lifecycle.allowed_actions(referral):
            raise lifecycle.TransitionNotAllowed(referral, Action.SEND_INFORMATION)
        # The provider may ask about something no section holds (its "other"): the referrer answers
        # in a note and sends, with no section reopened.
        reopened = list(referral.reopened_tasks)
        definition = get_definition(referral.form_key)
        tier = tiers.get(referral.service)
        ctx = tier.form_context(referral)
        answers, _ = engine.prune(definition, Answers(referral.answers), ctx)
        problems = [p for p in engine.problems(definition, answers, ctx) if p.task in reopened]
        if problems:
            raise InformationIncomplete(problems)
        fields = definition.reporting(answers, ctx)
        tier.route(referral, fields)
        for name, value in fields.items():
            setattr(referral, name, value)
        referral.answers = answers.data
        referral.document = engine.document(definition, answers, ctx)
        referral.reopened_tasks = []
        titles = [definition.task(slug).title for slug in reopened]
        lifecycle.transition(user, referral, Action.SEND_INFORMATION, by_referrer=True, details={"tasks": reopened})
        text = f"Sections answered again: {', '.join(titles)}." if titles else "No section was reopened."
        entry = timeline.add_entry(
            referral,
            user,
            TimelineEntry.Kind.INFORMATION,
            author_kind=TimelineEntry.Author.REFERRER,
            text=text,
            details={"tasks": reopened},
        )
        inbox = referral.route.assessor_email if referral.route_id else ""
        if inbox:
            send_email(
                "cas2_information_sent",
                to=inbox,
                personalisation={
                    "author": timeline.author_name(user),
                    "person_name": referral.person_name,
                    "identifier": identifier(referral),
                    "reference": referral.reference,
                    "sections": ", ".join(titles) or "none (see the notes)",
                    "application_url": timeline.referral_url(referral, for_referrer=False),
                },
                service=referral.service,
                reference=f"referral:{referral.pk}",
                actor=user,
            )
            entry.emailed_to = inbox
            entry.save(update_fields=["emailed_to"])
    return referral


# Abandoning ----------------------------------------------------------------------------------------------


def abandon(user, referral_id) -> Referral:
    """Abandon an application that was never sent: its answers, document and upstream snapshots
    are removed; the fact that it was started (who, for whom, when) is kept, marked deleted."""
    access.check_reach(user, referral_id, allowed=REFERRER_ONLY)  # outside, so a refusal stays recorded
    with transaction.atomic():
        referral = access.locked_application(user, referral_id, allowed=REFERRER_ONLY)
        if not referral.is_draft:
            raise Conflict(
                "This application has been sent, so it cannot be abandoned. Ask the provider to withdraw it.",
                code="submitted",
            )
        answered = sorted(referral.answers)
        referral.answers = {}
        referral.document = None
        referral.form_notices = []
        referral.risk_snapshot = None
        referral.prison_snapshot = None
        referral.deleted_at = clock.now()
        referral.save(
            update_fields=[
                "answers",
                "document",
                "form_notices",
                "risk_snapshot",
                "prison_snapshot",
                "deleted_at",
                "updated_at",
            ]
        )
        audit.record_change(
            user,
            "referral.abandoned",
            referral,
            before={"deleted": False, "tasks_answered": answered},
            after={"deleted": True},
            crn=referral.crn,
            service=referral.service,
        )
    return referral


# The referrer's lists ---------------------------------------------------------------------------------------

IN_PROGRESS, SUBMITTED = "in-progress", "submitted"
_LIST_RELATED = ("route", "cohort", "current_prison", "created_by")


def own_applications(user, tab: str) -> QuerySet:
    """The user's own applications: in progress (drafts) or submitted; abandoned ones are gone. (Not
    through `access.visible`, which gives a user who also assesses every sent application but no drafts.)"""
    if not may_reach_service(user, MAKE, SERVICE):
        return Referral.objects.none()
    queryset = Referral.objects.live().filter(service=SERVICE, created_by=user).select_related(*_LIST_RELATED)
    if tab == IN_PROGRESS:
        return queryset.filter(status=DRAFT).order_by("-updated_at", "-id")
    return queryset.exclude(status=DRAFT).order_by("-submitted_at", "-id")


def own_counts(user) -> dict[str, int]:
    return {
        IN_PROGRESS: own_applications(user, IN_PROGRESS).count(),
        SUBMITTED: own_applications(user, SUBMITTED).count(),
    }


def works_in_prison(user) -> bool:
    return bool(user.role_set & PRISON_REFERRERS) and user.prison_id is not None


def prison_applications(user, search: str = "") -> QuerySet:
    """The submitted applications of the prison the user works in (where the person is now),
    searched by name, CRN or prison number."""
    if not works_in_prison(user):
        return Referral.objects.none()
    queryset = (
        access.visible(user)
        .filter(current_prison_id=user.prison_id)
        .exclude(status=DRAFT)
        .select_related(*_LIST_RELATED)
    )
    text = (search or "").strip()
    if text:
        upper = normalise_identifier(text)
        queryset = queryset.filter(
            Q(crn=upper) | Q(noms_number=upper) | (Q(person_name__icontains=text) & people_access.visible_q(user))
        )
    return queryset.order_by("-submitted_at", "-id")
