"""Void periods: a bedspace out of service between two dates (both included), free of every other busy
period on it.
"""

import datetime as dt

from django.db import transaction

from cas.core import audit, clock
from cas.core.concurrency import check_and_bump
from cas.core.dates import long_date
from cas.core.errors import Conflict, DomainError
from cas.premises.models import Bedspace, VoidPeriod
from cas.premises.occupancy import busy_periods
from cas.premises.services.rules import _check_manage, _lock_premises, _user
from cas.reference.models import VoidReason

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


def _void_snapshot(void: VoidPeriod) -> dict:
    return audit.snapshot(void, VOID_FIELDS)


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
