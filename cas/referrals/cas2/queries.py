"""The provider's national queue of CAS2 applications: tabs by status, search, filters, sorting,
urgency and the overdue flag. Pages and the API read it the same way.

Every row comes through `access.visible(user)`, so the queue holds exactly the applications the
user may open. It filters on (service, status) and orders by arrival, which the
`referral_national_queue` index answers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from cas.core import clock
from cas.core.permissions import Permission, has_permission, may_reach_service
from cas.people import access as people_access
from cas.referrals.cas2 import access, service_levels
from cas.referrals.cas2.workflow import CLOSED, IN_PROGRESS, PLACED, WORKFLOW
from cas.referrals.cas2.workflow import Status as S
from cas.referrals.models import Referral

TABS: dict[str, tuple[str, ...]] = {
    "new": (S.RECEIVED,),
    "in-progress": tuple(s for s in IN_PROGRESS if s != S.RECEIVED),
    "placed": PLACED,
    "closed": CLOSED,
}
TAB_LABELS = {"new": "New", "in-progress": "In progress", "placed": "Placed", "closed": "Closed"}
# Statuses in which the provider still owes a decision: the service level applies to these.
AWAITING_PROVIDER = (S.RECEIVED, S.MORE_INFO_REQUESTED)
SORTS = {
    "submitted": "submitted_at",
    "urgency": "urgency_on",
    "name": "shown_name",
}
DEFAULT_SORT = "submitted"
CRN_PATTERN = re.compile(r"^[A-Za-z]\d{6}$")
PRISON_NUMBER_PATTERN = re.compile(r"^[A-Za-z]\d{4}[A-Za-z]{2}$")
QUEUE_UNREAD = ("answers", "form_notices", "document", "risk_snapshot", "prison_snapshot")
SEXES = ("Male", "Female")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    route: str = ""
    cohort: str = ""
    region: str = ""  # a probation region's Delius code
    sex: str = ""
    status: str = ""  # one status of the tab shown (the in-progress tab has several)

    def clean(self, tab: str) -> Filters:
        return Filters(
            q=(self.q or "").strip()[:100],
            route=(self.route or "")[:30],
            cohort=(self.cohort or "")[:30],
            region=(self.region or "")[:10],
            sex=self.sex if self.sex in SEXES else "",
            status=self.status if self.status in TABS.get(tab, ()) else "",
        )


@dataclass
class Queue:
    tab: str
    sort: str
    filters: Filters
    referrals: object  # an ordered queryset, for the paginator
    totals: dict[str, int] = field(default_factory=dict)


def may_use_queue(user) -> bool:
    """The provider's assessors and the national readers (reporters); no other tier's users."""
    return any(
        has_permission(user, permission) and may_reach_service(user, permission, access.SERVICE)
        for permission in (Permission.REFERRAL_ASSESS, Permission.REFERRAL_READ)
    )


def may_assess(user) -> bool:
    return has_permission(user, Permission.REFERRAL_ASSESS) and may_reach_service(
        user, Permission.REFERRAL_ASSESS, access.SERVICE
    )


def search_filter(q: str, user) -> Q:
    """A CRN or a prison number (exactly, any case), or words of the name of a person the user may
    see (a name search must not confirm who a "Limited access" row is)."""
    q = q.strip()[:100]
    if not q:
        return Q()
    if CRN_PATTERN.match(q):
        return Q(crn=q.upper())
    if PRISON_NUMBER_PATTERN.match(q):
        return Q(noms_number=q.upper())
    condition = people_access.visible_q(user)
    for word in q.split():
        condition &= Q(person_name__icontains=word)
    return condition


def _filters(filters: Filters) -> Q:
    condition = Q()
    if filters.route:
        condition &= Q(route__code=filters.route)
    if filters.cohort:
        condition &= Q(cohort__code=filters.cohort)
    if filters.region:
        condition &= Q(region__delius_code=filters.region)
    if filters.sex:
        condition &= Q(sex=filters.sex)
    return condition


def clean_sort(sort: str | None) -> str:
    key = (sort or "").lstrip("-")
    return sort if key in SORTS else DEFAULT_SORT


def queue(user, tab: str, filters: Filters | None = None, *, sort: str | None = None) -> Queue:
    """One tab of the queue, searched, filtered and sorted, with the totals every tab then shows."""
    if tab not in TABS:
        raise ValueError(f"Unknown tab {tab!r}")
    filters = (filters or Filters()).clean(tab)
    base = access.visible(user).filter(search_filter(filters.q, user), _filters(filters))
    sort = clean_sort(sort)
    column = SORTS[sort.lstrip("-")]
    expression = F(column).desc(nulls_last=True) if sort.startswith("-") else F(column).asc(nulls_last=True)
    listed = base.filter(status__in=[filters.status] if filters.status else TABS[tab])
    if column == "shown_name":
        listed = listed.annotate(shown_name=people_access.masked(user, "person_name"))
    if column == "urgency_on":
        # Only the dates of the application's own route are set (the form asks each route its own).
        listed = listed.annotate(
            urgency_on=Coalesce("bail_hearing_date", "hdc_eligibility_date", "conditional_release_date")
        )
    referrals = (
        listed.select_related("route", "cohort", "region", "current_prison", "created_by")
        .defer(*QUEUE_UNREAD)
        # Ties by arrival, then the key, so pages never repeat or skip an application.
        .order_by(expression, "submitted_at", "pk")
    )
    counted = base.aggregate(
        **{key.replace("-", "_"): Count("pk", filter=Q(status__in=statuses)) for key, statuses in TABS.items()}
    )
    return Queue(
        tab=tab,
        sort=sort,
        filters=filters,
        referrals=referrals,
        totals={key: counted[key.replace("-", "_")] for key in TABS},
    )


# Urgency and the service level -------------------------------------------------------------------------


@dataclass(frozen=True)
class Urgency:
    label: str  # what the date is
    on: dt.date | None


def urgency(referral: Referral) -> Urgency:
    """The date that makes the application urgent, by its route: the bail hearing, the HDC
    eligibility date (or the conditional release date), or for the other cohorts its submission."""
    route = referral.route.code if referral.route_id else ""
    if route in ("court_bail", "prison_bail"):
        return Urgency("Bail hearing", referral.bail_hearing_date)
    if route == "hdc":
        if referral.hdc_eligibility_date:
            return Urgency("HDC eligibility date", referral.hdc_eligibility_date)
        return Urgency("Conditional release date", referral.conditional_release_date)
    submitted = timezone.localtime(referral.submitted_at).date() if referral.submitted_at else None
    return Urgency("Submitted", submitted)


def due_at(referral: Referral) -> dt.datetime | None:
    if not referral.submitted_at:
        return None
    return service_levels.due_at(referral.submitted_at, referral.cohort)


def is_overdue(referral: Referral, now: dt.datetime | None = None) -> bool:
    """The cohort's service level has passed while the provider still owes a decision."""
    return referral.status in AWAITING_PROVIDER and service_levels.is_overdue(
        referral.submitted_at, referral.cohort, now or clock.now()
    )


def status_label(code: str) -> str:
    return WORKFLOW.label(code)
