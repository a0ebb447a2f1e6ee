"""Reads of the estate: lists, searches and the history of a property, scoped to the user's tiers and
region in one place so the web pages and the API see the same records. One property, bedspace, void
period or change by its id: `cas.premises.access`."""

import re

from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace, Upper

from cas.core import clock
from cas.core.models import AuditEvent
from cas.core.permissions import Permission, check, scope
from cas.premises.models import ArchiveChange, Bedspace, Premises, VoidPeriod
from cas.premises.status import (
    BedspaceStatus,
    PremisesStatus,
    bedspace_status_expression,
    bedspace_status_filter,
    premises_status_expression,
    premises_status_filter,
)

GROUPINGS = {"pdu": ("pdu__name", "reference"), "local_authority": ("local_authority__name", "reference")}


def scoped_premises(user) -> QuerySet[Premises]:
    """Every property the user may see: of their tiers, in their own region, or all for national roles."""
    check(user, Permission.ESTATE_VIEW)
    return scope(user, Permission.ESTATE_VIEW, Premises.objects.all())


def bedspaces_with_status(day):
    return Bedspace.objects.annotate(current_status=bedspace_status_expression(day)).prefetch_related("characteristics")


def search_filter(q: str) -> Q:
    """Reference, address or postcode. Commas separate parts of a full address, each of which must
    match; postcodes match with or without spaces."""
    condition = Q()
    for part in (p.strip() for p in q.split(",")):
        if not part:
            continue
        compact = re.sub(r"\s+", "", part).upper()
        term = (
            Q(reference__icontains=part)
            | Q(address_line1__icontains=part)
            | Q(address_line2__icontains=part)
            | Q(town__icontains=part)
            | Q(postcode_compact__contains=compact)
        )
        condition &= term
    return condition


def premises_list(user, *, status: str = PremisesStatus.ONLINE, q: str = "", group_by: str = "pdu", day=None):
    """Properties for a list page: filtered, searched, ordered for grouping, with bedspace counts.

    Three queries however long the page: the properties (with counts), their bedspaces, and the
    paginator's count."""
    day = day or clock.today()
    qs = scoped_premises(user).filter(premises_status_filter(status, day))
    qs = qs.annotate(postcode_compact=Replace(Upper("postcode"), Value(" "), Value("")))
    if q.strip():
        qs = qs.filter(search_filter(q[:200]))
    qs = qs.annotate(
        status_now=premises_status_expression(day),
        online_bedspaces=Count("bedspaces", filter=bedspace_status_filter(BedspaceStatus.ONLINE, day, "bedspaces__")),
        upcoming_bedspaces=Count(
            "bedspaces", filter=bedspace_status_filter(BedspaceStatus.UPCOMING, day, "bedspaces__")
        ),
        archived_bedspaces=Count(
            "bedspaces", filter=bedspace_status_filter(BedspaceStatus.ARCHIVED, day, "bedspaces__")
        ),
    )
    qs = qs.select_related("pdu", "region", "local_authority").prefetch_related(
        Prefetch("bedspaces", queryset=Bedspace.objects.annotate(current_status=bedspace_status_expression(day)))
    )
    ordering = GROUPINGS.get(group_by, GROUPINGS["pdu"])
    return qs.order_by(*ordering, "pk")


def status_counts(user, day=None) -> dict[str, int]:
    day = day or clock.today()
    base = scoped_premises(user)
    return {status: base.filter(premises_status_filter(status, day)).count() for status in PremisesStatus.values}


def premises_bedspaces(premises: Premises, day=None) -> list[Bedspace]:
    return list(bedspaces_with_status(day or clock.today()).filter(premises=premises).order_by("reference"))


def bedspace_counts(bedspaces: list[Bedspace]) -> dict[str, int]:
    counts = dict.fromkeys(BedspaceStatus.values, 0)
    for bedspace in bedspaces:
        counts[bedspace.current_status] += 1
    return counts


def voids_for(bedspace: Bedspace) -> list[VoidPeriod]:
    return list(
        VoidPeriod.objects.filter(bedspace=bedspace)
        .select_related("reason", "created_by", "cancelled_by")
        .order_by("-start_date", "-created_at")
    )


def archive_history(premises: Premises, bedspace: Bedspace | None = None) -> list[ArchiveChange]:
    """The archive and back-online history of a property (and its bedspaces), newest first."""
    changes = ArchiveChange.objects.filter(premises=premises).select_related("bedspace", "made_by", "cancelled_by")
    if bedspace is not None:
        changes = changes.filter(Q(bedspace=bedspace) | Q(bedspace__isnull=True))
    return list(changes.order_by("-created_at", "bedspace__reference"))


def pending_changes(premises: Premises, bedspace: Bedspace | None = None) -> list[ArchiveChange]:
    """Scheduled changes still ahead that the user asked for (and so may cancel)."""
    today = clock.today()
    changes = ArchiveChange.objects.filter(
        premises=premises, cancelled_at__isnull=True, effective_date__gt=today
    ).select_related("bedspace")
    if bedspace is not None:
        changes = changes.filter(bedspace=bedspace)
    else:
        changes = changes.filter(cause=ArchiveChange.Cause.REQUESTED)
    return list(changes.order_by("effective_date", "bedspace__reference"))


def change_history(premises: Premises, limit: int = 100) -> list[AuditEvent]:
    """Audit events for the property, its bedspaces and their void periods, newest first."""
    bedspace_ids = [str(pk) for pk in premises.bedspaces.values_list("pk", flat=True)]
    void_ids = [str(pk) for pk in VoidPeriod.objects.filter(bedspace__premises=premises).values_list("pk", flat=True)]
    condition = Q(subject_type=Premises._meta.label_lower, subject_id=str(premises.pk))
    if bedspace_ids:
        condition |= Q(subject_type=Bedspace._meta.label_lower, subject_id__in=bedspace_ids)
    if void_ids:
        condition |= Q(subject_type=VoidPeriod._meta.label_lower, subject_id__in=void_ids)
    return list(
        AuditEvent.objects.filter(condition, kind=AuditEvent.Kind.CHANGE)
        .select_related("actor")
        .order_by("-occurred_at", "-id")[:limit]
    )
