"""Reads for the referrer's lists (one query each, no N+1)."""

from django.db.models import Count, Q

from cas.referrals.models import Referral

TAB_STATUSES = {
    "in-progress": (Referral.Status.DRAFT,),
    "submitted": Referral.SUBMITTED_STATUSES,
    "rejected": (Referral.Status.REJECTED,),
}


def referrer_referrals(user, tab: str):
    """The user's own referrals in one tab: drafts newest change first, others newest submission first."""
    queryset = Referral.objects.live().filter(created_by=user, status__in=TAB_STATUSES[tab])
    queryset = queryset.select_related("region", "pdu")
    if tab == "in-progress":
        return queryset.order_by("-updated_at")
    return queryset.order_by("-submitted_at")


def referrer_counts(user) -> dict[str, int]:
    totals = (
        Referral.objects.live()
        .filter(created_by=user)
        .aggregate(
            **{
                key.replace("-", "_"): Count("pk", filter=Q(status__in=statuses))
                for key, statuses in TAB_STATUSES.items()
            }
        )
    )
    return {key: totals[key.replace("-", "_")] for key in TAB_STATUSES}
