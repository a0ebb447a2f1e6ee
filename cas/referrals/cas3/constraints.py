"""Database rules that hold for CAS3 referrals only, conditioned on the tier so that another tier's
workflow (with statuses of its own) is not bound by them. `Referral.Meta.constraints` includes them."""

from django.db import models
from django.db.models import Q

CAS3 = Q(service="cas3")

REFERRAL_CONSTRAINTS = [
    models.CheckConstraint(
        condition=~CAS3 | ~Q(status="in_review") | Q(allocated_to__isnull=False),
        name="referral_in_review_is_allocated",
    ),
    models.CheckConstraint(
        condition=~CAS3 | ~Q(status="rejected") | Q(rejection_reason__isnull=False),
        name="referral_rejected_has_reason",
    ),
]
