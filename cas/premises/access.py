"""Opening one record of the estate: a property, and under it a bedspace, a void period or an archive
change. Every page and API endpoint that reads one of them by its id comes through here.

A property the user may not reach (another tier's, or another region's for a user without national
scope) is refused with the same error, in the same words, as one that does not exist, so an id never
tells anyone that a property exists elsewhere; the refusal is audited. Opening a property records no
view: it names no person (views are audited for people's details, `cas.core.audit.record_view`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cas.core import audit, clock
from cas.core.errors import DomainError
from cas.core.permissions import Permission, can_access_region, check, may_reach_service
from cas.premises import queries
from cas.premises.models import ArchiveChange, Bedspace, Premises, VoidPeriod

# An id that is not a UUID, or not a number where one is needed, is a missing record.
_BAD_ID = (ValueError, ValidationError)


class EstateRecordNotFound(DomainError):
    """Missing, or out of the user's reach: the same answer for both (404 on pages and in the API)."""

    def __init__(self, what: str):
        super().__init__(
            f"{what} not found. Check the link, or it may belong to another region or service.", code="not_found"
        )


class PremisesNotFound(EstateRecordNotFound):
    def __init__(self):
        super().__init__("Property")


class BedspaceNotFound(EstateRecordNotFound):
    def __init__(self):
        super().__init__("Bedspace")


class VoidNotFound(EstateRecordNotFound):
    def __init__(self):
        super().__init__("Void period")


class ChangeNotFound(EstateRecordNotFound):
    def __init__(self):
        super().__init__("Scheduled change")


def may_reach(user, premises: Premises, permission: Permission = Permission.ESTATE_VIEW) -> str | None:
    """None when the user may reach the property with `permission`; otherwise why not, for the audit."""
    if not may_reach_service(user, permission, premises.service):
        return f"property {premises.pk} is of another tier"
    if not can_access_region(user, premises.region_id):
        return f"property {premises.pk} is in another region"
    return None


def open_premises(user, pk) -> Premises:
    """The property, with its PDU, region, local authority and characteristics; PremisesNotFound when
    it does not exist or the user may not reach it (refusal audited)."""
    check(user, Permission.ESTATE_VIEW)
    try:
        premises = (
            Premises.objects.select_related("pdu", "region", "local_authority")
            .prefetch_related("characteristics")
            .get(pk=pk)
        )
    except (Premises.DoesNotExist, *_BAD_ID):
        raise PremisesNotFound() from None
    refused = may_reach(user, premises)
    if refused:
        audit.record_refusal(user, "premises.refused", detail=refused)
        raise PremisesNotFound()
    return premises


# A bedspace, void period or change is looked for under the property the user opened: an id of one
# under another property is not found, whatever property that is, so it reveals nothing either.


def open_bedspace(user, premises_pk, pk) -> Bedspace:
    """A bedspace of the property (`current_status` annotated, `premises` set to the opened property)."""
    premises = open_premises(user, premises_pk)
    try:
        bedspace = queries.bedspaces_with_status(clock.today()).get(premises=premises, pk=pk)
    except (Bedspace.DoesNotExist, *_BAD_ID):
        raise BedspaceNotFound() from None
    bedspace.premises = premises
    return bedspace


def open_void(user, premises_pk, bedspace_pk, pk) -> VoidPeriod:
    bedspace = open_bedspace(user, premises_pk, bedspace_pk)
    try:
        void = VoidPeriod.objects.select_related("reason").get(bedspace=bedspace, pk=pk)
    except (VoidPeriod.DoesNotExist, *_BAD_ID):
        raise VoidNotFound() from None
    void.bedspace = bedspace
    return void


def open_change(user, premises_pk, pk) -> ArchiveChange:
    premises = open_premises(user, premises_pk)
    try:
        change = ArchiveChange.objects.select_related("bedspace").get(premises=premises, pk=pk)
    except (ArchiveChange.DoesNotExist, *_BAD_ID):
        raise ChangeNotFound() from None
    change.premises = premises
    return change
