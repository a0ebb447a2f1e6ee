"""Reads of referrals that hold for every tier: the submitted referrals a user may read. A tier's own
lists and queues are in its package (CAS3's: `cas/referrals/cas3/queries.py`)."""

from cas.core.permissions import Permission, check, scope
from cas.referrals.models import Referral


def review_scope(user):
    """Every submitted referral the user may read: of their tiers, in their region (or all for
    national users)."""
    check(user, Permission.REFERRAL_READ)
    return scope(user, Permission.REFERRAL_READ, Referral.objects.submitted())
