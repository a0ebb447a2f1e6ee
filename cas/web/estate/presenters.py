"""Words for the estate pages: history entries, archive history rows and status tags."""

import datetime as dt

from django.utils import timezone
from django.utils.html import format_html, format_html_join

from cas.core import clock
from cas.core.dates import long_date
from cas.premises.models import ArchiveChange

BEDSPACE_STATUS_TAGS = {
    "online": ("Online", "green"),
    "upcoming": ("Upcoming", "blue"),
    "archived": ("Archived", "grey"),
}
PREMISES_STATUS_TAGS = {"online": ("Online", "green"), "archived": ("Archived", "grey")}

FIELD_NAMES = {
    "address_line1": "Address line 1",
    "address_line2": "Address line 2",
    "pdu": "PDU",
    "turnaround_working_days": "Turnaround (working days)",
    "start_date": "Start date",
    "end_date": "Archive date",
    "cost_borne_by": "Who pays",
    "reference_number": "Reference number",
    "cancelled_at": "Cancelled",
    "cancellation_notes": "Why it was cancelled",
}


def _field(name: str) -> str:
    return FIELD_NAMES.get(name, name.replace("_", " ").capitalize())


def _value(value) -> str:
    if value in (None, "", [], {}):
        return "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return long_date(dt.date.fromisoformat(text))
        except ValueError:
            return text
    return text


def _label(event) -> str:
    after = event.after or {}
    before = event.before or {}
    bedspace = after.get("bedspace") or before.get("bedspace") or event.subject_label
    labels = {
        "premises.created": "Property added",
        "premises.updated": "Property details changed",
        "premises.archived": "Property archive date set",
        "premises.unarchived": "Property back-online date set",
        "premises.archive_cancelled": "Property's scheduled archive cancelled",
        "premises.unarchive_cancelled": "Property's return to service cancelled",
        "bedspace.created": f"Bedspace {event.subject_label} added",
        "bedspace.updated": f"Bedspace {event.subject_label} changed",
        "bedspace.archived": f"Bedspace {event.subject_label} archive date set",
        "bedspace.unarchived": f"Bedspace {event.subject_label} back-online date set",
        "bedspace.archive_cancelled": f"Bedspace {event.subject_label}: scheduled archive cancelled",
        "bedspace.unarchive_cancelled": f"Bedspace {event.subject_label}: return to service cancelled",
        "void.created": f"Void period recorded for bedspace {bedspace}",
        "void.updated": f"Void period changed for bedspace {bedspace}",
        "void.cancelled": f"Void period cancelled for bedspace {bedspace}",
    }
    return labels.get(event.action, event.action)


def _description(event):
    after = event.after or {}
    if event.action == "void.created":
        return format_html(
            "{} to {}: {}",
            _value(after.get("start_date")),
            _value(after.get("end_date")),
            after.get("reason", ""),
        )
    if event.action in ("premises.created", "bedspace.created"):
        parts = [event.detail] if event.detail else []
        if after.get("start_date"):
            parts.append(f"In service from {_value(after['start_date'])}")
        return "; ".join(parts)
    if event.action.endswith(("archived", "_cancelled")) and event.detail:
        # Archive changes describe themselves ("Archive on 3 March 2027"); the dates moved are in
        # the archive history table.
        return event.detail
    changes = [(name, b, a) for name, b, a in event.changed_fields() if name != "cancelled_at"]
    items = format_html_join(
        "", "<li>{}: {} → {}</li>", ((_field(name), _value(b), _value(a)) for name, b, a in changes)
    )
    detail = format_html('<p class="govuk-body">{}</p>', event.detail) if event.detail else ""
    if not changes:
        return detail
    return format_html('{}<ul class="govuk-list">{}</ul>', detail, items)


def _actor_name(event) -> str:
    """Who made the change, by name as the referral timeline says it; the username recorded at the
    time only when the account has since gone; "The service" for changes nobody made by hand."""
    if event.actor_id and event.actor is not None:
        return str(event.actor)
    return event.actor_username or "The service"


def history_items(events) -> list[dict]:
    return [
        {
            "label": _label(event),
            "byline": _actor_name(event),
            "datetime": event.occurred_at,
            "html": _description(event),
        }
        for event in events
    ]


def change_state(change: ArchiveChange) -> tuple[str, str]:
    """(text, tag colour) for one row of the archive history."""
    if change.is_cancelled:
        return "Cancelled", "grey"
    if change.effective_date > clock.today():
        return "Scheduled", "blue"
    return "Done", "green"


def change_summary(change: ArchiveChange) -> str:
    subject = f"Bedspace {change.bedspace}" if change.bedspace_id else "Property"
    verb = "archived" if change.action == ArchiveChange.Action.ARCHIVE else "back online"
    when = long_date(change.effective_date)
    text = f"{subject} {verb} from {when}" if verb == "back online" else f"{subject} {verb} on {when}"
    if change.cause != ArchiveChange.Cause.REQUESTED:
        text += f" ({change.get_cause_display().lower()})"
    return text


def pending_text(change: ArchiveChange) -> str:
    subject = f"Bedspace {change.bedspace}" if change.bedspace_id else "The property"
    verb = "archived" if change.action == ArchiveChange.Action.ARCHIVE else "back online"
    text = f"{subject} will be {verb} on {long_date(change.effective_date)}"
    if change.action == ArchiveChange.Action.ARCHIVE and not change.bedspace_id:
        text += ", with its bedspaces"
    return text


def cancellation_text(change: ArchiveChange) -> str:
    if not change.is_cancelled:
        return ""
    who = change.cancelled_by or "the system"
    return (
        f"{change.cancellation_reason or 'Cancelled'} by {who} on {long_date(timezone.localdate(change.cancelled_at))}"
    )


def archive_history_rows(changes) -> list[list[dict]]:
    rows = []
    for change in changes:
        state, colour = change_state(change)
        rows.append(
            [
                {"text": change_summary(change)},
                {"html": format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, state)},
                {"text": str(change.made_by or "The system")},
                {"text": long_date(timezone.localdate(change.created_at))},
                {"text": cancellation_text(change) or "–"},
            ]
        )
    return rows
