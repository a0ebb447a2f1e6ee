"""What the review pages show about a referral, worked out once for the queue, the referral pages
and the print version."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html

from cas.core import clock
from cas.core.dates import long_date
from cas.core.permissions import Permission, can_access_region, has_permission, may_reach_service
from cas.placements import queries as placement_queries
from cas.referrals import timeline
from cas.referrals.cas3 import queries, review
from cas.referrals.cas3.workflow import WORKFLOW, Action
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.lifecycle import allowed_actions, can_be_booked
from cas.referrals.models import Referral, TimelineEntry
from cas.web.govuk import format_date

STATUS_COLOURS = {
    "unallocated": "purple",
    "in_review": "orange",
    "ready_to_place": "green",
    "archived": "grey",
    "rejected": "red",
}
ROSH_GROUPS = (
    ("children", "Risk to children"),
    ("public", "Risk to the public"),
    ("known_adult", "Risk to a known adult"),
    ("staff", "Risk to staff"),
)
PLACEMENT_FLAGS = (
    ("is_registered_sex_offender", "Registered sex offender"),
    ("has_history_of_sexual_offence", "History of sexual offences"),
    ("has_concerning_sexual_behaviour", "Concerns about sexual behaviour"),
    ("has_history_of_arson", "History of arson"),
    ("has_concerning_arson_behaviour", "Concerns about arson"),
    ("needs_accessible_property", "Needs an accessible property"),
    ("has_risk_to_self_concerns", "Risk to self (self-harm or suicide)"),
    ("is_able_to_share", "Suitable to share a property"),
)
# Flags that need attention when the answer is yes (sharing needs attention when the answer is no).
ATTENTION_WHEN = {name: True for name, _ in PLACEMENT_FLAGS} | {"is_able_to_share": False}
# Buttons on the referral page, in this order; reject has its own page.
BUTTON_ORDER = (Action.ALLOCATE, Action.ACCEPT, Action.UNALLOCATE, Action.ARCHIVE, Action.REOPEN)
ACTION_SLUGS = {action.value: action for action in BUTTON_ORDER}
ACTION_BUTTONS = {
    Action.ALLOCATE: "Take this referral",
    Action.ACCEPT: "Accept: ready to place",
    Action.UNALLOCATE: "Return to unallocated",
    Action.ARCHIVE: "Archive",
    Action.REOPEN: "Reopen",
}
ACTION_DONE = {
    Action.ALLOCATE: "You have taken the referral for {name}. It is now in review",
    Action.ACCEPT: "Referral for {name} accepted: it is ready to place. We have emailed {referrer}",
    Action.UNALLOCATE: "Referral for {name} returned to the unallocated queue",
    Action.ARCHIVE: "Referral for {name} archived",
    Action.REOPEN: "Referral for {name} reopened: it is now {status}",
}
ACTION_QUESTIONS = {
    Action.ALLOCATE: "Take this referral for review?",
    Action.ACCEPT: "Accept this referral and mark it ready to place?",
    Action.UNALLOCATE: "Return this referral to the unallocated queue?",
    Action.ARCHIVE: "Archive this referral?",
    Action.REOPEN: "Reopen this referral?",
}
ACTION_EXPLANATIONS = {
    Action.ALLOCATE: "You will be shown as the assessor reviewing it.",
    Action.ACCEPT: "We will email the probation practitioner to tell them it has been accepted.",
    Action.UNALLOCATE: "Another assessor in your team can then take it.",
    Action.ARCHIVE: "Archive a referral that no longer needs a bedspace. You can reopen it later.",
    Action.REOPEN: "An archived referral becomes ready to place again; a rejected one goes back to the "
    "unallocated queue.",
}


def yes_no(value) -> str:
    if value is None:
        return "Not known"
    return "Yes" if value else "No"


def status_badge(referral: Referral) -> tuple[str, str]:
    return referral.get_status_display(), STATUS_COLOURS.get(referral.status, "")


def days_left_text(days_left: int | None) -> str:
    if days_left is None:
        return "Not known"
    if days_left == 0:
        return "Needed today"
    if days_left < 0:
        return f"Needed {-days_left} day{'s' if days_left != -1 else ''} ago"
    return f"{days_left} day{'s' if days_left != 1 else ''}"


def badge(text: str, colour: str = "") -> str:
    """MoJ Frontend's badge, as `components/moj.html`'s `badge` macro writes it."""
    return format_html('<strong class="moj-badge{}">{}</strong>', f" moj-badge--{colour}" if colour else "", text)


@dataclass
class QueueRow:
    referral: Referral
    flags: queries.Flags

    @property
    def days_left(self) -> str:
        return days_left_text(self.flags.days_left)

    def cells(self, *, show_region: bool, archive: bool) -> list[dict]:
        """The row's cells for `govuk_table`, built here rather than in the template: a Jinja block
        per cell for 25 rows was most of the queue page's own rendering time."""
        r, flags = self.referral, self.flags
        name = format_html(
            '<a class="govuk-link govuk-!-font-weight-bold" href="{}">{}</a><br><span class="govuk-body-s">{}</span>',
            reverse("web:review-referral", args=[r.pk]),
            r.person_name,
            r.crn,
        )
        if r.status == ReferralStatus.IN_REVIEW and r.allocated_to:
            who = r.allocated_to.get_full_name() or r.allocated_to.username
            name += format_html('<br><span class="govuk-body-s">With {}</span>', who)
        if show_region:
            name += format_html('<br><span class="govuk-body-s">{}</span>', r.region.name)
        received = format_html("{}", format_date(r.submitted_at))
        if flags.overdue:
            received += format_html(
                '<br>{}<br><span class="govuk-body-s">Due by {}</span>',
                badge("Review overdue", "red"),
                format_date(flags.review_due_on),
            )
        days = format_html("{}", self.days_left)
        if flags.urgent:
            days += format_html("<br>{}", badge("Urgent", "red"))
        closed = r.status in queries.QUEUE_TABS[queries.ARCHIVE_TAB]
        cells = [
            {"html": name},
            {"text": r.pdu.name if r.pdu else "Not given"},
            {"html": received},
            {"text": format_date(r.release_date) or "Not given"},
            {"text": format_date(r.accommodation_required_from) or "Not given"},
            {"html": "Closed" if closed else days},
        ]
        if archive:
            status = badge(r.get_status_display(), "red" if r.status == ReferralStatus.REJECTED else "grey")
            if r.rejection_reason:
                status += format_html(" {}", r.rejection_reason.name)
            cells.append({"html": status})
        return cells


def risk_rows(referral: Referral) -> list[tuple[str, str]]:
    snapshot = referral.risk_snapshot or {}
    rosh = snapshot.get("rosh") or {}
    rows = [("Overall risk of serious harm (RoSH)", referral.rosh_level or "Not known")]
    rows += [(label, rosh.get(key) or "Not known") for key, label in ROSH_GROUPS]
    rows.append(("MAPPA", referral.mappa or "Not managed under MAPPA, or not known"))
    rows.append(("Tier", referral.tier or "Not known"))
    flags = snapshot.get("flags") or []
    rows.append(("Risk flags", ", ".join(flags) if flags else "None"))
    rows.append(
        (
            "Risk assessment (OASys) completed",
            long_date(referral.risk_assessment_completed_on)
            if referral.risk_assessment_completed_on
            else "No risk assessment",
        )
    )
    return rows


def placement_flags(referral: Referral) -> list[dict]:
    flags = []
    for name, label in PLACEMENT_FLAGS:
        value = getattr(referral, name)
        flags.append({"label": label, "value": yes_no(value), "attention": value is ATTENTION_WHEN[name]})
    return flags


def person_rows(referral: Referral) -> list[tuple[str, str]]:
    return [
        ("Name", referral.person_name),
        ("CRN", referral.crn),
        ("Date of birth", long_date(referral.date_of_birth, missing="Not known")),
        ("Sex", referral.sex or "Not known"),
        ("Gender identity", referral.gender_identity or "Not known"),
        ("Ethnicity", referral.ethnicity or "Not known"),
        ("PNC number", referral.pnc_number or "None"),
        ("Prison number", referral.noms_number or "None"),
        ("Prison when the referral was started", referral.prison_name_on_creation or "Not in prison"),
        ("Index offence", referral.offence_description or "Not known"),
    ]


def duplicate_items(user, referral: Referral) -> list[dict]:
    items = []
    for matter in queries.duplicates(referral):
        href = None
        if matter.kind == "referral" and can_access_region(user, matter.region_id):
            href = reverse("web:review-referral", args=[matter.pk])
        items.append({"matter": matter, "href": href})
    return items


def action_buttons(user, referral: Referral) -> list[dict]:
    if not review.can_assess(user, referral):
        return []
    allowed = set(allowed_actions(referral))
    buttons = [
        {
            "action": action.value,
            "text": ACTION_BUTTONS[action],
            "href": reverse("web:review-referral-action", args=[referral.pk, action.value]),
        }
        for action in BUTTON_ORDER
        if action in allowed
    ]
    return buttons


def can_reject(user, referral: Referral) -> bool:
    return review.can_assess(user, referral) and Action.REJECT in allowed_actions(referral)


def can_allocate(user, referral: Referral) -> bool:
    allowed = allowed_actions(referral)
    return review.can_assess(user, referral) and (Action.ALLOCATE in allowed or Action.REALLOCATE in allowed)


def allocation_refusal(referral: Referral) -> str:
    return (
        f"You cannot allocate a referral that is {referral.get_status_display().lower()}. "
        "Reopen it first if it needs reviewing again."
    )


def _may(user, permission: Permission, referral: Referral) -> bool:
    return (
        has_permission(user, permission)
        and may_reach_service(user, permission, referral.service)
        and can_access_region(user, referral.region_id)
    )


def booking_links(user, referral: Referral) -> list[dict]:
    """The referral's bookings, newest first, for a user who may see bookings."""
    if not _may(user, Permission.BOOKINGS_VIEW, referral):
        return []
    today = clock.today()
    return [
        {
            "href": reverse("web:booking-detail", args=[b.pk]),
            "text": f"{b.premises.reference}, bedspace {b.bedspace.reference}, from {long_date(b.arrival_date)}",
            "status": b.status_on(today).label,
        }
        for b in placement_queries.bookings_for_referral(referral)
    ]


def actions_panel(user, referral: Referral) -> dict:
    """What the user can do to the referral, shown on every tab of its page: the workflow's buttons,
    allocating to a colleague, rejecting, finding a bedspace once it is ready to place, and its
    bookings."""
    allocate = None
    if can_allocate(user, referral):
        reallocating = referral.status == ReferralStatus.IN_REVIEW
        allocate = {
            "href": reverse("web:review-referral-allocation", args=[referral.pk]),
            "text": "Reallocate" if reallocating else "Allocate to a colleague",
        }
    find_bedspace = None
    if can_be_booked(referral) and _may(user, Permission.PLACEMENT_SEARCH, referral):
        find_bedspace = f"{reverse('web:placement-search')}?{urlencode({'referral': referral.pk})}"
    return {
        "buttons": action_buttons(user, referral),
        "allocate": allocate,
        "reject": reverse("web:review-referral-reject", args=[referral.pk]) if can_reject(user, referral) else None,
        "find_bedspace": find_bedspace,
        "bookings": booking_links(user, referral),
    }


def timeline_items(entries: list[TimelineEntry], *, for_referrer: bool = False) -> list[dict]:
    items = []
    for entry in entries:
        title, description = timeline.describe(entry, for_referrer=for_referrer)
        byline = entry.author_name
        if entry.author_kind == TimelineEntry.Author.ASSESSOR:
            byline = f"{entry.author_name} (HPT)" if not for_referrer else f"{entry.author_name}, HPT"
        elif entry.author_kind == TimelineEntry.Author.REFERRER:
            byline = f"{entry.author_name} (probation practitioner)"
        if entry.emailed_to and not for_referrer:
            description = f"{description} Emailed to {entry.emailed_to}."
        html = format_html('<p class="govuk-body cas-pre">{}</p>', description)
        items.append({"label": title, "html": html, "datetime": entry.created_at, "byline": byline})
    return items


def action_label(action: Action) -> str:
    return WORKFLOW.action_labels[action]
