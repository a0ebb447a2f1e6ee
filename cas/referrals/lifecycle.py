"""The referral workflow engine: it runs the transition table of the referral's own tier
(`cas.core.tiers.Workflow`, CAS3's in `cas/referrals/cas3/workflow.py`).

Every status change goes through `transition()` (called by services, which lock the referral): the
status, the version, the audit record and the timeline entry are written together, so the web pages,
the API and the booking rules cannot disagree about what is allowed. A tier's own review adds its
notes, fields and emails around these transitions; bookings use `booking_event()`, which takes the
action the tier declares for a booking confirmed or cancelled.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from cas.core import audit, clock, tiers
from cas.core.concurrency import check_and_bump
from cas.core.errors import Conflict, DomainError
from cas.core.permissions import Permission, can_access_region, check, may_reach_service
from cas.referrals import timeline
from cas.referrals.models import Referral, TimelineEntry


def workflow(referral: Referral) -> tiers.Workflow:
    return tiers.get(referral.service).workflow


class TransitionNotAllowed(Conflict):
    def __init__(self, referral: Referral, action: str):
        flow = workflow(referral)
        label = flow.label(referral.status).lower()
        what = flow.action_labels.get(action, str(action)).lower()
        super().__init__(f"You cannot {what} a referral that is {label}.", code="transition_not_allowed")
        self.status, self.action = referral.status, action


def allowed_actions(referral: Referral, *, include_system: bool = False) -> list[str]:
    return workflow(referral).allowed_actions(referral.status, include_system=include_system)


def next_status(referral: Referral, action: str) -> str:
    to = workflow(referral).next_status(referral.status, action)
    if to is None:
        raise TransitionNotAllowed(referral, action)
    return to


def apply(referral: Referral, action: str) -> tuple[str, str]:
    """Move a (locked) referral; returns (from, to). The caller saves, audits and notifies."""
    before = referral.status
    referral.status = next_status(referral, action)
    flow = workflow(referral)
    if flow.status(referral.status).closes:
        referral.closed_at = clock.now()
    elif flow.status(before).closes:
        referral.closed_at = None
    return before, referral.status


def transition(
    actor,
    referral: Referral,
    action: str,
    *,
    text: str = "",
    details: dict | None = None,
    system: bool = False,
    by_referrer: bool = False,
) -> tuple[str, str, TimelineEntry]:
    """Apply `action` to a locked referral: status, version, audit and timeline entry. `by_referrer`
    marks an action the workflow gives the referrer (sending back requested information)."""
    before, after = apply(referral, action)
    check_and_bump(referral, None)
    referral.save()
    audit.record_change(
        actor,
        f"referral.{action}",
        referral,
        before={"status": before},
        after={"status": after, **({"details": details} if details else {})},
        crn=referral.crn,
        service=referral.service,
    )
    entry = timeline.add_entry(
        referral,
        actor,
        TimelineEntry.Kind.STATUS,
        author_kind=(
            TimelineEntry.Author.SYSTEM
            if system and actor is None
            else TimelineEntry.Author.REFERRER
            if by_referrer
            else TimelineEntry.Author.ASSESSOR
        ),
        action=str(action),
        from_status=before,
        to_status=after,
        text=text,
        details=details or {},
    )
    return before, after, entry


class ReferralNotFound(DomainError):
    def __init__(self):
        super().__init__("Referral not found. Check the link, or it may not be one you can see.", code="not_found")


def _permission(referral: Referral, action: str) -> Permission:
    tier = tiers.get(referral.service)
    return Permission(tier.workflow.action_permissions.get(action, tier.assess_permission))


def take(user, referral_id, action: str, *, text: str = "") -> Referral:
    """A user takes `action` of the referral's tier's workflow: the permission the workflow names for
    it (the tier's assessing permission by default), in the referral's tier and region; a referral
    the user may not reach is "not found" (the refusal audited), as one that does not exist. A tier
    whose actions need more (fields, emails: CAS3's review) wraps `transition()` itself."""
    try:
        referral = Referral.objects.submitted().get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError, ValidationError):
        raise ReferralNotFound() from None
    permission = _permission(referral, action)
    check(user, permission)
    # Outside the write's transaction, so that the refusal stays recorded.
    if not may_reach_service(user, permission, referral.service) or not can_access_region(user, referral.region_id):
        audit.record_refusal(user, "referral.refused", crn=referral.crn, detail=f"referral {referral.pk}")
        raise ReferralNotFound()
    if action in workflow(referral).system_actions:
        raise TransitionNotAllowed(referral, action)
    with transaction.atomic():
        locked = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
        transition(user, locked, action, text=text)
    return locked


def can_be_booked(referral: Referral) -> bool:
    """Whether a booking may be linked to the referral: its tier's workflow lets a confirmed booking
    move it on from where it is now."""
    action = tiers.get(referral.service).booking_effects.get("confirmed")
    return action is not None and workflow(referral).next_status(referral.status, action) is not None


@transaction.atomic
def booking_event(referral: Referral, actor, event: str, details: dict | None = None) -> Referral:
    """What a booking does to its referral, as its tier declares (`Tier.booking_effects`): a confirmed
    booking closes a CAS3 referral, cancelling it puts the referral back to place. Called by the booking
    service inside its transaction, after it has checked who may change the booking. A cancellation of
    a booking that never moved the referral leaves it where it is. `details` go on the timeline entry
    (a confirmed booking's address and dates, which the referrer sees)."""
    action = tiers.get(referral.service).booking_effects.get(event)
    locked = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    if action is None or workflow(locked).next_status(locked.status, action) is None:
        if event == "confirmed" and action is not None:
            raise TransitionNotAllowed(locked, action)
        return locked
    transition(actor, locked, action, system=True, details=details)
    return locked
