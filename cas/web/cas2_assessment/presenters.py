"""What the provider's pages show about an application, worked out once for the queue, the
application page and its print version."""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from cas.referrals import timeline
from cas.referrals.cas2 import queries
from cas.referrals.cas2.definition import DEFINITION
from cas.referrals.cas2.workflow import WORKFLOW, Action
from cas.referrals.models import Referral, TimelineEntry
from cas.web.govuk import format_date, format_datetime

# The question above each action's list of details (its second page).
DETAILS_QUESTIONS = {
    Action.REQUEST_INFORMATION: "Which sections need more information?",
    Action.DECLINE_OFFER: "Why was the offer declined or withdrawn?",
    Action.WITHDRAW: "Why was the application withdrawn?",
    Action.CANCEL: "Why was the application cancelled?",
}
ROSH_LABELS = {"LOW": "Low", "MEDIUM": "Medium", "HIGH": "High", "VERY_HIGH": "Very high"}


def yes_no(value) -> str:
    if value is None:
        return "Not known"
    return "Yes" if value else "No"


def status_tag(referral: Referral) -> tuple[str, str]:
    """(label, GOV.UK tag colour) of the application's status as the provider calls it."""
    status = WORKFLOW.status(referral.status)
    return status.label, status.colour


def tag_html(label: str, colour: str):
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


def _urgency_text(referral: Referral) -> str:
    urgency = queries.urgency(referral)
    return f"{urgency.label}: {format_date(urgency.on)}" if urgency.on else f"{urgency.label}: not given"


def route_text(referral: Referral) -> str:
    route = referral.route.name if referral.route_id else "Not given"
    if referral.cohort_id and referral.cohort.name != route:
        return f"{route}: {referral.cohort.name}"
    return route


def queue_row(referral: Referral, now) -> list[dict]:
    identifiers = [f"CRN {referral.crn}"]
    if referral.noms_number:
        identifiers.append(f"prison number {referral.noms_number}")
    person = format_html(
        '<a class="govuk-link" href="{}">{}</a><br><span class="govuk-body-s">{}</span>',
        reverse("web:cas2-assessment", args=[referral.pk]),
        referral.person_name,
        ", ".join(identifiers),
    )
    status = tag_html(*status_tag(referral))
    if queries.is_overdue(referral, now):
        status = format_html("{} {}", status, tag_html("Overdue", "red"))
    return [
        {"html": person},
        {"text": route_text(referral)},
        {"text": referral.region.name if referral.region_id else "Not known"},
        {"text": format_datetime(referral.submitted_at)},
        {"text": _urgency_text(referral)},
        {"html": status},
    ]


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else "Not given"


def summary_rows(referral: Referral) -> list[tuple[str, str]]:
    due = queries.due_at(referral)
    prison = referral.current_prison.name if referral.current_prison_id else "Not in prison"
    referring = referral.referring_prison.name if referral.referring_prison_id else "Not made in prison"
    creator = referral.created_by
    return [
        ("Name", referral.person_name),
        ("CRN", referral.crn),
        ("Prison number", referral.noms_number or "Not known"),
        ("Date of birth", format_date(referral.date_of_birth) if referral.date_of_birth else "Not known"),
        ("Sex", referral.sex or "Not known"),
        ("Route and cohort", route_text(referral)),
        ("Probation region", referral.region.name if referral.region_id else "Not known"),
        ("Referring prison", referring),
        ("Prison now", prison),
        ("Offender manager", _name(referral.offender_manager) if referral.offender_manager_id else "None recorded"),
        ("Referrer", f"{_name(creator)}, {creator.email}, {referral.referrer_phone or 'no phone number given'}"),
        ("Submitted", format_datetime(referral.submitted_at)),
        ("Decision due by", format_datetime(timezone.localtime(due)) if due else "No service level"),
        ("Urgent by", _urgency_text(referral)),
        ("Bail hearing court", referral.bail_hearing_court or "Not given"),
        (
            "Preferred areas",
            ", ".join(a for a in (referral.preferred_area_1, referral.preferred_area_2) if a) or "None given",
        ),
        ("Assessor", referral.assessor_name or "Not recorded"),
        ("Provider’s reference", referral.provider_reference or "Not recorded"),
    ]


def risk_rows(referral: Referral) -> list[tuple[str, str]]:
    return [
        ("Risk of serious harm", ROSH_LABELS.get(referral.rosh_level, referral.rosh_level or "Not known")),
        ("Risk to self", yes_no(referral.has_risk_to_self_concerns)),
        ("Exclusion zones", yes_no(referral.has_exclusion_zones)),
        ("Substance misuse needs", yes_no(referral.has_substance_misuse_needs)),
        ("Mental health needs", yes_no(referral.has_mental_health_needs)),
        ("Physical health needs", yes_no(referral.has_physical_health_needs)),
        ("Needs an accessible property", yes_no(referral.needs_accessible_property)),
        ("Needs a women-only property", yes_no(referral.needs_women_only)),
        ("Funding", referral.funding_source or "Not given"),
        ("Has ID documents", yes_no(referral.has_id_documents)),
    ]


def _task_title(slug: str) -> str:
    return DEFINITION.task(slug).title if DEFINITION.has_task(slug) else slug


def timeline_items(entries: list[TimelineEntry]) -> list[dict]:
    items = []
    for entry in entries:
        title, description = timeline.describe(entry)
        byline = entry.author_name
        if entry.author_kind == TimelineEntry.Author.ASSESSOR:
            byline = f"{entry.author_name} (provider)"
        elif entry.author_kind == TimelineEntry.Author.REFERRER:
            byline = f"{entry.author_name} (referrer)"
        if entry.emailed_to:
            description = f"{description} Emailed to {entry.emailed_to}."
        reopened = entry.details.get("reopened_tasks") if entry.details else None
        html = format_html('<p class="govuk-body cas-pre">{}</p>', description)
        if reopened:
            html = format_html(
                '{}<p class="govuk-body">Reopened for the referrer:</p><ul class="govuk-list govuk-list--bullet">{}</ul>',
                html,
                format_html_join("", "<li>{}</li>", ((_task_title(slug),) for slug in reopened)),
            )
        items.append({"label": title, "html": html, "datetime": entry.created_at, "byline": byline})
    return items
