"""Referrals in every review state, for the review tests.

`make_submitted` runs the whole referral through the services (slow: 54 pages); `copy_of` then
makes more submitted referrals from it with one insert each (for lists, sorting and pagination),
and `bring_to` moves a referral to a status through the review services, as an assessor would.
"""

from cas.people import access
from cas.referrals.cas3 import review
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral

S = ReferralStatus
_COPIED = ("id", "created_at", "updated_at", "version")


def copy_of(template: Referral, **overrides) -> Referral:
    fields = {f.name: getattr(template, f.name) for f in Referral._meta.concrete_fields if f.name not in _COPIED}
    fields.update(overrides)
    referral = Referral.objects.create(**fields)
    access.fetch([referral.crn])  # as the services do when a referral is made: the person is checked
    return referral


def first_reason():
    return review.active_rejection_reasons().first()


def bring_to(referral: Referral, status: str, assessor) -> Referral:
    """Move an unallocated referral to `status` through the services."""
    if status == S.UNALLOCATED:
        return referral
    if status == S.REJECTED:
        return review.reject(assessor, referral.pk, reason_id=first_reason().pk, withdrawal_requested=False)
    referral = review.allocate(assessor, referral.pk)
    if status == S.IN_REVIEW:
        return referral
    referral = review.accept(assessor, referral.pk)
    if status == S.READY_TO_PLACE:
        return referral
    return review.archive(assessor, referral.pk)
