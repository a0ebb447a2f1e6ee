"""Retention: people whose cases closed long ago are anonymised.

A case is closed when the person has no open referral (a draft not deleted, or one waiting for, in or
past review and not yet placed) and no open booking (provisional, confirmed or arrived). Its last
activity is the latest change to any of their records, event, timeline entry or audit event (a view
counts: a case someone is still reading is in use). When that is older than
`settings.RETENTION_CLOSED_CASE_DAYS` (7 years by default), every record the subject access export
would hold about them is anonymised: the export is proven complete by its test, so nothing is missed.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from cas.core import audit
from cas.core.models import AuditEvent
from cas.events.models import DomainEvent
from cas.people.models import PersonAccess, PersonAccessUser
from cas.placements.models import Booking
from cas.privacy.anonymise import Identity, Pseudonyms, Replacer, anonymise_row
from cas.privacy.export import ACCESS_LIMITS, gather, resolve_person
from cas.privacy.models import AnonymisedPerson
from cas.referrals.models import Referral, TimelineEntry
from cas.reporting.models import ManualPlacement

OPEN_REFERRAL_STATUSES = ("draft", "unallocated", "in_review", "ready_to_place")
OPEN_BOOKING_STATUSES = ("provisional", "confirmed", "arrived")


@dataclass(frozen=True)
class ClosedCase:
    crn: str
    last_activity: dt.datetime


@dataclass(frozen=True)
class Anonymised:
    crn: str
    pseudonym_crn: str
    records: int
    last_activity: dt.datetime | None


def retention_key() -> bytes:
    # Derived from the secret key, so pseudonyms are stable from run to run and cannot be
    # recomputed from a CRN without the key.
    return f"cas.privacy.retention:{settings.SECRET_KEY}".encode()


def last_activity() -> dict[str, dt.datetime]:
    sources = (
        Referral.objects.values("crn").annotate(last=Max("updated_at")),
        TimelineEntry.objects.values(crn=F("referral__crn")).annotate(last=Max("created_at")),
        Booking.objects.values("crn").annotate(last=Max("updated_at")),
        DomainEvent.objects.values("crn").annotate(last=Max("occurred_at")),
        ManualPlacement.objects.values("crn").annotate(last=Max("updated_at")),
        AuditEvent.objects.exclude(crn="")
        .exclude(action__startswith="privacy.")
        .values("crn")
        .annotate(last=Max("occurred_at")),
    )
    latest: dict[str, dt.datetime] = {}
    for rows in sources:
        for row in rows.order_by():
            if row["crn"] and (row["crn"] not in latest or row["last"] > latest[row["crn"]]):
                latest[row["crn"]] = row["last"]
    return latest


def closed_cases(now: dt.datetime | None = None) -> list[ClosedCase]:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.RETENTION_CLOSED_CASE_DAYS)
    done = set(AnonymisedPerson.objects.values_list("pseudonym_crn", flat=True))
    open_crns = set(
        Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES, deleted_at__isnull=True).values_list(
            "crn", flat=True
        )
    ) | set(Booking.objects.filter(status__in=OPEN_BOOKING_STATUSES).values_list("crn", flat=True))
    return sorted(
        (
            ClosedCase(crn, last)
            for crn, last in last_activity().items()
            if crn not in done and crn not in open_crns and last < cutoff
        ),
        key=lambda c: c.crn,
    )


def identifiers_in_use() -> set[str]:
    taken: set[str] = set()
    for model in (Referral, Booking, DomainEvent):
        for crn, noms in model.objects.values_list("crn", "noms_number").distinct():
            taken.update(v for v in (crn, noms) if v)
    taken.update(ManualPlacement.objects.values_list("crn", flat=True).distinct())
    taken.update(AuditEvent.objects.exclude(crn="").values_list("crn", flat=True).distinct())
    return taken


def identities(crns: set[str], noms: set[str], records) -> list[Identity]:
    """Who the records are about: every name and date of birth recorded with each CRN."""
    names: dict[str, set[str]] = {c: set() for c in crns}
    dobs: dict[str, set[dt.date]] = {c: set() for c in crns}
    noms_of: dict[str, set[str]] = {c: set() for c in crns}
    for obj in records:
        crn = getattr(obj, "crn", None)
        if crn not in names:
            continue
        if getattr(obj, "person_name", ""):
            names[crn].add(obj.person_name)
        if getattr(obj, "date_of_birth", None):
            dobs[crn].add(obj.date_of_birth)
        if getattr(obj, "noms_number", ""):
            noms_of[crn].add(obj.noms_number)
        if isinstance(obj, AuditEvent) and obj.subject_type == "person" and not obj.action.startswith("privacy."):
            names[crn].add(obj.subject_label)  # views of a person are labelled with their name
    people = [Identity(c, frozenset(noms_of[c]), frozenset(names[c]), frozenset(dobs[c])) for c in sorted(crns)]
    # Prison numbers seen only without a CRN of their own belong to the first CRN.
    unattached = noms - {n for p in people for n in p.noms_numbers}
    if unattached and people:
        first = people[0]
        people[0] = Identity(first.crn, first.noms_numbers | unattached, first.names, first.dates_of_birth)
    return people


def _move_access_limits(crns: set[str], pseudonyms: Pseudonyms) -> None:
    """The copy of the case system's limits is keyed by CRN: it moves to the pseudonym, as every other
    record does (its key cannot be changed in place under the rows that point at it)."""
    for limits in PersonAccess.objects.filter(crn__in=crns):
        pseudonym = pseudonyms.crn(limits.crn)
        PersonAccess.objects.create(crn=pseudonym, restricted=limits.restricted, changed_at=limits.changed_at)
        PersonAccessUser.objects.filter(person_id=limits.crn).update(person_id=pseudonym)
        limits.delete()


@transaction.atomic
def anonymise_person(actor, crn: str, pseudonyms: Pseudonyms, *, last: dt.datetime | None = None) -> Anonymised:
    """Anonymise every record about the person, in every table that holds them, and audit it."""
    crns, noms = resolve_person(crn)
    sections = gather(crns, noms)
    _move_access_limits(crns, pseudonyms)
    records = [obj for section, objects in sections if section.key != ACCESS_LIMITS for obj in objects]
    replacer = Replacer(identities(crns, noms, records), pseudonyms)
    changed = 0
    for obj in records:
        model = type(obj)
        fields = list(model._meta.concrete_fields)
        values = {f.attname: getattr(obj, f.attname) for f in fields}
        changes = anonymise_row(model._meta.label_lower, fields, values, replacer)
        if changes:
            model._base_manager.filter(pk=obj.pk).update(**changes)
            changed += 1
    pseudonym = pseudonyms.crn(crn)
    person = AnonymisedPerson.objects.create(
        pseudonym_crn=pseudonym, anonymised_at=timezone.now(), last_activity_at=last, records=changed
    )
    audit.record_change(
        actor,
        "privacy.person_anonymised",
        person,
        before=None,
        after={"records": changed, "retention_days": settings.RETENTION_CLOSED_CASE_DAYS},
        crn=pseudonym,
        detail="Closed case anonymised under the retention rules",
    )
    return Anonymised(crn, pseudonym, changed, last)


def anonymise_closed_cases(actor=None, *, dry_run: bool = False, now: dt.datetime | None = None):
    """Anonymise every closed case past the retention period; with dry_run, only say who would be."""
    cases = closed_cases(now)
    if dry_run:
        return cases
    pseudonyms = Pseudonyms(retention_key(), taken=identifiers_in_use())
    return [anonymise_person(actor, case.crn, pseudonyms, last=case.last_activity) for case in cases]
