"""Adding and changing bedspaces: reference, start date (the MoJ's window, or any past date when
onboarding an existing estate) and characteristics.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from cas.core import audit, clock
from cas.core.concurrency import check_and_bump
from cas.core.dates import long_date
from cas.core.errors import DomainError
from cas.premises.models import Bedspace, Premises
from cas.premises.services.archiving import _unschedule_premises_archive
from cas.premises.services.rules import _characteristics, _check_manage, _lock_premises, _save_unique, clean_reference
from cas.reference.models import Characteristic

# The MoJ's date window.
BEDSPACE_START_DAYS = 7


BEDSPACE_FIELDS = ("premises", "reference", "start_date", "end_date", "notes")


def bedspace_start_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=BEDSPACE_START_DAYS), today + dt.timedelta(days=BEDSPACE_START_DAYS)


def _bedspace_snapshot(bedspace: Bedspace) -> dict:
    data = audit.snapshot(bedspace, BEDSPACE_FIELDS)
    data["characteristics"] = sorted(c.name for c in bedspace.characteristics.all())
    return data


def _check_unique_bedspace(reference: str, premises: Premises, *, exclude_pk=None) -> None:
    clash = Bedspace.objects.filter(premises=premises, reference__iexact=reference)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            f"This property already has a bedspace with the reference {reference}. Enter a different reference",
            field="reference",
        )


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
