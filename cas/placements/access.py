"""Opening one case of placement by its id: a booking, a bedspace to book, a referral to place. Every
page and API endpoint that reads one of them comes through here.

Each is refused with the same error, in the same words, whether it does not exist or the user may not
reach it (another tier's, or another region's for a user without national scope), so an id never
tells anyone that a record exists elsewhere; the refusal of one that exists is audited. A booking and
a referral name a person: a person the case system restricts from the user is refused
(`PersonRestricted`, audited), and every one opened is audited as a view of the person's details, as
the referral pages do (`cas.referrals.cas3.review.open_referral`). A bedspace names no one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cas.core import audit, tiers
from cas.core.errors import DomainError
from cas.core.permissions import Permission, can_access_region, check, may_reach_service
from cas.people.services import PersonRestricted, limited_access_crns
from cas.placements import queries
from cas.placements.models import Booking
from cas.premises.access import BedspaceNotFound
from cas.premises.models import Bedspace
from cas.referrals.models import Referral

# An id that is not a UUID is a missing record.
_BAD_ID = (ValueError, ValidationError)


class BookingNotFound(DomainError):
    def __init__(self):
        super().__init__(
            "Booking not found. Check the link, or it may belong to another region or service.", code="not_found"
        )


class ReadyReferralNotFound(DomainError):
    def __init__(self):
        super().__init__(
            "Referral not found among those ready to place. Check the link, or it may have been placed already "
            "or belong to another region or service.",
            code="not_found",
        )


def _out_of_reach(user, permission: Permission, record, *, region_id, what: str) -> str | None:
    """None when the user may reach the record with `permission`; otherwise why not, for the audit."""
    if not may_reach_service(user, permission, record.service):
        return f"{what} {record.pk} is of another tier"
    if not can_access_region(user, region_id):
        return f"{what} {record.pk} is in another region"
    return None


def _check_person(user, crn: str, action: str, what: str) -> None:
    """Refuse (PersonRestricted) a person the case system restricts from the user, as their referral
    would be. One question to the case system; when it cannot answer, the person counts as restricted."""
    if limited_access_crns(user, [crn]):
        audit.record_refusal(user, action, crn=crn, detail=f"{what}: the person is restricted from the user")
        raise PersonRestricted(crn)


def open_booking(user, pk, *, purpose: str) -> Booking:
    """The booking with what its page shows (`queries.with_details`). BookingNotFound when it does not
    exist or is out of the user's reach; PersonRestricted for a restricted person. The view is audited
    with `purpose`, the page or endpoint that shows it."""
    check(user, Permission.BOOKINGS_VIEW)
    try:
        booking = queries.with_details(Booking.objects.all()).get(pk=pk)
    except (Booking.DoesNotExist, *_BAD_ID):
        raise BookingNotFound() from None
    refused = _out_of_reach(user, Permission.BOOKINGS_VIEW, booking, region_id=booking.region_id, what="booking")
    if refused:
        audit.record_refusal(user, "booking.refused", crn=booking.crn, detail=refused)
        raise BookingNotFound()
    _check_person(user, booking.crn, "booking.refused", f"booking {booking.pk}")
    audit.record_view(user, "booking.viewed", crn=booking.crn, subject_label=booking.person_name, detail=purpose)
    return booking


def open_bedspace_for_search(user, pk) -> Bedspace:
    """A bedspace the user may search and book, with its property, PDU, region, local authority and the
    characteristics of both. BedspaceNotFound when it does not exist or is out of the user's reach."""
    check(user, Permission.PLACEMENT_SEARCH)
    try:
        bedspace = (
            Bedspace.objects.select_related("premises__pdu", "premises__region", "premises__local_authority")
            .prefetch_related("characteristics", "premises__characteristics")
            .get(pk=pk)
        )
    except (Bedspace.DoesNotExist, *_BAD_ID):
        raise BedspaceNotFound() from None
    premises = bedspace.premises
    refused = _out_of_reach(user, Permission.PLACEMENT_SEARCH, premises, region_id=premises.region_id, what="property")
    if refused:
        audit.record_refusal(user, "placement.bedspace_refused", detail=f"bedspace {bedspace.pk}: {refused}")
        raise BedspaceNotFound()
    return bedspace


def open_ready_referral(user, pk, *, purpose: str) -> Referral:
    """A referral the user may place: of their tier and region, in a status a booking can take
    (`queries.placeable_statuses`). ReadyReferralNotFound otherwise, whether it is missing, out of
    reach (audited) or not ready; PersonRestricted for a restricted person. The view is audited."""
    check(user, Permission.PLACEMENT_SEARCH)
    try:
        referral = Referral.objects.live().select_related("region", "pdu").get(pk=pk)
    except (Referral.DoesNotExist, *_BAD_ID):
        raise ReadyReferralNotFound() from None
    refused = _out_of_reach(user, Permission.PLACEMENT_SEARCH, referral, region_id=referral.region_id, what="referral")
    if refused:
        audit.record_refusal(user, "placement.referral_refused", crn=referral.crn, detail=refused)
        raise ReadyReferralNotFound()
    if referral.status not in queries.placeable_statuses(tiers.get(referral.service)):
        raise ReadyReferralNotFound()
    _check_person(user, referral.crn, "placement.referral_refused", f"referral {referral.pk}")
    audit.record_view(user, "referral.viewed", crn=referral.crn, subject_label=referral.person_name, detail=purpose)
    return referral
