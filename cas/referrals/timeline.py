"""The referral's timeline, which the referrer and the HPT both see: the entries written by the change
they record, in its transaction (submission here; the HPT's decisions, corrected dates and notes in
`review.py`; the referrer's replies in `services.py`), the rules for a note, and each entry in words.

Both sides import this module and it imports neither, so the referrer's module never needs the
assessor's (and the other way round).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from cas.core import clock, tiers
from cas.core.dates import long_date
from cas.core.errors import DomainError
from cas.referrals.models import Referral, TimelineEntry

NOTE_MAX_LENGTH = 4000
DATE_FIELDS = {
    "release_date": "Release date",
    "accommodation_required_from": "Accommodation required from",
}


def author_name(user) -> str:
    if user is None or not getattr(user, "pk", None):
        return "The service"
    return user.get_full_name() or user.username


def referral_url(referral: Referral, *, for_referrer: bool) -> str:
    page = "referral_for_referrer" if for_referrer else "referral_for_assessor"
    return f"{settings.SERVICE_URL}{tiers.get(referral.service).page_path(page, referral.pk)}"


def add_entry(referral: Referral, actor, kind: str, *, author_kind: str, **fields) -> TimelineEntry:
    return TimelineEntry.objects.create(
        referral=referral,
        kind=kind,
        created_at=clock.now(),
        author=actor if getattr(actor, "pk", None) else None,
        author_name=author_name(actor),
        author_kind=author_kind,
        **fields,
    )


def record_submission(referral: Referral, user) -> TimelineEntry:
    """The first timeline entry, written by `submit_referral` in its transaction."""
    return add_entry(
        referral,
        user,
        TimelineEntry.Kind.SUBMITTED,
        author_kind=TimelineEntry.Author.REFERRER,
        to_status=tiers.get(referral.service).workflow.submitted,
    )


# What the booking services tell a referral's timeline (`record_placement`), and its words.
PLACEMENT_EVENTS = {
    "arrived": "Arrived",
    "arrival_changed": "Arrival date corrected",
    "left": "Moved on",
    "departure_changed": "Departure details corrected",
}


def placement_details(*, address: str = "", **dates) -> dict:
    """The JSON details of a placement entry: the address and ISO dates (None left out)."""
    details = {"address": address} if address else {}
    details.update({name: day.isoformat() for name, day in dates.items() if day is not None})
    return details


def record_placement(referral: Referral, actor, event: str, details: dict) -> TimelineEntry:
    """The booking made for the referral changed in a way its referrer needs to know (the person
    arrived or left): written by the booking service in its transaction, seen by both sides."""
    if event not in PLACEMENT_EVENTS:
        raise ValueError(f"Unknown placement event {event!r}")
    return add_entry(
        referral,
        actor,
        TimelineEntry.Kind.PLACEMENT,
        author_kind=TimelineEntry.Author.ASSESSOR if getattr(actor, "pk", None) else TimelineEntry.Author.SYSTEM,
        details={"event": event, **details},
    )


def _day(details: dict, name: str) -> str:
    value = details.get(name)
    return long_date(dt.date.fromisoformat(value)) if value else "not given"


def _describe_placement(details: dict) -> tuple[str, str]:
    event = details.get("event", "")
    title = PLACEMENT_EVENTS.get(event, "Placement changed")
    if event in ("arrived", "arrival_changed"):
        where = f" at {details['address']}" if details.get("address") else ""
        text = f"Arrived{where} on {_day(details, 'arrived_on')}."
        if details.get("expected_departure"):
            text += f" Expected to leave by {_day(details, 'expected_departure')}."
        return title, text
    text = f"Left on {_day(details, 'left_on')}."
    if details.get("move_on"):
        text += f" Moved on to: {details['move_on']}."
    return title, text


def clean_note(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("Enter a note", field="text")
    if len(text) > NOTE_MAX_LENGTH:
        raise DomainError(f"The note must be {NOTE_MAX_LENGTH} characters or fewer", field="text")
    return text


def describe(entry: TimelineEntry, *, for_referrer: bool = False) -> tuple[str, str]:
    """(title, description) of a timeline entry, in words for people; the tier names its referrer
    and its assessing team (`Tier.referrer_title`, `Tier.team_title`). A status is named as the
    reader's list names it (`Status.referrer_label` for the referrer), so one page never names a
    status in two ways."""
    tier = tiers.get(entry.referral.service)
    referrer, team = tier.referrer_title, tier.team_title
    if entry.kind == TimelineEntry.Kind.SUBMITTED:
        return "Referral sent", f"{referrer[0].upper()}{referrer[1:]} sent the referral to {team}."
    if entry.kind == TimelineEntry.Kind.DATE:
        field = entry.details.get("field", "")
        old = entry.details.get("from")
        new = entry.details.get("to")
        old_text = long_date(dt.date.fromisoformat(old)) if old else "not given"
        new_text = long_date(dt.date.fromisoformat(new)) if new else "not given"
        return f"{DATE_FIELDS.get(field, 'Date')} changed", f"Changed from {old_text} to {new_text}."
    if entry.kind == TimelineEntry.Kind.NOTE:
        if entry.author_kind == TimelineEntry.Author.REFERRER:
            return f"Note from {referrer}", entry.text
        if entry.visible_to_referrer:
            return f"Note to {referrer}", entry.text
        return f"Note for {team}", entry.text
    if entry.kind == TimelineEntry.Kind.TRANSFER:
        title = "Prison number changed" if entry.details.get("merged") else "Moved prison"
        return title, entry.text
    if entry.kind == TimelineEntry.Kind.ALLOCATION:
        return "Prison offender manager changed", entry.text
    if entry.kind == TimelineEntry.Kind.INFORMATION:
        return "Information sent", entry.text
    if entry.kind == TimelineEntry.Kind.PLACEMENT:
        return _describe_placement(entry.details)
    workflow = tier.workflow
    title = workflow.timeline_title(entry.action) if entry.action else "Status changed"
    parts = []
    if "reason" in entry.details:  # a decision that gives its reason (CAS3: a rejection)
        parts.append(f"Reason: {entry.details.get('reason', '')}.")
        if entry.details.get("withdrawal_requested"):
            parts.append(f"{referrer[0].upper()}{referrer[1:]} asked for it to be withdrawn.")
        if entry.text:
            parts.append(entry.text)
    elif entry.details.get("allocated_to"):  # an allocation says who allocated it to whom
        parts.append(_allocation(entry))
    elif entry.details.get("was_allocated_to"):
        parts.append(f"It was with {entry.details['was_allocated_to']}.")
    elif "address" in entry.details:  # a booking confirmed: where and when, for the referrer
        parts.append(
            f"Booked at {entry.details['address']}, expected to arrive on {_day(entry.details, 'expected_arrival')}."
        )
    elif "labels" in entry.details:  # a status update carrying the workflow's details (CAS2's provider)
        if entry.details["labels"]:
            parts.append(f"Details: {', '.join(entry.details['labels'])}.")
        if entry.text:
            parts.append(entry.text)
    to_label = workflow.label(entry.to_status)
    if for_referrer and entry.to_status in workflow.codes:
        to_label = workflow.status(entry.to_status).referrer_label
    parts.append(f"Status: {to_label}.")
    return title, " ".join(parts)


def _allocation(entry: TimelineEntry) -> str:
    details, by = entry.details, entry.author_name
    to = "themselves" if details.get("to_themselves") else details["allocated_to"]
    if details.get("was_allocated_to"):
        was = "themselves" if details.get("from_themselves") else details["was_allocated_to"]
        return f"{by} reallocated it from {was} to {to}."
    return f"{by} took it for review." if details.get("to_themselves") else f"{by} allocated it to {to}."


def entries(referral: Referral, *, for_referrer: bool = False) -> list[TimelineEntry]:
    """The referral's timeline, newest first (the entries its referrer sees, when `for_referrer`)."""
    entries = TimelineEntry.objects.filter(referral=referral).select_related("author")
    if for_referrer:
        entries = entries.filter(visible_to_referrer=True)
    entries = list(entries.order_by("-created_at", "-id"))
    for entry in entries:
        entry.referral = referral  # describing an entry asks the referral's tier, without a query each
    return entries
