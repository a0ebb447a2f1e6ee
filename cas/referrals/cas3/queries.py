"""CAS3's reads: the referrer's lists and the HPT's review queue with its tabs, service levels and
flags, and the other open matters of a person (one query each, no N+1)."""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from cas.core import clock
from cas.core import working_days as working_days_module
from cas.core.permissions import has_national_scope
from cas.core.tiers import Service
from cas.people import access
from cas.referrals.cas3.workflow import SUBMITTED_STATUSES
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral, ReviewServiceLevel
from cas.referrals.queries import review_scope

TAB_STATUSES = {
    "in-progress": (ReferralStatus.DRAFT,),
    "submitted": SUBMITTED_STATUSES,
    "rejected": (ReferralStatus.REJECTED,),
}


def referrer_referrals(user, tab: str):
    """The user's own referrals in one tab: drafts newest change first, others newest submission first."""
    # CAS3's own: a user who also refers in another tier has those referrals on that tier's pages.
    queryset = Referral.objects.live().filter(service=Service.CAS3, created_by=user, status__in=TAB_STATUSES[tab])
    queryset = queryset.select_related("region", "pdu")
    if tab == "in-progress":
        return queryset.order_by("-updated_at")
    return queryset.order_by("-submitted_at")


def referrer_counts(user) -> dict[str, int]:
    totals = (
        Referral.objects.live()
        .filter(service=Service.CAS3, created_by=user)
        .aggregate(
            **{
                key.replace("-", "_"): Count("pk", filter=Q(status__in=statuses))
                for key, statuses in TAB_STATUSES.items()
            }
        )
    )
    return {key: totals[key.replace("-", "_")] for key in TAB_STATUSES}


# The HPT's review queue ------------------------------------------------------------------------------
#
# Assessors see their own region's referrals; reporters (and other national users) see every region's
# and may narrow to one. Searching narrows every tab, so the totals on the tabs always add up to the
# rows the tabs show.

QUEUE_TABS: dict[str, tuple[str, ...]] = {
    "unallocated": (ReferralStatus.UNALLOCATED,),
    "in-review": (ReferralStatus.IN_REVIEW,),
    "ready-to-place": (ReferralStatus.READY_TO_PLACE,),
    "archive": (ReferralStatus.ARCHIVED, ReferralStatus.REJECTED),
}
QUEUE_TAB_LABELS = {
    "unallocated": "Unallocated",
    "in-review": "In review",
    "ready-to-place": "Ready to place",
    "archive": "Archive",
}
OPEN_STATUSES = (ReferralStatus.UNALLOCATED, ReferralStatus.IN_REVIEW, ReferralStatus.READY_TO_PLACE)
AWAITING_DECISION = (ReferralStatus.UNALLOCATED, ReferralStatus.IN_REVIEW)
URGENT_WITHIN_DAYS = 7

# Sort keys (as in ?sort=key or ?sort=-key) and the columns they order by. "days-left" and
# "required" order the same way: fewer days left is an earlier date.
QUEUE_SORTS: dict[str, str] = {
    # The name as the user sees it: a person they may not see sorts as "Limited access".
    "name": "shown_name",
    "crn": "crn",
    "pdu": "pdu__name",
    "received": "submitted_at",
    "release": "release_date",
    "required": "accommodation_required_from",
    "days-left": "accommodation_required_from",
    "status": "status",
}
DEFAULT_SORT = {"archive": "-received"}
DEFAULT_OPEN_SORT = "days-left"
CRN_PATTERN = re.compile(r"^[A-Za-z][0-9]{6}$")


def default_sort(tab: str) -> str:
    return DEFAULT_SORT.get(tab, DEFAULT_OPEN_SORT)


def clean_sort(tab: str, sort: str | None) -> str:
    key = (sort or "").lstrip("-")
    if key not in QUEUE_SORTS or (key == "status" and tab != "archive"):
        return default_sort(tab)
    return sort


def search_filter(q: str, user) -> Q:
    """A CRN (exactly, in any case) or a name: every word must be part of the name of a person the user
    may see (a name search must not confirm who a "Limited access" row is)."""
    q = q.strip()[:100]
    if not q:
        return Q()
    if CRN_PATTERN.match(q):
        return Q(crn=q.upper())
    condition = access.visible_q(user)
    for word in q.split():
        condition &= Q(person_name__icontains=word)
    return condition


def regions_filter(user, region_code: str | None) -> Q:
    """National users may narrow the queue to one region; everyone else is scoped already."""
    if region_code and has_national_scope(user):
        return Q(region__delius_code=region_code)
    return Q()


ARCHIVE_TAB = "archive"
QUEUE_COUNT_LIMIT = 1000
QUEUE_UNREAD = ("answers", "form_notices", "document", "risk_snapshot", "prison_snapshot")


@dataclass
class Queue:
    tab: str
    sort: str
    q: str
    region_code: str
    referrals: object  # a queryset, ordered, for the paginator
    totals: dict[str, int]
    # Tabs whose total was counted only up to QUEUE_COUNT_LIMIT (the total is then the limit, and
    # there are more): the archive, while another tab is shown.
    capped: frozenset[str] = frozenset()

    def total_text(self, tab: str) -> str:
        return f"{self.totals[tab]:,}+" if tab in self.capped else f"{self.totals[tab]:,}"


def review_queue(user, tab: str, *, q: str = "", sort: str | None = None, region_code: str = "") -> Queue:
    if tab not in QUEUE_TABS:
        raise ValueError(f"Unknown tab {tab!r}")
    base = review_scope(user).filter(search_filter(q, user), regions_filter(user, region_code))
    sort = clean_sort(tab, sort)
    column = QUEUE_SORTS[sort.lstrip("-")]
    expression = F(column).desc(nulls_last=True) if sort.startswith("-") else F(column).asc(nulls_last=True)
    # Ties are broken by arrival and then the key, so pages never repeat or skip a referral.
    listed = base.filter(status__in=QUEUE_TABS[tab])
    if column == "shown_name":
        listed = listed.annotate(shown_name=access.masked(user, "person_name"))
    referrals = (
        listed
        # The rejection reason shows in the archive only; each join costs planning time.
        .select_related("region", "pdu", "allocated_to", *(["rejection_reason"] if tab == ARCHIVE_TAB else []))
        # The queue shows none of the referral's documents: reading and decoding them (the
        # answers alone are kilobytes of JSON per referral) was most of the page's database time.
        .defer(*QUEUE_UNREAD)
        .order_by(expression, "submitted_at", "pk")
    )
    # The open tabs are counted exactly, in one query over the open referrals only. The archive
    # grows with every year of history: it is counted exactly when it is the tab shown, and
    # otherwise only up to QUEUE_COUNT_LIMIT, so the queue costs the same after ten years as after one.
    open_tabs = {key: statuses for key, statuses in QUEUE_TABS.items() if key != ARCHIVE_TAB}
    counted = base.filter(status__in=[s for statuses in open_tabs.values() for s in statuses]).aggregate(
        **{key.replace("-", "_"): Count("pk", filter=Q(status__in=statuses)) for key, statuses in open_tabs.items()}
    )
    totals = {key: counted[key.replace("-", "_")] for key in open_tabs}
    archive = base.filter(status__in=QUEUE_TABS[ARCHIVE_TAB]).order_by()
    capped: frozenset[str] = frozenset()
    if tab == ARCHIVE_TAB:
        totals[ARCHIVE_TAB] = archive.count()
    else:
        totals[ARCHIVE_TAB] = archive[: QUEUE_COUNT_LIMIT + 1].count()
        if totals[ARCHIVE_TAB] > QUEUE_COUNT_LIMIT:
            totals[ARCHIVE_TAB], capped = QUEUE_COUNT_LIMIT, frozenset({ARCHIVE_TAB})
    return Queue(
        tab=tab,
        sort=sort,
        q=q.strip()[:100],
        region_code=region_code if has_national_scope(user) else "",
        referrals=referrals,
        totals={key: totals[key] for key in QUEUE_TABS},
        capped=capped,
    )


# Service levels, urgency and overdue reviews ----------------------------------------------------------


def service_levels() -> dict[int, int]:
    """Working days each region's HPT has to review a referral; regions without a setting use the default."""
    levels = dict(ReviewServiceLevel.objects.values_list("region_id", "working_days"))
    return defaultdict(lambda: ReviewServiceLevel.DEFAULT_WORKING_DAYS, levels)


def service_level_for(region) -> int:
    level = ReviewServiceLevel.objects.filter(region=region).values_list("working_days", flat=True).first()
    return level or ReviewServiceLevel.DEFAULT_WORKING_DAYS


def review_due_on(submitted_at, working_days: int) -> dt.date:
    """The last day of the review: `working_days` working days after the day it arrived."""
    return working_days_module.add_working_days(timezone.localtime(submitted_at).date(), working_days)


def earliest_on_time_arrival(working_days: int, today: dt.date) -> dt.date:
    """Referrals that arrived before this day and are still waiting for a decision are overdue."""
    day = today
    while working_days_module.add_working_days(day - dt.timedelta(days=1), working_days) >= today:
        day -= dt.timedelta(days=1)
    return day


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def overdue_filter(levels: dict[int, int], region_ids, today: dt.date) -> Q:
    """Waiting for a decision after their region's service level, as a filter (for counts)."""
    condition = Q(pk__in=[])
    for region_id in region_ids:
        cutoff = earliest_on_time_arrival(levels[region_id], today)
        condition |= Q(region_id=region_id, submitted_at__lt=_local_midnight(cutoff))
    return Q(status__in=AWAITING_DECISION) & condition


def urgent_filter(today: dt.date) -> Q:
    return Q(status__in=OPEN_STATUSES, accommodation_required_from__lte=today + dt.timedelta(days=URGENT_WITHIN_DAYS))


@dataclass(frozen=True)
class Flags:
    """What the queue and the referral page say about timing."""

    days_left: int | None  # until accommodation is needed; negative once the date has passed
    urgent: bool
    review_due_on: dt.date | None
    overdue: bool
    service_level: int


def flags_for(referral: Referral, levels: dict[int, int] | None = None, today: dt.date | None = None) -> Flags:
    today = today or clock.today()
    level = (levels if levels is not None else service_levels())[referral.region_id]
    required = referral.accommodation_required_from
    days_left = (required - today).days if required else None
    is_open = referral.status in OPEN_STATUSES
    due = review_due_on(referral.submitted_at, level) if referral.submitted_at else None
    return Flags(
        days_left=days_left,
        urgent=bool(is_open and days_left is not None and days_left <= URGENT_WITHIN_DAYS),
        review_due_on=due,
        overdue=bool(referral.status in AWAITING_DECISION and due and today > due),
        service_level=level,
    )


def attention_counts(user, today: dt.date | None = None) -> dict[str, int]:
    """For the assessor's home page: how many referrals wait, and how many are urgent or overdue."""
    today = today or clock.today()
    base = review_scope(user)
    region_ids = list(base.filter(status__in=AWAITING_DECISION).values_list("region_id", flat=True).distinct())
    return base.aggregate(
        unallocated=Count("pk", filter=Q(status=ReferralStatus.UNALLOCATED)),
        in_review=Count("pk", filter=Q(status=ReferralStatus.IN_REVIEW)),
        ready_to_place=Count("pk", filter=Q(status=ReferralStatus.READY_TO_PLACE)),
        urgent=Count("pk", filter=urgent_filter(today)),
        overdue=Count("pk", filter=overdue_filter(service_levels(), region_ids, today)),
    )


# One referral: duplicates and the timeline -------------------------------------------------------------


@dataclass(frozen=True)
class OpenMatter:
    """Something else open for the same person: another referral, or (once bookings exist) a booking."""

    kind: str  # "referral" or "booking"
    label: str
    region: str
    status: str
    since: dt.datetime | dt.date | None
    pk: object
    region_id: int


def _other_open_referrals(referral: Referral) -> list[OpenMatter]:
    others = (
        Referral.objects.submitted()
        .filter(crn=referral.crn, status__in=OPEN_STATUSES)
        .exclude(pk=referral.pk)
        .select_related("region")
        .order_by("submitted_at")
    )
    return [
        OpenMatter(
            kind="referral",
            label=f"{other.get_service_display().split(':')[0]} referral {other.reference}",
            region=other.region.name,
            status=other.get_status_display(),
            since=other.submitted_at,
            pk=other.pk,
            region_id=other.region_id,
        )
        for other in others
    ]


# Each source lists the open matters for a referral's person in every region. Bookings add theirs
# with `register_open_matter_source` (from their app's ready()), so the warning is written once.
OPEN_MATTER_SOURCES: list[Callable[[Referral], list[OpenMatter]]] = [_other_open_referrals]


def register_open_matter_source(source: Callable[[Referral], list[OpenMatter]]) -> None:
    if source not in OPEN_MATTER_SOURCES:
        OPEN_MATTER_SOURCES.append(source)


def duplicates(referral: Referral) -> list[OpenMatter]:
    """Every other open referral or booking for the same CRN, in any region."""
    return [matter for source in OPEN_MATTER_SOURCES for matter in source(referral)]
