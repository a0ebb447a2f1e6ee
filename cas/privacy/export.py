"""Subject access requests: every record the service holds about one person, in one document.

A person is found by CRN or prison number. The CRNs and prison numbers seen together on any
record are followed until nothing new turns up, so a request by prison number also finds records
made before the prison number was known, and a request by CRN finds every prison number the person
had. From those, each section below follows the links the domain has: referrals to their
timelines, bookings to every step of the stay and their incidents, events to their deliveries,
emails to the records they are about, and the audit of who viewed or changed any of them.

`tests/privacy/test_subject_access_export.py` discovers every row that refers to a person by
introspecting every model, so a new table holding personal data fails that test until it is
covered here.
"""

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cas.core import audit
from cas.core.errors import DomainError
from cas.core.models import AuditEvent, IdempotencyKey
from cas.events.models import DeliveryAttempt, DomainEvent, EventDelivery, OutboundEmail
from cas.people.models import PersonAccess, PersonAccessUser
from cas.people.ports import CRN_PATTERN, NOMS_PATTERN
from cas.placements.models import (
    Arrival,
    ArrivalDateChange,
    Booking,
    Cancellation,
    Confirmation,
    DateChange,
    Departure,
    Incident,
    NonArrival,
    Overstay,
    TurnaroundChange,
)
from cas.privacy.document import render_html
from cas.referrals.models import Referral, TimelineEntry
from cas.reporting.models import ManualPlacement

# The section holding the copy of the case system's access limits: exported, and moved to the
# pseudonym by the retention rules rather than anonymised field by field (its key is the CRN).
ACCESS_LIMITS = "access_limits"
BOOKING_STEP_MODELS = (
    Confirmation,
    Arrival,
    Departure,
    ArrivalDateChange,
    DateChange,
    Overstay,
    Cancellation,
    NonArrival,
    TurnaroundChange,
)
IDENTIFIER_MESSAGE = "Enter a CRN like X320741 or a prison number like A1234BC"


@dataclass
class ExportRecord:
    model: str  # app_label.model_name
    pk: str
    title: str
    fields: list[tuple[str, str, object]]  # (name, label, JSON value)

    def as_json(self) -> dict:
        return {"model": self.model, "id": self.pk, "title": self.title, "fields": {n: v for n, _, v in self.fields}}


@dataclass
class ExportSection:
    key: str
    title: str
    description: str
    records: list[ExportRecord] = field(default_factory=list)


@dataclass
class SubjectAccessExport:
    identifier: str
    crns: list[str]
    noms_numbers: list[str]
    generated_at: dt.datetime
    generated_by: str
    sections: list[ExportSection]

    @property
    def record_count(self) -> int:
        return sum(len(s.records) for s in self.sections)

    def record_keys(self) -> set[tuple[str, str]]:
        return {(r.model, r.pk) for s in self.sections for r in s.records}

    def names(self) -> list[str]:
        seen: list[str] = []
        for section in self.sections:
            for record in section.records:
                for name, _, value in record.fields:
                    if name == "person_name" and value and value not in seen:
                        seen.append(value)
        return seen

    def as_json(self) -> dict:
        return {
            "subject_access_request": {
                "identifier": self.identifier,
                "crns": self.crns,
                "prison_numbers": self.noms_numbers,
                "names": self.names(),
                "generated_at": self.generated_at.isoformat(),
                "generated_by": self.generated_by,
                "record_count": self.record_count,
            },
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "description": s.description,
                    "records": [r.as_json() for r in s.records],
                }
                for s in self.sections
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)

    def to_html(self) -> str:
        return render_html(self)


def normalise_identifier(identifier: str) -> str:
    value = (identifier or "").strip().upper()
    if not (CRN_PATTERN.match(value) or NOMS_PATTERN.match(value)):
        raise DomainError(IDENTIFIER_MESSAGE, field="identifier")
    return value


def resolve_person(identifier: str) -> tuple[set[str], set[str]]:
    """The CRNs and prison numbers of the person: whatever was recorded together with the identifier."""
    value = normalise_identifier(identifier)
    crns = {value} if CRN_PATTERN.match(value) else set()
    noms = {value} if NOMS_PATTERN.match(value) else set()
    sources = (Referral.objects, Booking.objects, DomainEvent.objects)
    while True:
        found_crns, found_noms = set(crns), set(noms)
        for manager in sources:
            pairs = manager.filter(Q(crn__in=crns) | Q(noms_number__in=noms)).values_list("crn", "noms_number")
            for crn, noms_number in pairs.distinct():
                found_crns.add(crn)
                if noms_number:
                    found_noms.add(noms_number)
        if found_crns == crns and found_noms == noms:
            return crns, noms
        crns, noms = found_crns, found_noms


# -- serialising records -------------------------------------------------------------------------


def _json_value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return str(value)


def _record(obj: models.Model) -> ExportRecord:
    fields: list[tuple[str, str, object]] = []
    for f in obj._meta.concrete_fields:
        label = str(f.verbose_name)
        if f.is_relation:
            related_id = getattr(obj, f.attname)
            if related_id is None:
                value = None
            else:
                related = getattr(obj, f.name)
                value = {"id": _json_value(related_id), "label": str(related)}
            fields.append((f.name, label, value))
            continue
        value = getattr(obj, f.attname)
        if f.choices and value not in (None, ""):
            display = getattr(obj, f"get_{f.name}_display")()
            value = _json_value(value) if str(display) == str(value) else {"value": value, "label": str(display)}
        fields.append((f.name, label, _json_value(value)))
    return ExportRecord(model=obj._meta.label_lower, pk=str(obj.pk), title=str(obj), fields=fields)


def _text_mentions(field_names: Iterable[str], terms: Iterable[str]) -> Q:
    query = Q(pk__in=[])
    for term in terms:
        for name in field_names:
            query |= Q(**{f"{name}__icontains": term})
    return query


# -- the export ----------------------------------------------------------------------------------


def gather(crns: set[str], noms: set[str]) -> list[tuple[ExportSection, list[models.Model]]]:
    """Every record about the person with these CRNs and prison numbers, section by section.

    Also what the retention rules anonymise: what is exported is what is anonymised."""
    identifiers = sorted(crns | noms)
    sections: list[tuple[ExportSection, list[models.Model]]] = []

    def section(key, title, description, objects) -> list:
        objects = list(objects)
        sections.append((ExportSection(key, title, description), objects))
        return objects

    referrals = section(
        "referrals",
        "Referrals",
        "Referrals made about the person, with every answer given, the document as submitted, the risk and "
        "prison details copied from other systems, and the assessment (status, decisions and reasons).",
        Referral.objects.filter(Q(crn__in=crns) | Q(noms_number__in=noms)).order_by("created_at"),
    )
    section(
        "timeline",
        "Referral timelines: decisions and notes",
        "Every status change, date correction and note recorded on the referrals.",
        TimelineEntry.objects.filter(referral__in=referrals).order_by("created_at", "id"),
    )
    bookings = section(
        "bookings",
        "Bookings",
        "Bedspaces booked for the person, with the dates, status, departure and move-on outcome.",
        Booking.objects.filter(Q(crn__in=crns) | Q(noms_number__in=noms) | Q(referral__in=referrals)).order_by(
            "arrival_date", "created_at"
        ),
    )
    steps = [step for model in BOOKING_STEP_MODELS for step in model.objects.filter(booking__in=bookings)]
    section(
        "booking_history",
        "Booking history",
        "Every step recorded on the bookings: confirmations, arrivals, departures and their move-on category, "
        "date changes, overstays, cancellations, non-arrivals and turnaround changes.",
        sorted(steps, key=lambda s: s.created_at),
    )
    section(
        "incidents",
        "Incidents",
        "Incidents recorded during the person's stays.",
        Incident.objects.filter(booking__in=bookings).order_by("occurred_on", "created_at"),
    )
    section(
        ACCESS_LIMITS,
        "Access limits copied from the probation case system",
        "Whether the probation case system restricts who may see the person's record, and the staff it allows "
        "or excludes, as the service last copied them.",
        [
            *PersonAccess.objects.filter(crn__in=crns),
            *PersonAccessUser.objects.filter(person_id__in=crns).order_by("kind", "username"),
        ],
    )
    section(
        "imported_placements",
        "Placements recorded outside the service",
        "Placements and their move-on outcomes imported from records kept outside the service.",
        ManualPlacement.objects.filter(crn__in=crns).select_related("last_import").order_by("start_date"),
    )
    record_ids = [str(o.pk) for o in (*referrals, *bookings, *steps)]
    events = section(
        "events",
        "Events sent to other systems",
        "Domain events about the person, published for the probation case system.",
        DomainEvent.objects.filter(Q(crn__in=crns) | Q(noms_number__in=noms) | Q(subject_id__in=record_ids)).order_by(
            "occurred_at", "id"
        ),
    )
    deliveries = section(
        "event_deliveries",
        "Deliveries of those events",
        "Where each event was delivered, and every attempt.",
        EventDelivery.objects.filter(event__in=events).order_by("created_at"),
    )
    section(
        "event_delivery_attempts",
        "Event delivery attempts",
        "Every attempt to deliver the events, with the answer received.",
        DeliveryAttempt.objects.filter(delivery__in=deliveries).order_by("attempted_at", "id"),
    )
    references = [f"referral:{r.pk}" for r in referrals] + [f"booking:{b.pk}" for b in bookings]
    section(
        "emails",
        "Emails",
        "Emails the service sent about the person (receipts, decisions, notes and bookings).",
        OutboundEmail.objects.filter(
            Q(reference__in=references) | _text_mentions(("subject", "body", "personalisation"), identifiers)
        ).order_by("created_at"),
    )
    subject_ids = record_ids + [str(o.pk) for o in events] + identifiers
    section(
        "audit",
        "Who viewed or changed the records",
        "The audit history: every view of the person's details, every change to their records and every "
        "refused access.",
        AuditEvent.objects.filter(
            Q(crn__in=crns) | Q(subject_id__in=subject_ids) | _text_mentions(("before", "after"), identifiers)
        ).order_by("occurred_at", "id"),
    )
    section(
        "submissions",
        "Submissions remembered so they are not made twice",
        "Forms and API requests about the person's records, kept with their result so a repeat does nothing.",
        IdempotencyKey.objects.filter(_text_mentions(("result",), [*subject_ids])).order_by("created_at", "id")
        if subject_ids
        else [],
    )
    section(
        "tasks",
        "Background tasks",
        "Background work queued about the person's records (delivering events).",
        _tasks_about([str(e.pk) for e in events]),
    )
    return sections


def build_export(identifier: str, *, generated_by: str = "system") -> SubjectAccessExport:
    crns, noms = resolve_person(identifier)
    sections = []
    for section, objects in gather(crns, noms):
        section.records = [_record(o) for o in objects]
        sections.append(section)
    return SubjectAccessExport(
        identifier=normalise_identifier(identifier),
        crns=sorted(crns),
        noms_numbers=sorted(noms),
        generated_at=timezone.now(),
        generated_by=generated_by,
        sections=sections,
    )


def _tasks_about(ids: list[str]):
    """Queued background tasks carry only record ids (never names); those about the person's records."""
    if not ids:
        return []

    return DBTaskResult.objects.filter(_text_mentions(("args_kwargs",), ids)).order_by("enqueued_at")


def export_for_request(actor, identifier: str) -> SubjectAccessExport:
    """Audit a user's request (who asked about whom), then build the export, which so includes the request."""
    crns, _ = resolve_person(identifier)
    value = normalise_identifier(identifier)
    for crn in sorted(crns) or [""]:
        audit.record_view(
            actor,
            "privacy.subject_access_export",
            crn=crn,
            subject_label="Subject access request",
            detail=value,
        )
    return build_export(identifier, generated_by=getattr(actor, "username", "") or "system")
