"""Administrators' edits to reference entries, audited like any other change."""

from django.db import transaction

from cas.core import audit
from cas.core.concurrency import check_and_bump
from cas.core.errors import DomainError
from cas.core.tiers import SERVICE_CODES

EDITABLE_FIELDS = ("name", "services", "is_active", "sort_order")


@transaction.atomic
def update_entry(
    actor, entry, *, name: str, services: list[str], is_active: bool, sort_order: int, version: int | None = None
):
    entry = type(entry).objects.select_for_update().get(pk=entry.pk)
    check_and_bump(entry, version)
    unknown = set(services) - set(SERVICE_CODES)
    if unknown or not services:
        raise DomainError("Select at least one service", field="services")
    before = audit.snapshot(entry, EDITABLE_FIELDS)
    entry.name = name.strip()
    entry.services = ",".join(sorted(services))
    entry.is_active = is_active
    entry.sort_order = sort_order
    entry.save()
    audit.record_change(actor, "reference.updated", entry, before=before, after=audit.snapshot(entry, EDITABLE_FIELDS))
    return entry
