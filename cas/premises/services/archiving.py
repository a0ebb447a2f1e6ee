"""Archiving properties and bedspaces and bringing them back online, now or on a date ahead: the date
windows, what blocks an archive (with the earliest date that works), the history in `ArchiveChange`,
and cancelling a scheduled change.
"""

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import Max

from cas.core import audit, clock
from cas.core.concurrency import check_and_bump, check_version
from cas.core.dates import add_months, long_date
from cas.core.errors import Conflict, DomainError
from cas.premises.models import ArchiveChange, Bedspace, Premises
from cas.premises.occupancy import busy_periods
from cas.premises.services.rules import _check_manage, _lock_premises, _user

# The MoJ's date windows.
ARCHIVE_PAST_DAYS = 7
ARCHIVE_AHEAD_MONTHS = 3
UNARCHIVE_DAYS = 14


def archive_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=ARCHIVE_PAST_DAYS), add_months(today, ARCHIVE_AHEAD_MONTHS)


def unarchive_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=UNARCHIVE_DAYS), today + dt.timedelta(days=UNARCHIVE_DAYS)


def _dates_snapshot(subject) -> dict:
    return audit.snapshot(subject, ("start_date", "end_date"))


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
