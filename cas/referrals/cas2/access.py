"""Who may reach a CAS2 application, in one place: every page and endpoint that takes an
application's id calls `open_application` (or `locked_application` in a write).

- The provider's assessors: every submitted CAS2 application, in every region (one national queue),
  and nothing of another tier.
- Reporters (and anyone else who reads referrals across tiers): every submitted application, read only.
- Court bail and probation referrers: their own applications.
- Prison staff (prison bail and HDC referrers): their own, and the submitted applications of the
  prison they work in, where the person is now (an HDC application follows the person when they
  move prison).

An application the user may not reach is "not found", in the same words as one that does not exist,
and the refusal is audited; a restricted person is refused (`PersonRestricted`); a view is audited.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from cas.core import audit
from cas.core.errors import DomainError
from cas.core.permissions import Permission, has_permission, may_reach_service
from cas.core.tiers import Service
from cas.people import services as people
from cas.people.ports import PersonNotFound
from cas.referrals.cas2.tier import PRISON_REFERRERS
from cas.referrals.models import Referral

SERVICE = Service.CAS2


class ApplicationNotFound(DomainError):
    def __init__(self):
        super().__init__("Application not found. Check the link, or it may not be one you can see.", code="not_found")


class Reach(StrEnum):
    """How the user reaches an application: what they may do with it follows from this."""

    ASSESSOR = "assessor"  # the provider: assess and update
    READER = "reader"  # reporters: read only
    REFERRER = "referrer"  # the person who made it
    PRISON = "prison"  # prison staff of the prison the person is in now


def _base() -> QuerySet:
    return Referral.objects.live().filter(service=SERVICE)


def visible(user) -> QuerySet:
    """Every CAS2 application the user may see (drafts only their own), for lists and searches."""
    queryset = _base()
    if may_reach_service(user, Permission.REFERRAL_ASSESS, SERVICE) or may_reach_service(
        user, Permission.REFERRAL_READ, SERVICE
    ):
        return queryset.exclude(status="draft")
    if not may_reach_service(user, Permission.REFERRAL_MAKE, SERVICE):
        return queryset.none()
    own = Q(created_by=user)
    if user.role_set & PRISON_REFERRERS and user.prison_id:
        own |= Q(current_prison_id=user.prison_id) & ~Q(status="draft")
    return queryset.filter(own)


def reach(user, referral: Referral) -> Reach | None:
    """How `user` reaches `referral` (a CAS2 application), or None when they may not."""
    if referral.service != SERVICE or referral.deleted_at is not None:
        return None
    if not referral.is_draft:
        if may_reach_service(user, Permission.REFERRAL_ASSESS, SERVICE):
            return Reach.ASSESSOR
        if has_permission(user, Permission.REFERRAL_READ) and may_reach_service(
            user, Permission.REFERRAL_READ, SERVICE
        ):
            return Reach.READER
    if not may_reach_service(user, Permission.REFERRAL_MAKE, SERVICE):
        return None
    if referral.created_by_id == user.pk:
        return Reach.REFERRER
    if (
        not referral.is_draft
        and user.role_set & PRISON_REFERRERS
        and user.prison_id is not None
        and referral.current_prison_id == user.prison_id
    ):
        return Reach.PRISON
    return None


def _find(referral_id, *, lock: bool = False) -> Referral:
    queryset = _base().select_related(
        "route", "cohort", "region", "created_by", "referring_prison", "current_prison", "offender_manager"
    )
    if lock:
        queryset = Referral.objects.select_for_update(of=("self",)).filter(service=SERVICE, deleted_at__isnull=True)
    try:
        return queryset.get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError, ValidationError):  # ValidationError: not a UUID
        raise ApplicationNotFound() from None


def check_reach(user, referral_id, *, allowed: frozenset[Reach] | None = None) -> tuple[Referral, Reach]:
    """The application and how the user reaches it; "not found" (the refusal audited) otherwise, or
    when their reach is not one of `allowed`."""
    referral = _find(referral_id)
    how = reach(user, referral)
    if how is None or (allowed is not None and how not in allowed):
        audit.record_refusal(user, "referral.refused", crn=referral.crn, detail=f"CAS2 application {referral.pk}")
        raise ApplicationNotFound()
    return referral, how


def check_person(user, referral: Referral, purpose: str) -> None:
    """Refuse a person the case system restricts from the user (`PersonRestricted`). A CRN the case
    system no longer knows carries no restriction to enforce."""
    with contextlib.suppress(PersonNotFound):
        people.check_person_access(user, referral.crn, purpose=purpose)


def open_application(
    user, referral_id, *, purpose: str, allowed: frozenset[Reach] | None = None
) -> tuple[Referral, Reach]:
    """An application to read, with how the user reaches it: checked, the person's restrictions
    applied, and the view audited."""
    referral, how = check_reach(user, referral_id, allowed=allowed)
    check_person(user, referral, purpose)
    audit.record_view(user, "referral.viewed", crn=referral.crn, subject_label=referral.person_name, detail=purpose)
    return referral, how


def locked_application(user, referral_id, *, allowed: frozenset[Reach]) -> Referral:
    """Inside a write's transaction, after `check_reach` outside it (so a refusal stays recorded):
    the row locked, the reach checked again."""
    referral = _find(referral_id, lock=True)
    if reach(user, referral) not in allowed:
        raise ApplicationNotFound()
    return referral
