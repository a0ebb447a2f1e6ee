"""What confirming or cancelling a booking does beyond the booking: its referral moves as the booking's
tier says, and the practitioner is emailed the tier's template.
"""

from __future__ import annotations

from cas.core import tiers
from cas.core.dates import long_date
from cas.events.notifications import send_email
from cas.placements.models import Booking
from cas.referrals import lifecycle as referral_lifecycle
from cas.referrals import timeline
from cas.referrals.models import Referral


def _move_referral(actor, booking: Booking, event: str) -> None:
    """What the booking's tier says a booking confirmed or cancelled does to its referral (CAS3: a
    confirmed booking closes it, cancelling puts it back to place); the referral workflow makes the
    move (its lifecycle, audit and timeline entry, which for a confirmed booking says where and when,
    so the referrer learns it)."""
    if booking.referral_id is None:
        return
    details = None
    if event == "confirmed":
        details = timeline.placement_details(
            address=booking.premises.address,
            expected_arrival=booking.arrival_date,
            expected_departure=booking.departure_date,
        )
    referral_lifecycle.booking_event(booking.referral, actor, event, details)
    booking.referral = Referral.objects.select_related("region", "created_by").get(pk=booking.referral_id)


def _tell_referral(actor, booking: Booking, event: str) -> None:
    """The person arrived or left (or those were corrected): the referral's timeline says so, in the
    referrer's words (`cas.referrals.timeline.record_placement`), with only what they may know."""
    if booking.referral_id is None:
        return
    if event in ("arrived", "arrival_changed"):
        details = timeline.placement_details(
            address=booking.premises.address,
            arrived_on=booking.actual_arrival_date,
            expected_departure=booking.departure_date,
        )
    else:
        details = timeline.placement_details(left_on=booking.actual_departure_date)
        if booking.move_on_category_id:
            details["move_on"] = booking.move_on_category.name
    timeline.record_placement(booking.referral, actor, event, details)


def _email_personalisation(booking: Booking) -> dict:
    region = booking.premises.region
    return {
        "name": booking.practitioner_name or "colleague",
        "person_name": booking.person_name,
        "crn": booking.crn,
        "region": region.name,
        "hpt_email": region.hpt_email or "their shared mailbox",
        "address": "\n".join(
            p
            for p in (
                booking.premises.address_line1,
                booking.premises.address_line2,
                booking.premises.town,
                booking.premises.postcode,
            )
            if p
        ),
        "arrival_date": long_date(booking.arrival_date),
        "departure_date": long_date(booking.departure_date),
        "reference": booking.reference,
    }


def _email(purpose: str, booking: Booking, actor, **extra) -> None:
    """Email the practitioner the tier's template for `purpose`, if the tier sends one."""
    template = tiers.get(booking.service).emails.get(purpose)
    if not booking.practitioner_email or template is None:
        return
    send_email(
        template,
        to=booking.practitioner_email,
        personalisation={**_email_personalisation(booking), **extra},
        service=booking.service,
        reference=f"booking:{booking.pk}",
        actor=actor,
    )
