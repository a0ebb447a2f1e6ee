"""The provider's writes on a CAS2 application: status updates with their details, the assessment
details (assessor's name, the provider's own reference) and notes to the referrer.

Each checks the user's reach outside the write's transaction (so a refusal stays recorded), then
locks the row and checks again (`access.locked_application`), changes it through the workflow
engine or with an audit record, and tells the referrer by email. Pages, the API and the provider's
own system (an API token of a CAS2 assessor) call these same functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from cas.core import audit
from cas.core.concurrency import check_and_bump, check_version
from cas.core.errors import Conflict, DomainError
from cas.events.domain_events import publish
from cas.events.notifications import send_email
from cas.referrals import lifecycle, timeline
from cas.referrals.cas2 import access, sections
from cas.referrals.cas2.access import Reach
from cas.referrals.cas2.events import STATUS_UPDATED
from cas.referrals.cas2.tier import ASSESSING_TEAM, identifier
from cas.referrals.cas2.workflow import WORKFLOW, Action, detail_choices
from cas.referrals.models import Referral, TimelineEntry

ASSESSORS = frozenset({Reach.ASSESSOR})
TEXT_MAX_LENGTH = 2000
ASSESSOR_NAME_MAX_LENGTH = 200
PROVIDER_REFERENCE_MAX_LENGTH = 50
# What the referrer should do next, for the statuses that need something of them.
NEXT_STEPS = {
    "more_info_requested": "Answer the sections named above in the application, then send it back to the provider.",
    "place_offered": "Talk to the person about the offer and tell the provider whether they accept it.",
}


class StatusNotAllowed(Conflict):
    """No action of the workflow moves the application from where it is to the status asked for."""

    def __init__(self, current: str, wanted: str):
        super().__init__(
            f"You cannot move an application from {WORKFLOW.label(current)} to {WORKFLOW.label(wanted)}",
            code="transition_not_allowed",
            field="status",
        )
        self.current, self.wanted = current, wanted


# Reading what the provider may do -------------------------------------------------------------------------


def status_options(referral: Referral) -> list[tuple[str, str, str]]:
    """(status, label, action) of every status the provider may move the application to now, in the
    workflow's order of statuses. Sending back requested information is the referrer's."""
    options = []
    for action in WORKFLOW.allowed_actions(referral.status):
        if action == Action.SEND_INFORMATION:
            continue
        to = WORKFLOW.next_status(referral.status, action)
        options.append((to, WORKFLOW.label(to), action))
    order = {code: i for i, code in enumerate(WORKFLOW.codes)}
    return sorted(options, key=lambda option: order[option[0]])


def details_for(referral: Referral, action: str) -> tuple[tuple[str, str], ...]:
    return detail_choices(action, referral.route.code if referral.route_id else None)


def action_to(referral: Referral, status: str) -> str:
    action = WORKFLOW.action_to(referral.status, status)
    if action is None or action == Action.SEND_INFORMATION or status not in WORKFLOW.codes:
        raise StatusNotAllowed(referral.status, status)
    return action


# Who hears about it ----------------------------------------------------------------------------------------


def referrer_contact(referral: Referral) -> tuple[str, str]:
    """(email, name) of whoever answers for the application now. An HDC application follows the person:
    their current offender manager, else the current prison's offender management unit, else whoever
    made it. Every other route: whoever made it."""
    creator = referral.created_by
    creator_contact = (creator.email, creator.get_full_name() or creator.username)
    if referral.route_id and referral.route.code == "hdc":
        manager = referral.offender_manager
        if manager is not None and manager.email:
            return manager.email, manager.get_full_name() or manager.username
        prison = referral.current_prison
        if prison is not None and prison.omu_email:
            return prison.omu_email, f"{prison.name} offender management unit"
    return creator_contact


def _email_referrer(template: str, referral: Referral, actor, **personalisation) -> str:
    to, name = referrer_contact(referral)
    send_email(
        template,
        to=to,
        personalisation={
            "name": name,
            "person_name": referral.person_name,
            "crn": referral.crn,
            "identifier": identifier(referral),
            "reference": referral.reference,
            "assessing_team": ASSESSING_TEAM[0].upper() + ASSESSING_TEAM[1:],
            "application_url": timeline.referral_url(referral, for_referrer=True),
            **personalisation,
        },
        service=referral.service,
        reference=f"referral:{referral.pk}",
        actor=actor,
    )
    return to


def _person_name(user) -> str:
    return user.get_full_name() or user.username


# Writes ---------------------------------------------------------------------------------------------------------


def _clean_details(referral: Referral, action: str, details: Iterable[str]) -> list[tuple[str, str]]:
    offered = dict(details_for(referral, action))
    chosen = list(dict.fromkeys(str(code) for code in details))
    unknown = [code for code in chosen if code not in offered]
    if unknown:
        raise DomainError("Select details from the list", field="details")
    if action in WORKFLOW.details_required and not chosen:
        what = "sections" if action == Action.REQUEST_INFORMATION else "reasons"
        raise DomainError(f"Select at least one of the {what}", field="details")
    order = list(offered)
    return sorted(((code, offered[code]) for code in chosen), key=lambda item: order.index(item[0]))


def update_status(
    user, referral_id, *, status: str, details: Iterable[str] = (), text: str = "", version: int | None = None
) -> Referral:
    """Move the application to `status`, with the details the workflow asks for: the referrer is
    emailed and a `status-updated` event is published. "More information requested" reopens the
    form's tasks of the sections named."""
    access.check_reach(user, referral_id, allowed=ASSESSORS)
    text = (text or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(f"The details must be {TEXT_MAX_LENGTH} characters or fewer", field="text")
    with transaction.atomic():
        referral = access.locked_application(user, referral_id, allowed=ASSESSORS)
        check_version(referral, version)
        action = action_to(referral, status)
        chosen = _clean_details(referral, action, details)
        payload = {"status_details": [code for code, _ in chosen], "labels": [label for _, label in chosen]}
        if action == Action.REQUEST_INFORMATION:
            route = referral.route.code if referral.route_id else None
            referral.reopened_tasks = sections.tasks_for(payload["status_details"], route)
            payload["reopened_tasks"] = list(referral.reopened_tasks)
        _, after, entry = lifecycle.transition(user, referral, action, text=text, details=payload)
        label = WORKFLOW.label(after)
        lines = [f"Details: {', '.join(payload['labels'])}." if chosen else "", text]
        entry.emailed_to = _email_referrer(
            "cas2_status_updated",
            referral,
            user,
            status=label,
            details="\n".join(line for line in lines if line),
            next_step=NEXT_STEPS.get(after, "You do not need to do anything now."),
        )
        entry.save(update_fields=["emailed_to"])
        publish(
            STATUS_UPDATED.name,
            service=referral.service,
            crn=referral.crn,
            noms_number=referral.noms_number,
            subject=referral,
            detail={
                "applicationId": str(referral.pk),
                "applicationUrl": timeline.referral_url(referral, for_referrer=False),
                "personReference": {"crn": referral.crn, "noms": referral.noms_number or None},
                "route": referral.route.code if referral.route_id else None,
                "cohort": {"code": referral.cohort.code, "name": referral.cohort.name} if referral.cohort_id else None,
                "newStatus": {
                    "code": after,
                    "label": label,
                    "details": [{"code": code, "label": lbl} for code, lbl in chosen],
                },
                "updatedBy": {"username": user.username, "name": _person_name(user), "email": user.email},
                "updatedAt": entry.created_at.isoformat(),
            },
            actor=user,
        )
    return referral


def record_assessment_details(
    user, referral_id, *, assessor_name: str, provider_reference: str, version: int | None
) -> Referral:
    """The provider's assessor's name and its own reference for the application, refused when someone
    changed them since the form was drawn."""
    access.check_reach(user, referral_id, allowed=ASSESSORS)
    assessor_name = (assessor_name or "").strip()
    provider_reference = (provider_reference or "").strip()
    if len(assessor_name) > ASSESSOR_NAME_MAX_LENGTH:
        raise DomainError(
            f"The assessor's name must be {ASSESSOR_NAME_MAX_LENGTH} characters or fewer", field="assessor_name"
        )
    if len(provider_reference) > PROVIDER_REFERENCE_MAX_LENGTH:
        raise DomainError(
            f"The reference must be {PROVIDER_REFERENCE_MAX_LENGTH} characters or fewer", field="provider_reference"
        )
    with transaction.atomic():
        referral = access.locked_application(user, referral_id, allowed=ASSESSORS)
        check_and_bump(referral, version)
        before = {"assessor_name": referral.assessor_name, "provider_reference": referral.provider_reference}
        referral.assessor_name = assessor_name
        referral.provider_reference = provider_reference
        referral.save(update_fields=["assessor_name", "provider_reference", "version", "updated_at"])
        audit.record_change(
            user,
            "referral.assessment_details_changed",
            referral,
            before=before,
            after={"assessor_name": assessor_name, "provider_reference": provider_reference},
            crn=referral.crn,
            service=referral.service,
        )
    return referral


def add_assessor_note(user, referral_id, text: str) -> TimelineEntry:
    """A note from the provider on the application's timeline, which the referrer sees and is emailed."""
    access.check_reach(user, referral_id, allowed=ASSESSORS)
    text = timeline.clean_note(text)
    with transaction.atomic():
        referral = access.locked_application(user, referral_id, allowed=ASSESSORS)
        entry = timeline.add_entry(
            referral,
            user,
            TimelineEntry.Kind.NOTE,
            author_kind=TimelineEntry.Author.ASSESSOR,
            text=text,
            visible_to_referrer=True,
        )
        entry.emailed_to = _email_referrer(
            "cas2_note_to_referrer", referral, user, author=_person_name(user), note=text
        )
        entry.save(update_fields=["emailed_to"])
        audit.record_change(
            user,
            "referral.note_added",
            referral,
            before=None,
            after={"to_referrer": True, "length": len(text)},
            crn=referral.crn,
            service=referral.service,
        )
    return entry
