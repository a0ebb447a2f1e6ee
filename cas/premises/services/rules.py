"""The estate's shared checks: who may change a region's estate, the property lock every write takes,
references, characteristics, and saving against the unique references.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from cas.core.errors import DomainError
from cas.core.permissions import Permission, check
from cas.premises.models import Premises
from cas.reference.models import Characteristic


def _check_manage(actor, region_id, service: str) -> None:
    """May `actor` manage the estate of tier `service` in this region?"""
    if actor is None:  # the system: management commands and demo data
        return
    check(actor, Permission.ESTATE_MANAGE, region_id=region_id, check_region=True, service=service)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


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


def _save_unique(obj, message: str) -> None:
    """Save, turning a lost race on a unique reference into the same message as the check above."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise DomainError(message, field="reference") from None
