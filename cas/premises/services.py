"""Every change to the estate goes through here: one transaction, the rules, an audit record.

Callers (web pages, the API, the importer, demo data) pass the acting user; `None` means the system
(a management command run by an operator). The region rule is checked here, so the web and the API
refuse the same things: an assessor changes only their own region's properties.

Dates follow `status.py`: `start_date` is the first day in service, `end_date` the first day out of
service (the archive date). Void periods include both their start and end days.

Properties, bedspaces and void periods carry a `version` (`cas.core.concurrency`): the edits, archive
pages and void cancellation take the version the user's form was drawn from and refuse a stale one
(`StaleEdit`); every other write to one of these rows (a bedspace archived with its property, a
cancelled change restoring dates) bumps it, so a form drawn before that change is refused too.
"""

import datetime as dt
import re
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max

from cas.core import audit, clock
from cas.core.concurrency import check_and_bump, check_version
from cas.core.dates import add_months, long_date
from cas.core.errors import Conflict, DomainError
from cas.core.permissions import Permission, acting_service, check
from cas.premises.models import ArchiveChange, Bedspace, Premises, VoidPeriod
from cas.premises.occupancy import busy_periods
from cas.reference.models import Characteristic, VoidReason

# The MoJ's date windows.
ARCHIVE_PAST_DAYS = 7
ARCHIVE_AHEAD_MONTHS = 3
UNARCHIVE_DAYS = 14
BEDSPACE_START_DAYS = 7
MAX_TURNAROUND_DAYS = 365

PREMISES_FIELDS = (
    "reference",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "local_authority",
    "region",
    "pdu",
    "turnaround_working_days",
    "notes",
    "start_date",
    "end_date",
)
BEDSPACE_FIELDS = ("premises", "reference", "start_date", "end_date", "notes")
VOID_FIELDS = (
    "bedspace",
    "start_date",
    "end_date",
    "reason",
    "reference_number",
    "notes",
    "cost_borne_by",
    "cancelled_at",
    "cancellation_notes",
)

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


# Helpers ---------------------------------------------------------------------------------------


def archive_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=ARCHIVE_PAST_DAYS), add_months(today, ARCHIVE_AHEAD_MONTHS)


def unarchive_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=UNARCHIVE_DAYS), today + dt.timedelta(days=UNARCHIVE_DAYS)


def bedspace_start_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=BEDSPACE_START_DAYS), today + dt.timedelta(days=BEDSPACE_START_DAYS)


def normalise_postcode(value: str) -> str:
    """`sw1a1aa` -> `SW1A 1AA`; refuses anything that is not a UK postcode (at most 8 characters)."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        raise DomainError("Enter a postcode", field="postcode")
    match = _POSTCODE.match(compact)
    if not match:
        raise DomainError("Enter a real postcode, like SW1A 1AA", field="postcode")
    return f"{match.group(1)} {match.group(2)}"


def _check_manage(actor, region_id, service: str) -> None:
    """May `actor` manage the estate of tier `service` in this region?"""
    if actor is None:  # the system: management commands and demo data
        return
    check(actor, Permission.ESTATE_MANAGE, region_id=region_id, check_region=True, service=service)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _premises_snapshot(premises: Premises) -> dict:
    data = audit.snapshot(premises, PREMISES_FIELDS)
    data["characteristics"] = sorted(c.name for c in premises.characteristics.all())
    return data


def _bedspace_snapshot(bedspace: Bedspace) -> dict:
    data = audit.snapshot(bedspace, BEDSPACE_FIELDS)
    data["characteristics"] = sorted(c.name for c in bedspace.characteristics.all())
    return data


def _void_snapshot(void: VoidPeriod) -> dict:
    return audit.snapshot(void, VOID_FIELDS)


def _dates_snapshot(subject) -> dict:
    return audit.snapshot(subject, ("start_date", "end_date"))


def _lock_premises(premises: Premises) -> Premises:
    return Premises.objects.select_for_update().select_related("region", "pdu").get(pk=premises.pk)


def clean_reference(value: str, *, what: str, minimum: int = 1) -> str:
    reference = (value or "").strip()
    if not reference:
        raise DomainError(f"Enter a {what} reference", field="reference")
    if len(reference) > 100:
        raise DomainError(f"The {what} reference must be 100 characters or fewer", field="reference")
    if len(reference) < minimum:
        raise DomainError(f"The {what} reference must be at least {minimum} characters", field="reference")
    if not any(ch.isalnum() for ch in reference):
        raise DomainError(f"The {what} reference must include a letter or a number", field="reference")
    return reference


def _characteristics(chosen: Iterable[Characteristic], scope: str, service: str, current=()) -> list[Characteristic]:
    chosen = list(chosen)
    keep = {c.pk for c in current}
    for item in chosen:
        fits = item.model_scope == scope and service in item.service_list
        if not fits or (not item.is_active and item.pk not in keep):
            message = (
                "Choose property characteristics from the list"
                if scope == Characteristic.Scope.PREMISES
                else "Choose bedspace characteristics from the list"
            )
            raise DomainError(message, field="characteristics")
    return chosen


def _check_region_and_pdu(region, pdu, *, current_pdu_id=None) -> None:
    if pdu is None:
        raise DomainError("Select a probation delivery unit (PDU)", field="pdu")
    if region is None:
        raise DomainError("Select a probation region", field="region")
    if pdu.region_id != region.pk:
        raise DomainError(f"Select a PDU in {region.name}", field="pdu")
    if not pdu.is_active and pdu.pk != current_pdu_id:
        raise DomainError("Select a PDU from the list", field="pdu")


def _check_unique_premises(reference: str, pdu, *, exclude_pk=None) -> None:
    clash = Premises.objects.filter(pdu=pdu, reference__iexact=reference)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            f"A property with the reference {reference} already exists in {pdu.name}. Enter a different reference",
            field="reference",
        )


def _check_unique_bedspace(reference: str, premises: Premises, *, exclude_pk=None) -> None:
    clash = Bedspace.objects.filter(premises=premises, reference__iexact=reference)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            f"This property already has a bedspace with the reference {reference}. Enter a different reference",
            field="reference",
        )


def _check_turnaround(days) -> int:
    if days is None or isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise DomainError(
            "Enter the turnaround as a whole number of working days, 0 or more", field="turnaround_working_days"
        )
    if days > MAX_TURNAROUND_DAYS:
        raise DomainError(
            f"The turnaround must be {MAX_TURNAROUND_DAYS} working days or fewer", field="turnaround_working_days"
        )
    return days


def _save_unique(obj, message: str) -> None:
    """Save, turning a lost race on a unique reference into the same message as the check above."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise DomainError(message, field="reference") from None


# Properties ------------------------------------------------------------------------------------


@transaction.atomic
def create_premises(
    actor,
    *,
    reference: str,
    address_line1: str,
    postcode: str,
    region,
    pdu,
    address_line2: str = "",
    town: str = "",
    local_authority=None,
    characteristics: Iterable[Characteristic] = (),
    turnaround_working_days: int = 2,
    notes: str = "",
    service: str | None = None,
    start_date: dt.date | None = None,
) -> Premises:
    """Add a property of tier `service` (the user's own tier when they manage one estate only); it is
    online from `start_date` (today unless importing an existing estate)."""
    if actor is not None:
        check(actor, Permission.ESTATE_MANAGE)
        service = acting_service(actor, Permission.ESTATE_MANAGE, service)
    if service is None:
        raise DomainError("Choose which service the property is for", field="service")
    _check_manage(actor, region.pk if region else None, service)
    reference = clean_reference(reference, what="property")
    if not (address_line1 or "").strip():
        raise DomainError("Enter the first line of the address", field="address_line1")
    _check_region_and_pdu(region, pdu)
    postcode = normalise_postcode(postcode)
    turnaround_working_days = _check_turnaround(turnaround_working_days)
    chosen = _characteristics(characteristics, Characteristic.Scope.PREMISES, service)
    _check_unique_premises(reference, pdu)
    premises = Premises(
        service=service,
        reference=reference,
        address_line1=address_line1.strip(),
        address_line2=(address_line2 or "").strip(),
        town=(town or "").strip(),
        postcode=postcode,
        local_authority=local_authority,
        region=region,
        pdu=pdu,
        turnaround_working_days=turnaround_working_days,
        notes=(notes or "").strip(),
        start_date=start_date or clock.today(),
    )
    _save_unique(premises, f"A property with the reference {reference} already exists in {pdu.name}")
    premises.characteristics.set(chosen)
    audit.record_change(
        actor, "premises.created", premises, before=None, after=_premises_snapshot(premises), service=service
    )
    return premises


UPDATABLE_PREMISES_FIELDS = {
    "reference",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "local_authority",
    "region",
    "pdu",
    "characteristics",
    "turnaround_working_days",
    "notes",
}


@transaction.atomic
def update_premises(actor, premises: Premises, *, version: int | None = None, **changes) -> Premises:
    """Change a property's details; `version` is the one the caller read (None skips the check)."""
    unknown = set(changes) - UPDATABLE_PREMISES_FIELDS
    if unknown:
        raise ValueError(f"update_premises cannot change {sorted(unknown)}")
    premises = _lock_premises(premises)
    _check_manage(actor, premises.region_id, premises.service)
    check_and_bump(premises, version)
    before = _premises_snapshot(premises)
    current_characteristics = list(premises.characteristics.all())
    if "region" in changes and changes["region"] is not None:
        # Moving a property to another region needs the right to manage both.
        _check_manage(actor, changes["region"].pk, premises.service)
    old_pdu_id = premises.pdu_id
    for name in ("reference", "address_line1", "address_line2", "town", "notes"):
        if name in changes:
            setattr(premises, name, (changes[name] or "").strip())
    for name in ("local_authority", "region", "pdu"):
        if name in changes:
            setattr(premises, name, changes[name])
    premises.reference = clean_reference(premises.reference, what="property")
    if not premises.address_line1:
        raise DomainError("Enter the first line of the address", field="address_line1")
    if "postcode" in changes:
        premises.postcode = normalise_postcode(changes["postcode"])
    if "turnaround_working_days" in changes:
        premises.turnaround_working_days = _check_turnaround(changes["turnaround_working_days"])
    _check_region_and_pdu(premises.region, premises.pdu, current_pdu_id=old_pdu_id)
    _check_unique_premises(premises.reference, premises.pdu, exclude_pk=premises.pk)
    _save_unique(premises, f"A property with the reference {premises.reference} already exists in {premises.pdu.name}")
    if "characteristics" in changes:
        premises.characteristics.set(
            _characteristics(
                changes["characteristics"], Characteristic.Scope.PREMISES, premises.service, current_characteristics
            )
        )
    audit.record_change(
        actor,
        "premises.updated",
        premises,
        before=before,
        after=_premises_snapshot(premises),
        service=premises.service,
    )
    return premises


# Bedspaces -------------------------------------------------------------------------------------


def _check_bedspace_start(premises: Premises, start_date: dt.date, today: dt.date, onboarding: bool) -> None:
    if start_date is None:
        raise DomainError("Enter the bedspace start date", field="start_date")
    earliest, latest = bedspace_start_window(today)
    if onboarding:
        # Importing an existing estate: bedspaces that have been in use for years are fine.
        if start_date > latest:
            raise DomainError(f"The start date must be {long_date(latest)} or earlier", field="start_date")
        return
    if not earliest <= start_date <= latest:
        raise DomainError(
            f"The start date must be between {long_date(earliest)} and {long_date(latest)}", field="start_date"
        )
    if start_date < premises.start_date:
        raise DomainError(
            f"The start date must be on or after {long_date(premises.start_date)}, when the property came online",
            field="start_date",
        )


def _unschedule_premises_archive(actor, premises: Premises, reason: str) -> None:
    """A property that was going to be archived stays online (a bedspace was added or came back)."""
    pending = (
        ArchiveChange.objects.select_for_update()
        .filter(premises=premises, bedspace__isnull=True, action=ArchiveChange.Action.ARCHIVE)
        .filter(cancelled_at__isnull=True, effective_date=premises.end_date)
        .order_by("-created_at")
        .first()
    )
    before = _dates_snapshot(premises)
    premises.end_date = None
    check_and_bump(premises, None)
    premises.save(update_fields=["end_date", "version", "updated_at"])
    if pending is not None:
        pending.cancelled_at = clock.now()
        pending.cancelled_by = _user(actor)
        pending.cancellation_reason = reason
        pending.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_reason", "updated_at"])
    audit.record_change(
        actor,
        "premises.archive_cancelled",
        premises,
        before=before,
        after=_dates_snapshot(premises),
        service=premises.service,
        detail=reason,
    )


@transaction.atomic
def create_bedspace(
    actor,
    premises: Premises,
    *,
    reference: str,
    start_date: dt.date,
    characteristics: Iterable[Characteristic] = (),
    notes: str = "",
    onboarding: bool = False,
) -> Bedspace:
    """Add a bedspace. `onboarding` (the importer, demo data) allows start dates in the past."""
    premises = _lock_premises(premises)
    _check_manage(actor, premises.region_id, premises.service)
    today = clock.today()
    reference = clean_reference(reference, what="bedspace", minimum=3)
    if premises.end_date is not None and premises.end_date <= today:
        raise DomainError("This property is archived. Bring it back online before adding bedspaces", field="reference")
    _check_bedspace_start(premises, start_date, today, onboarding)
    chosen = _characteristics(characteristics, Characteristic.Scope.BEDSPACE, premises.service)
    _check_unique_bedspace(reference, premises)
    if onboarding and start_date < premises.start_date and not premises.archive_changes.exists():
        # An imported property has been in service at least as long as its oldest bedspace.
        premises.start_date = start_date
        check_and_bump(premises, None)
        premises.save(update_fields=["start_date", "version", "updated_at"])
    if premises.end_date is not None:
        _unschedule_premises_archive(actor, premises, f"Bedspace {reference} was added")
    bedspace = Bedspace(premises=premises, reference=reference, start_date=start_date, notes=(notes or "").strip())
    _save_unique(bedspace, f"This property already has a bedspace with the reference {reference}")
    bedspace.characteristics.set(chosen)
    audit.record_change(
        actor,
        "bedspace.created",
        bedspace,
        before=None,
        after=_bedspace_snapshot(bedspace),
        service=premises.service,
    )
    return bedspace


@transaction.atomic
def update_bedspace(
    actor,
    bedspace: Bedspace,
    *,
    reference: str | None = None,
    characteristics: Iterable[Characteristic] | None = None,
    notes: str | None = None,
    start_date: dt.date | None = None,
    onboarding: bool = False,
    version: int | None = None,
) -> Bedspace:
    """Change a bedspace's details. The start date can change only while the bedspace is upcoming."""
    premises = _lock_premises(bedspace.premises)
    _check_manage(actor, premises.region_id, premises.service)
    bedspace = Bedspace.objects.select_for_update().get(pk=bedspace.pk, premises=premises)
    check_and_bump(bedspace, version)
    today = clock.today()
    before = _bedspace_snapshot(bedspace)
    current_characteristics = list(bedspace.characteristics.all())
    if reference is not None:
        bedspace.reference = clean_reference(reference, what="bedspace", minimum=3)
        _check_unique_bedspace(bedspace.reference, premises, exclude_pk=bedspace.pk)
    if notes is not None:
        bedspace.notes = notes.strip()
    if start_date is not None and start_date != bedspace.start_date:
        if bedspace.start_date <= today and not onboarding:
            raise DomainError("The start date cannot be changed once the bedspace is in service", field="start_date")
        _check_bedspace_start(premises, start_date, today, onboarding)
        if bedspace.end_date is not None and start_date > bedspace.end_date:
            raise DomainError(
                f"The start date must be on or before the archive date, {long_date(bedspace.end_date)}",
                field="start_date",
            )
        first_void = bedspace.voids.filter(cancelled_at__isnull=True).order_by("start_date").first()
        if first_void and first_void.start_date < start_date:
            raise DomainError(
                f"The start date must be on or before {long_date(first_void.start_date)}, "
                "when this bedspace's first void period starts",
                field="start_date",
            )
        bedspace.start_date = start_date
    _save_unique(bedspace, f"This property already has a bedspace with the reference {bedspace.reference}")
    if characteristics is not None:
        bedspace.characteristics.set(
            _characteristics(characteristics, Characteristic.Scope.BEDSPACE, premises.service, current_characteristics)
        )
    audit.record_change(
        actor,
        "bedspace.updated",
        bedspace,
        before=before,
        after=_bedspace_snapshot(bedspace),
        service=premises.service,
    )
    return bedspace


# Archiving and bringing back online ------------------------------------------------------------


def _last_archive_date(premises: Premises, bedspace: Bedspace | None) -> dt.date | None:
    changes = ArchiveChange.objects.filter(
        premises=premises, action=ArchiveChange.Action.ARCHIVE, cancelled_at__isnull=True
    )
    changes = changes.filter(bedspace=bedspace) if bedspace else changes.filter(bedspace__isnull=True)
    return changes.aggregate(last=Max("effective_date"))["last"]


def _check_archive_date(day: dt.date, today: dt.date, *, start_date: dt.date, last_archived, what: str) -> None:
    if day is None:
        raise DomainError("Enter the archive date", field="date")
    earliest, latest = archive_window(today)
    if not earliest <= day <= latest:
        raise DomainError(
            f"The archive date must be between {long_date(earliest)} and {long_date(latest)}", field="date"
        )
    if day < start_date:
        raise DomainError(
            f"The archive date must be on or after {long_date(start_date)}, when the {what} came online",
            field="date",
        )
    if last_archived is not None and day <= last_archived:
        raise DomainError(
            f"The archive date must be after {long_date(last_archived)}, when the {what} was last archived",
            field="date",
        )


class ArchiveBlocked(Conflict):
    """Archiving on the chosen date clashes with something; `earliest` is the first date that works."""

    def __init__(self, message: str, earliest: dt.date):
        super().__init__(message, field="date", code="archive_blocked")
        self.earliest = earliest


def earliest_archive_date(bedspaces: list[Bedspace], day: dt.date) -> tuple[dt.date, str] | None:
    """The first date on or after `day` when all these bedspaces can be archived, with the reason,
    or None when `day` itself is fine. Blockers: upcoming bedspaces starting after `day`, and busy
    periods (voids; bookings and turnarounds once they exist) that end on or after `day`."""
    candidates: list[tuple[dt.date, str]] = []
    for bedspace in bedspaces:
        if bedspace.start_date > day:
            candidates.append(
                (bedspace.start_date, f"bedspace {bedspace.reference} starts on {long_date(bedspace.start_date)}")
            )
    by_id = {b.pk: b for b in bedspaces}
    for period in busy_periods(list(by_id), day, None):
        if period.end is None:
            candidates.append((dt.date.max, f"{period.noun or period.kind} on bedspace {by_id[period.bedspace_id]}"))
            continue
        candidates.append(
            (
                period.end + dt.timedelta(days=1),
                f"{period.noun or period.kind} on bedspace {by_id[period.bedspace_id]} until {long_date(period.end)}",
            )
        )
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[0])


def _raise_if_blocked(bedspaces: list[Bedspace], day: dt.date, what: str) -> None:
    blocked = earliest_archive_date(bedspaces, day)
    if blocked is None:
        return
    earliest, reason = blocked
    if earliest == dt.date.max:
        raise ArchiveBlocked(f"You cannot archive this {what} yet because of {reason} with no end date", earliest)
    raise ArchiveBlocked(
        f"The earliest date you can archive this {what} is {long_date(earliest)}, because of {reason}", earliest
    )


def _record(actor, premises, bedspace, action, day, batch, cause=ArchiveChange.Cause.REQUESTED) -> ArchiveChange:
    subject = bedspace or premises
    return ArchiveChange.objects.create(
        premises=premises,
        bedspace=bedspace,
        action=action,
        cause=cause,
        effective_date=day,
        previous_start_date=subject.start_date,
        previous_end_date=subject.end_date,
        batch=batch,
        made_by=_user(actor),
    )


def _apply(actor, change: ArchiveChange, subject, *, start=None, end=None, detail: str = "") -> None:
    before = _dates_snapshot(subject)
    if change.action == ArchiveChange.Action.ARCHIVE:
        subject.end_date = end
    else:
        subject.start_date, subject.end_date = start, None
    subject.save(update_fields=["start_date", "end_date", "version", "updated_at"])
    kind = "bedspace" if isinstance(subject, Bedspace) else "premises"
    verb = "archived" if change.action == ArchiveChange.Action.ARCHIVE else "unarchived"
    audit.record_change(
        actor,
        f"{kind}.{verb}",
        subject,
        before=before,
        after=_dates_snapshot(subject),
        service=change.premises.service,
        detail=detail or f"{change.get_action_display()} on {long_date(change.effective_date)}",
    )


def premises_archive_preview(premises: Premises, day: dt.date, version: int | None = None) -> list[Bedspace]:
    """Check archiving `premises` on `day` (raising the refusal) and list the bedspaces it archives.
    `version`: the one the page was drawn from, so a stale page is refused before it is confirmed."""
    check_version(premises, version)
    today = clock.today()
    if premises.end_date is not None:
        if premises.end_date <= today:
            raise DomainError("This property is already archived", field="date")
        raise DomainError(
            f"This property is already due to be archived on {long_date(premises.end_date)}. "
            "Cancel that change first to choose a different date",
            field="date",
        )
    if premises.start_date > today:
        raise DomainError(
            f"This property is due to come back online on {long_date(premises.start_date)}. "
            "Cancel that change first if it should stay archived",
            field="date",
        )
    _check_archive_date(
        day, today, start_date=premises.start_date, last_archived=_last_archive_date(premises, None), what="property"
    )
    affected = [b for b in premises.bedspaces.all() if b.end_date is None or b.end_date > day]
    _raise_if_blocked(affected, day, "property")
    return affected


@transaction.atomic
def archive_premises(actor, premises: Premises, day: dt.date, *, version: int | None = None) -> ArchiveChange:
    """Archive a property (now or on a later date) and every bedspace still in service then."""
    premises = _lock_premises(premises)
    _check_manage(actor, premises.region_id, premises.service)
    check_and_bump(premises, version)
    affected = premises_archive_preview(premises, day)
    batch = uuid.uuid4()
    change = _record(actor, premises, None, ArchiveChange.Action.ARCHIVE, day, batch)
    _apply(actor, change, premises, end=day)
    for bedspace in affected:
        sub = _record(
            actor, premises, bedspace, ArchiveChange.Action.ARCHIVE, day, batch, ArchiveChange.Cause.WITH_PROPERTY
        )
        check_and_bump(bedspace, None)
        _apply(actor, sub, bedspace, end=day, detail=f"Archived with property {premises.reference}")
    return change


def bedspace_archive_preview(bedspace: Bedspace, day: dt.date, version: int | None = None) -> bool:
    """Check archiving `bedspace` on `day` (raising the refusal); True when that archives the
    property too, because every other bedspace is already archived or due to be."""
    check_version(bedspace, version)
    today = clock.today()
    if bedspace.end_date is not None:
        if bedspace.end_date <= today:
            raise DomainError("This bedspace is already archived", field="date")
        raise DomainError(
            f"This bedspace is already due to be archived on {long_date(bedspace.end_date)}. "
            "Cancel that change first to choose a different date",
            field="date",
        )
    _check_archive_date(
        day,
        today,
        start_date=bedspace.start_date,
        last_archived=_last_archive_date(bedspace.premises, bedspace),
        what="bedspace",
    )
    _raise_if_blocked([bedspace], day, "bedspace")
    others = bedspace.premises.bedspaces.exclude(pk=bedspace.pk)
    return bedspace.premises.end_date is None and not others.filter(end_date__isnull=True).exists()


@transaction.atomic
def archive_bedspace(actor, bedspace: Bedspace, day: dt.date, *, version: int | None = None) -> ArchiveChange:
    """Archive a bedspace; archiving the last one in service archives its property too."""
    premises = _lock_premises(bedspace.premises)
    _check_manage(actor, premises.region_id, premises.service)
    bedspace = Bedspace.objects.select_for_update().get(pk=bedspace.pk, premises=premises)
    check_and_bump(bedspace, version)
    bedspace.premises = premises
    archives_property = bedspace_archive_preview(bedspace, day)
    batch = uuid.uuid4()
    change = _record(actor, premises, bedspace, ArchiveChange.Action.ARCHIVE, day, batch)
    _apply(actor, change, bedspace, end=day)
    if archives_property:
        last_day = max([day, *(b.end_date for b in premises.bedspaces.exclude(pk=bedspace.pk))])
        sub = _record(
            actor, premises, None, ArchiveChange.Action.ARCHIVE, last_day, batch, ArchiveChange.Cause.LAST_BEDSPACE
        )
        check_and_bump(premises, None)
        _apply(
            actor, sub, premises, end=last_day, detail=f"Archived because its last bedspace, {bedspace}, was archived"
        )
    return change


def _check_unarchive_date(day: dt.date, today: dt.date, archived_on: dt.date, what: str) -> None:
    if day is None:
        raise DomainError("Enter the date it comes back online", field="date")
    earliest, latest = unarchive_window(today)
    if not earliest <= day <= latest:
        raise DomainError(
            f"The date it comes back online must be between {long_date(earliest)} and {long_date(latest)}",
            field="date",
        )
    if day < archived_on:
        raise DomainError(
            f"The date it comes back online must be on or after {long_date(archived_on)}, when the {what} was archived",
            field="date",
        )


def _check_is_archived(subject, today: dt.date, what: str) -> None:
    if subject.end_date is None:
        if subject.start_date > today:
            raise DomainError(
                f"This {what} is already due to come back online on {long_date(subject.start_date)}", field="date"
            )
        raise DomainError(f"This {what} is not archived", field="date")
    if subject.end_date > today:
        raise DomainError(
            f"This {what} is due to be archived on {long_date(subject.end_date)}. Cancel that change instead",
            field="date",
        )


def premises_unarchive_preview(premises: Premises, day: dt.date, version: int | None = None) -> list[Bedspace]:
    check_version(premises, version)
    today = clock.today()
    _check_is_archived(premises, today, "property")
    _check_unarchive_date(day, today, premises.end_date, "property")
    return [b for b in premises.bedspaces.all() if b.end_date is not None]


@transaction.atomic
def unarchive_premises(actor, premises: Premises, day: dt.date, *, version: int | None = None) -> ArchiveChange:
    """Bring an archived property back online on `day`, with its archived bedspaces."""
    premises = _lock_premises(premises)
    _check_manage(actor, premises.region_id, premises.service)
    check_and_bump(premises, version)
    returning = premises_unarchive_preview(premises, day)
    batch = uuid.uuid4()
    change = _record(actor, premises, None, ArchiveChange.Action.UNARCHIVE, day, batch)
    _apply(actor, change, premises, start=day)
    for bedspace in returning:
        sub = _record(
            actor, premises, bedspace, ArchiveChange.Action.UNARCHIVE, day, batch, ArchiveChange.Cause.WITH_PROPERTY
        )
        check_and_bump(bedspace, None)
        _apply(actor, sub, bedspace, start=day, detail=f"Back online with property {premises.reference}")
    return change


def bedspace_unarchive_preview(bedspace: Bedspace, day: dt.date, version: int | None = None) -> bool:
    """Check bringing `bedspace` back on `day`; True when the property comes back online too."""
    check_version(bedspace, version)
    today = clock.today()
    premises = bedspace.premises
    _check_is_archived(bedspace, today, "bedspace")
    _check_unarchive_date(day, today, bedspace.end_date, "bedspace")
    if premises.end_date is not None and premises.end_date <= today and day < premises.end_date:
        raise DomainError(
            f"The date it comes back online must be on or after {long_date(premises.end_date)}, "
            "when the property was archived",
            field="date",
        )
    if premises.end_date is None and premises.start_date > day:
        raise DomainError(
            f"The property comes back online on {long_date(premises.start_date)}. Choose that date or later",
            field="date",
        )
    return premises.end_date is not None


@transaction.atomic
def unarchive_bedspace(actor, bedspace: Bedspace, day: dt.date, *, version: int | None = None) -> ArchiveChange:
    """Bring an archived bedspace back online; an archived property comes back with it."""
    premises = _lock_premises(bedspace.premises)
    _check_manage(actor, premises.region_id, premises.service)
    bedspace = Bedspace.objects.select_for_update().get(pk=bedspace.pk, premises=premises)
    check_and_bump(bedspace, version)
    bedspace.premises = premises
    brings_property_back = bedspace_unarchive_preview(bedspace, day)
    batch = uuid.uuid4()
    change = _record(actor, premises, bedspace, ArchiveChange.Action.UNARCHIVE, day, batch)
    _apply(actor, change, bedspace, start=day)
    if brings_property_back:
        if premises.end_date > clock.today():
            _unschedule_premises_archive(actor, premises, f"Bedspace {bedspace} came back online")
        else:
            sub = _record(
                actor, premises, None, ArchiveChange.Action.UNARCHIVE, day, batch, ArchiveChange.Cause.BEDSPACE_BACK
            )
            check_and_bump(premises, None)
            _apply(actor, sub, premises, start=day, detail=f"Back online because bedspace {bedspace} came back online")
    return change


@transaction.atomic
def cancel_change(actor, change: ArchiveChange, *, reason: str = "Cancelled") -> list[ArchiveChange]:
    """Cancel a scheduled archive or return to service (and the changes made with it), restoring
    the dates each subject had before. Only changes still ahead can be cancelled."""
    premises = _lock_premises(change.premises)
    _check_manage(actor, premises.region_id, premises.service)
    change = ArchiveChange.objects.select_for_update().get(pk=change.pk, premises=premises)
    today = clock.today()
    if change.is_cancelled:
        raise DomainError("This change has already been cancelled")
    if change.effective_date <= today:
        raise DomainError(
            f"This change took effect on {long_date(change.effective_date)}, so it can no longer be cancelled"
        )
    batch = list(
        # Lock only the change rows: PostgreSQL cannot lock the nullable side of the bedspace join.
        ArchiveChange.objects.select_for_update(of=("self",))
        .filter(batch=change.batch, cancelled_at__isnull=True)
        .select_related("bedspace")
        .order_by("-created_at")
    )
    for item in batch:
        later = ArchiveChange.objects.filter(
            premises=premises, bedspace=item.bedspace, cancelled_at__isnull=True, created_at__gt=item.created_at
        ).exclude(batch=item.batch)
        if later.exists():
            raise Conflict(f"A later change to {item.bedspace or 'the property'} must be cancelled first")
    now = clock.now()
    for item in batch:
        subject = item.bedspace or premises
        before = _dates_snapshot(subject)
        subject.start_date = item.previous_start_date
        subject.end_date = item.previous_end_date
        check_and_bump(subject, None)
        subject.save(update_fields=["start_date", "end_date", "version", "updated_at"])
        item.cancelled_at = now
        item.cancelled_by = _user(actor)
        item.cancellation_reason = reason
        item.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_reason", "updated_at"])
        kind = "bedspace" if item.bedspace_id else "premises"
        audit.record_change(
            actor,
            f"{kind}.{item.action}_cancelled",
            subject,
            before=before,
            after=_dates_snapshot(subject),
            service=premises.service,
            detail=f"Cancelled: {item.get_action_display().lower()} on {long_date(item.effective_date)}",
        )
    return batch


# Void periods ----------------------------------------------------------------------------------


def _check_void(
    bedspace: Bedspace, start_date, end_date, reason, cost_borne_by, *, exclude: str = "", current_reason_id=None
):
    if start_date is None:
        raise DomainError("Enter the start date", field="start_date")
    if end_date is None:
        raise DomainError("Enter the end date", field="end_date")
    if end_date < start_date:
        raise DomainError("The end date must be the same as or after the start date", field="end_date")
    if reason is None:
        raise DomainError("Select a reason", field="reason")
    if bedspace.premises.service not in reason.service_list or (
        not reason.is_active and reason.pk != current_reason_id
    ):
        raise DomainError("Select a reason from the list", field="reason")
    if cost_borne_by not in VoidPeriod.CostBorneBy.values:
        raise DomainError("Select who pays for the void period", field="cost_borne_by")
    if start_date < bedspace.start_date:
        raise DomainError(
            f"The start date must be on or after {long_date(bedspace.start_date)}, when the bedspace came online",
            field="start_date",
        )
    if bedspace.end_date is not None and end_date >= bedspace.end_date:
        raise DomainError(
            f"The end date must be before {long_date(bedspace.end_date)}, when the bedspace is archived",
            field="end_date",
        )
    for period in busy_periods([bedspace.pk], start_date, end_date, exclude=exclude):
        until = f" to {long_date(period.end)}" if period.end else " with no end date"
        raise Conflict(
            f"These dates overlap {period.noun or period.kind} on this bedspace, from {long_date(period.start)}{until}. "
            "Choose other dates or change the existing one",
            field="start_date",
        )


@transaction.atomic
def create_void(
    actor,
    bedspace: Bedspace,
    *,
    start_date: dt.date,
    end_date: dt.date,
    reason: VoidReason,
    cost_borne_by: str,
    reference_number: str = "",
    notes: str = "",
) -> VoidPeriod:
    premises = _lock_premises(bedspace.premises)
    _check_manage(actor, premises.region_id, premises.service)
    bedspace = Bedspace.objects.get(pk=bedspace.pk, premises=premises)
    _check_void(bedspace, start_date, end_date, reason, cost_borne_by)
    void = VoidPeriod.objects.create(
        bedspace=bedspace,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        cost_borne_by=cost_borne_by,
        reference_number=(reference_number or "").strip(),
        notes=(notes or "").strip(),
        created_by=_user(actor),
    )
    audit.record_change(actor, "void.created", void, before=None, after=_void_snapshot(void), service=premises.service)
    return void


@transaction.atomic
def update_void(
    actor,
    void: VoidPeriod,
    *,
    start_date: dt.date,
    end_date: dt.date,
    reason: VoidReason,
    cost_borne_by: str,
    reference_number: str = "",
    notes: str = "",
    version: int | None = None,
) -> VoidPeriod:
    premises = _lock_premises(void.bedspace.premises)
    _check_manage(actor, premises.region_id, premises.service)
    void = (
        VoidPeriod.objects.select_for_update().select_related("bedspace").get(pk=void.pk, bedspace__premises=premises)
    )
    # Cancelled first: once cancelled it cannot change whatever version the form had, and saying
    # so is more use than asking the user to make their change again.
    if void.is_cancelled:
        raise DomainError("This void period has been cancelled and cannot be changed")
    check_and_bump(void, version)
    before = _void_snapshot(void)
    _check_void(
        void.bedspace,
        start_date,
        end_date,
        reason,
        cost_borne_by,
        exclude=str(void.pk),
        current_reason_id=void.reason_id,
    )
    void.start_date, void.end_date, void.reason, void.cost_borne_by = start_date, end_date, reason, cost_borne_by
    void.reference_number = (reference_number or "").strip()
    void.notes = (notes or "").strip()
    void.save()
    audit.record_change(
        actor, "void.updated", void, before=before, after=_void_snapshot(void), service=premises.service
    )
    return void


@transaction.atomic
def cancel_void(actor, void: VoidPeriod, *, notes: str, version: int | None = None) -> VoidPeriod:
    premises = _lock_premises(void.bedspace.premises)
    _check_manage(actor, premises.region_id, premises.service)
    void = VoidPeriod.objects.select_for_update().get(pk=void.pk, bedspace__premises=premises)
    if void.is_cancelled:
        raise DomainError("This void period has already been cancelled")
    # The user confirmed cancelling the dates they saw: refuse if someone changed them since.
    check_and_bump(void, version)
    notes = (notes or "").strip()
    if not notes:
        raise DomainError("Enter why the void period is cancelled", field="notes")
    before = _void_snapshot(void)
    void.cancelled_at = clock.now()
    void.cancelled_by = _user(actor)
    void.cancellation_notes = notes
    void.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_notes", "version", "updated_at"])
    audit.record_change(
        actor, "void.cancelled", void, before=before, after=_void_snapshot(void), service=premises.service
    )
    return void
