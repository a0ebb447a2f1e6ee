"""Adding and changing properties: reference, address and postcode, region and PDU, characteristics and
turnaround.
"""

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction

from cas.core import audit, clock
from cas.core.concurrency import check_and_bump
from cas.core.errors import DomainError
from cas.core.permissions import Permission, acting_service, check
from cas.premises.models import Premises
from cas.premises.services.rules import _characteristics, _check_manage, _lock_premises, _save_unique, clean_reference
from cas.reference.models import Characteristic

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


_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """`sw1a1aa` -> `SW1A 1AA`; refuses anything that is not a UK postcode (at most 8 characters)."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        raise DomainError("Enter a postcode", field="postcode")
    match = _POSTCODE.match(compact)
    if not match:
        raise DomainError("Enter a real postcode, like SW1A 1AA", field="postcode")
    return f"{match.group(1)} {match.group(2)}"


def _premises_snapshot(premises: Premises) -> dict:
    data = audit.snapshot(premises, PREMISES_FIELDS)
    data["characteristics"] = sorted(c.name for c in premises.characteristics.all())
    return data


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
