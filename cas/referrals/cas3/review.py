"""Reviewing and assessing CAS3 referrals: the HPT's decisions, corrected dates and notes, and the
service level of each region's queue. Each is written on the referral's timeline (`timeline.py`).

Every status change goes through the shared engine's `lifecycle.transition()` on a locked row
(CAS3's table is `workflow.py`), with an audit record and a timeline entry in the same transaction (and an email to the referrer where they need to know), so
the web pages, the API and the booking code keep the same rules. Assessors act on their own region's
referrals only; reporters read every region's and change nothing. A referral outside the user's
region is "not found", and the refusal is audited.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cas.accounts.models import User
from cas.core import audit, clock
from cas.core.concurrency import check_and_bump
from cas.core.dates import long_date
from cas.core.errors import Conflict, DomainError
from cas.core.permissions import (
    Permission,
    can_access_region,
    check,
    has_permission,
    may_reach_service,
    role_service,
    rule_roles,
)
from cas.core.tiers import Service
from cas.events.domain_events import publish
from cas.events.notifications import send_email
from cas.people import services as people
from cas.people.ports import PersonNotFound
from cas.reference.models import ProbationRegion, ReferralRejectionReason
from cas.referrals import lifecycle, timeline
from cas.referrals.cas3.workflow import Action, Status
from cas.referrals.models import Referral, ReviewServiceLevel, TimelineEntry

ASSESS = Permission.REFERRAL_ASSESS
READ = Permission.REFERRAL_READ
S = Status
DETAILS_MAX_LENGTH = 2000

# The names consumers of `accommodation.cas3.assessment.updated` know these fields by.
EVENT_FIELD_NAMES = {"release_date": "releaseDate", "accommodation_required_from": "accommodationRequiredFromDate"}


class ReviewReferralNotFound(DomainError):
    def __init__(self):
        super().__init__(
            "Referral not found. Check the link, or it may belong to another region's queue.", code="not_found"
        )


# Reading ------------------------------------------------------------------------------------------------


def _queryset(lock: bool):
    queryset = Referral.objects.submitted().filter(service=Service.CAS3)
    if lock:
        return queryset.select_for_update(of=("self",))
    return queryset.select_related(
        "region", "pdu", "origin_region", "origin_pdu", "created_by", "allocated_to", "rejection_reason"
    )


def _checked(user, referral_id, *, permission: Permission) -> Referral:
    """Outside the write's transaction: region (a refusal stays recorded) and the person's access
    restrictions (which ask the probation case system, so never while a row is locked)."""
    referral = _for_review(user, referral_id, permission=permission)
    _check_person_access(user, referral.crn, "CAS3 review: change the referral")
    return referral


def _check_person_access(user, crn: str, purpose: str) -> None:
    """Refuse (PersonRestricted) people the case system restricts from the user. A CRN the case
    system no longer knows (a merged or deleted record) carries no restriction to enforce."""
    with contextlib.suppress(PersonNotFound):
        people.check_person_access(user, crn, purpose=purpose)


def _for_review(user, referral_id, *, permission: Permission, lock: bool = False) -> Referral:
    check(user, permission)
    try:
        referral = _queryset(lock).get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError, ValidationError):
        raise ReviewReferralNotFound() from None
    if not may_reach_service(user, permission, referral.service):
        audit.record_refusal(
            user, "referral.review_refused", crn=referral.crn, detail=f"referral {referral.pk} is of another tier"
        )
        raise ReviewReferralNotFound()
    if not can_access_region(user, referral.region_id):
        audit.record_refusal(
            user, "referral.review_refused", crn=referral.crn, detail=f"referral {referral.pk} is in another region"
        )
        raise ReviewReferralNotFound()
    return referral


def open_referral(user, referral_id, *, purpose: str = "CAS3 review: read the referral") -> Referral:
    """A referral to read: in the user's region (or any, for national users), the person not
    restricted from them. The view is audited like any view of a person's details."""
    referral = _for_review(user, referral_id, permission=READ)
    _check_person_access(user, referral.crn, purpose)  # PersonRestricted, UpstreamUnavailable
    audit.record_view(user, "referral.viewed", crn=referral.crn, subject_label=referral.person_name, detail=purpose)
    return referral


def may_review(user) -> bool:
    """Whether the user reads CAS3's review queue at all: its assessors and the national readers.
    Another tier's assessors hold the same permissions for their own tier only, and get nothing here."""
    return has_permission(user, READ) and may_reach_service(user, READ, Service.CAS3)


def can_assess(user, referral: Referral) -> bool:
    return (
        has_permission(user, ASSESS)
        and may_reach_service(user, ASSESS, referral.service)
        and can_access_region(user, referral.region_id)
    )


# Writing helpers ----------------------------------------------------------------------------------------


def _email_referrer(template: str, referral: Referral, actor, **personalisation) -> str:
    referrer = referral.created_by
    send_email(
        template,
        to=referrer.email,
        personalisation={
            "name": referrer.get_full_name() or referrer.username,
            "person_name": referral.person_name,
            "crn": referral.crn,
            "reference": referral.reference,
            "region": referral.region.name,
            "referral_url": timeline.referral_url(referral, for_referrer=True),
            **personalisation,
        },
        service=referral.service,
        reference=f"referral:{referral.pk}",
        actor=actor,
    )
    return referrer.email


def _act(user, referral_id, action: Action, change) -> Referral:
    """Lock the referral, check the region and the lifecycle, then let `change` set its fields."""
    _checked(user, referral_id, permission=ASSESS)
    with transaction.atomic():
        referral = _for_review(user, referral_id, permission=ASSESS, lock=True)
        lifecycle.next_status(referral, action)  # refuses before anything changes
        change(referral)
        return referral


# Decisions ------------------------------------------------------------------------------------------------


def assessors_for(referral: Referral) -> list:
    """Who may be allocated the referral: the active assessors of its region who assess its tier,
    by name. National users are not offered (they read every region's queue but review none)."""
    roles = [role for role in rule_roles(ASSESS) or () if role_service(role) == referral.service]
    users = (
        User.objects.filter(is_active=True, region_id=referral.region_id, role_assignments__role__in=roles)
        .select_related("region")
        .prefetch_related("role_assignments")
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [u for u in users if can_assess(u, referral)]


def allocation_choices(user, referral: Referral) -> list:
    """Whom the user may allocate the referral to: its region's assessors, and the user themselves
    (an assessor of the National region takes any region's referral, as before)."""
    choices = assessors_for(referral)
    if user.pk not in {u.pk for u in choices} and can_assess(user, referral):
        choices.insert(0, user)
    return choices


def _assessor(user, referral: Referral, assessor_id):
    key = str(assessor_id)
    wanted = int(key) if key.isascii() and key.isdigit() else None
    found = next((u for u in allocation_choices(user, referral) if u.pk == wanted), None)
    if found is None:
        raise DomainError("Select an assessor from the list", field="assessor")
    return found


def allocate(user, referral_id) -> Referral:
    """Take the referral: it is in review, allocated to the user (one already in review is
    reallocated with `allocate_to`)."""
    return _allocate(user, referral_id, user.pk, reallocate=False)


def allocate_to(user, referral_id, assessor_id) -> Referral:
    """Allocate the referral to an assessor of its region and tier (the user or a colleague). One in
    the queue or ready to place goes into review; one in review is reallocated and stays in review.
    The timeline entry says who allocated it to whom (and from whom, for a reallocation)."""
    return _allocate(user, referral_id, assessor_id, reallocate=True)


def _allocate(user, referral_id, assessor_id, *, reallocate: bool) -> Referral:
    _checked(user, referral_id, permission=ASSESS)
    with transaction.atomic():
        referral = _for_review(user, referral_id, permission=ASSESS, lock=True)
        action = Action.REALLOCATE if reallocate and referral.status == S.IN_REVIEW else Action.ALLOCATE
        lifecycle.next_status(referral, action)  # refuses before anything changes
        assessor = _assessor(user, referral, assessor_id)
        # Names (as the timeline shows them) and whether the user chose themselves: no user ids,
        # since the referrer reads these details too.
        details = {"allocated_to": timeline.author_name(assessor), "to_themselves": assessor.pk == user.pk}
        if action == Action.REALLOCATE:
            if referral.allocated_to_id == assessor.pk:
                raise DomainError(
                    f"The referral is already with {details['allocated_to']}. Select another assessor",
                    field="assessor",
                )
            if referral.allocated_to_id:
                details["was_allocated_to"] = timeline.author_name(referral.allocated_to)
                details["from_themselves"] = referral.allocated_to_id == user.pk
        referral.allocated_to = assessor
        referral.allocated_at = clock.now()
        if referral.status == S.READY_TO_PLACE:
            referral.decided_at = None
        lifecycle.transition(user, referral, action, details=details)
    return _reloaded(referral)


def unallocate(user, referral_id) -> Referral:
    def change(referral):
        previous = timeline.author_name(referral.allocated_to)
        referral.allocated_to = None
        referral.allocated_at = None
        lifecycle.transition(user, referral, Action.UNALLOCATE, details={"was_allocated_to": previous})

    return _reloaded(_act(user, referral_id, Action.UNALLOCATE, change))


def accept(user, referral_id) -> Referral:
    """Ready to place; the referrer is emailed."""

    def change(referral):
        referral.decided_at = clock.now()
        _, _, entry = lifecycle.transition(user, referral, Action.ACCEPT)
        entry.emailed_to = _email_referrer(
            "cas3_referral_accepted",
            referral,
            user,
            required_from=long_date(referral.accommodation_required_from, missing="not given"),
        )
        entry.save(update_fields=["emailed_to"])

    return _reloaded(_act(user, referral_id, Action.ACCEPT, change))


def active_rejection_reasons():
    return ReferralRejectionReason.objects.active().for_service(Service.CAS3).order_by("sort_order", "name")


def reject(user, referral_id, *, reason_id, details: str = "", withdrawal_requested: bool) -> Referral:
    """Reject with a reason from the active CAS3 list; the referrer is emailed the reason."""
    # ASCII digits only: isdigit() also takes "²", which the query's int() refuses.
    key = str(reason_id)
    reason = active_rejection_reasons().filter(pk=key).first() if key.isascii() and key.isdigit() else None
    if reason is None:
        raise DomainError("Select why you are rejecting this referral", field="reason")
    details = (details or "").strip()
    if len(details) > DETAILS_MAX_LENGTH:
        raise DomainError(f"Details must be {DETAILS_MAX_LENGTH} characters or fewer", field="details")
    if withdrawal_requested is None:
        raise DomainError(
            "Select whether the probation practitioner asked for the referral to be withdrawn",
            field="withdrawal_requested",
        )

    def change(referral):
        referral.rejection_reason = reason
        referral.rejection_details = details
        referral.withdrawal_requested = withdrawal_requested
        referral.decided_at = clock.now()
        _, _, entry = lifecycle.transition(
            user,
            referral,
            Action.REJECT,
            text=details,
            details={"reason": reason.name, "withdrawal_requested": withdrawal_requested},
        )
        entry.emailed_to = _email_referrer(
            "cas3_referral_rejected",
            referral,
            user,
            reason=reason.name,
            details=f"Details: {details}" if details else "",
            withdrawal=(
                "The HPT recorded that you asked for this referral to be withdrawn."
                if withdrawal_requested
                else "If the person still needs accommodation, you can make a new referral."
            ),
            hpt_email=referral.region.hpt_email or "their shared mailbox",
        )
        entry.save(update_fields=["emailed_to"])

    return _reloaded(_act(user, referral_id, Action.REJECT, change))


def archive(user, referral_id) -> Referral:
    def change(referral):
        lifecycle.transition(user, referral, Action.ARCHIVE)  # archived closes it (closed_at)

    return _reloaded(_act(user, referral_id, Action.ARCHIVE, change))


def reopen(user, referral_id) -> Referral:
    """An archived referral is ready to place again; a rejected one goes back to the unallocated queue."""

    def change(referral):
        if referral.status == S.REJECTED:
            referral.rejection_reason = None
            referral.rejection_details = ""
            referral.withdrawal_requested = None
            referral.decided_at = None
            referral.allocated_to = None
            referral.allocated_at = None
        lifecycle.transition(user, referral, Action.REOPEN)  # leaving archived clears closed_at

    return _reloaded(_act(user, referral_id, Action.REOPEN, change))


ACTIONS = {
    Action.ALLOCATE: allocate,
    Action.UNALLOCATE: unallocate,
    Action.ACCEPT: accept,
    Action.ARCHIVE: archive,
    Action.REOPEN: reopen,
}  # reject needs a reason: call `reject`


def _reloaded(referral: Referral) -> Referral:
    return _queryset(False).get(pk=referral.pk)


# Dates ------------------------------------------------------------------------------------------------------

# Corrections stay within a year back (people released a while ago) and about six months ahead.
EARLIEST_DAYS_BACK = 365
LATEST_DAYS_AHEAD = 183


def date_limits(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or clock.today()
    return today - dt.timedelta(days=EARLIEST_DAYS_BACK), today + dt.timedelta(days=LATEST_DAYS_AHEAD)


def change_dates(
    user, referral_id, *, release_date: dt.date, accommodation_required_from: dt.date, version: int | None = None
) -> Referral:
    """Correct the release date and the date accommodation is required from. Each changed date gets
    a timeline entry and an `accommodation.cas3.assessment.updated` event with its old and new value."""
    earliest, latest = date_limits()
    for field, value in (("release_date", release_date), ("accommodation_required_from", accommodation_required_from)):
        label = timeline.DATE_FIELDS[field]
        if value is None:
            raise DomainError(f"Enter the {label.lower()}", field=field)
        if value < earliest:
            raise DomainError(f"{label} must be on or after {long_date(earliest)}", field=field)
        if value > latest:
            raise DomainError(f"{label} must be on or before {long_date(latest)}", field=field)
    if accommodation_required_from < release_date:
        raise DomainError(
            "The date accommodation is required from must be the same as or after the release date",
            field="accommodation_required_from",
        )
    _checked(user, referral_id, permission=ASSESS)
    with transaction.atomic():
        referral = _for_review(user, referral_id, permission=ASSESS, lock=True)
        if referral.status not in (S.UNALLOCATED, S.IN_REVIEW, S.READY_TO_PLACE):
            raise Conflict(
                f"You cannot change the dates of a referral that is {referral.get_status_display().lower()}. "
                "Reopen it first.",
                code="closed",
            )
        new = {"release_date": release_date, "accommodation_required_from": accommodation_required_from}
        changed = {
            field: (getattr(referral, field), value)
            for field, value in new.items()
            if getattr(referral, field) != value
        }
        check_and_bump(referral, version)
        if not changed:
            return _reloaded(referral)
        for field, (_, value) in changed.items():
            setattr(referral, field, value)
        referral.save()
        audit.record_change(
            user,
            "referral.dates_changed",
            referral,
            before={field: str(old) if old else None for field, (old, _) in changed.items()},
            after={field: str(value) for field, (_, value) in changed.items()},
            crn=referral.crn,
            service=referral.service,
        )
        for field, (old, value) in changed.items():
            timeline.add_entry(
                referral,
                user,
                TimelineEntry.Kind.DATE,
                author_kind=TimelineEntry.Author.ASSESSOR,
                details={"field": field, "from": old.isoformat() if old else None, "to": value.isoformat()},
            )
            publish(
                "accommodation.cas3.assessment.updated",
                service=referral.service,
                crn=referral.crn,
                noms_number=referral.noms_number,
                subject=referral,
                detail={
                    "referralId": str(referral.pk),
                    "updatedField": EVENT_FIELD_NAMES[field],
                    "from": old.isoformat() if old else None,
                    "to": value.isoformat(),
                    "updatedBy": user.username,
                    "updatedAt": clock.now().isoformat(),
                },
                actor=user,
            )
    return _reloaded(referral)


# Notes --------------------------------------------------------------------------------------------------------


def add_note(user, referral_id, text: str, *, to_referrer: bool) -> TimelineEntry:
    """An assessor's note: kept with the HPT, or addressed to the referrer (who sees it and is emailed)."""
    text = timeline.clean_note(text)
    _checked(user, referral_id, permission=ASSESS)
    with transaction.atomic():
        referral = _for_review(user, referral_id, permission=ASSESS, lock=True)
        entry = timeline.add_entry(
            referral,
            user,
            TimelineEntry.Kind.NOTE,
            author_kind=TimelineEntry.Author.ASSESSOR,
            text=text,
            visible_to_referrer=to_referrer,
            details={"to_referrer": to_referrer},
        )
        if to_referrer:
            referral = _queryset(False).get(pk=referral.pk)
            entry.emailed_to = _email_referrer(
                "cas3_referral_note_to_referrer", referral, user, author=timeline.author_name(user), note=text
            )
            entry.save(update_fields=["emailed_to"])
        audit.record_change(
            user,
            "referral.note_added",
            referral,
            before=None,
            after={"to_referrer": to_referrer, "length": len(text)},
            crn=referral.crn,
            service=referral.service,
        )
    return entry


# Service levels ---------------------------------------------------------------------------------------------


def set_service_level(user, region: ProbationRegion, working_days: int, *, version: int | None = None):
    """Administrators set how many working days a region's HPT has to review a referral."""
    check(user, Permission.REFERENCE_MANAGE)
    if not isinstance(working_days, int) or not 1 <= working_days <= 30:
        raise DomainError("Enter a number of working days from 1 to 30", field="working_days")
    with transaction.atomic():
        level, _ = ReviewServiceLevel.objects.select_for_update().get_or_create(region=region)
        before = level.working_days
        check_and_bump(level, version)
        level.working_days = working_days
        level.updated_by = user
        level.save()
        audit.record_change(
            user,
            "review.service_level_changed",
            level,
            before={"working_days": before},
            after={"working_days": working_days},
        )
    return level
