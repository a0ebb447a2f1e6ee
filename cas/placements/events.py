"""The domain events of a booking's life, for the probation case system (NDelius) to update the
person's address without anyone re-keying it. Declared once here; `services.py` publishes them in
the same transaction as the change."""

from django.conf import settings
from django.urls import reverse

from cas.events.domain_events import EventType, publish, register

PREFIX = "accommodation.cas3"

BOOKING_PROVISIONALLY_MADE = f"{PREFIX}.booking.provisionally-made"
BOOKING_CONFIRMED = f"{PREFIX}.booking.confirmed"
BOOKING_CANCELLED = f"{PREFIX}.booking.cancelled"
BOOKING_CANCELLED_UPDATED = f"{PREFIX}.booking.cancelled.updated"
BOOKING_DATES_CHANGED = f"{PREFIX}.booking.dates-changed"
BOOKING_TURNAROUND_CHANGED = f"{PREFIX}.booking.turnaround-changed"
PERSON_ARRIVED = f"{PREFIX}.person.arrived"
PERSON_ARRIVED_UPDATED = f"{PREFIX}.person.arrived.updated"
PERSON_NOT_ARRIVED = f"{PREFIX}.person.not-arrived"
PERSON_DEPARTED = f"{PREFIX}.person.departed"
PERSON_DEPARTED_UPDATED = f"{PREFIX}.person.departed.updated"

for name, description in (
    (BOOKING_PROVISIONALLY_MADE, "A CAS3 bedspace has been provisionally booked for a person"),
    (BOOKING_CONFIRMED, "A CAS3 booking has been confirmed"),
    (BOOKING_CANCELLED, "A CAS3 booking has been cancelled"),
    (BOOKING_CANCELLED_UPDATED, "The details of a cancelled CAS3 booking have changed"),
    (BOOKING_DATES_CHANGED, "A CAS3 stay has been extended or shortened"),
    (BOOKING_TURNAROUND_CHANGED, "The turnaround after a CAS3 stay has changed"),
    (PERSON_ARRIVED, "A person has arrived at their CAS3 accommodation"),
    (PERSON_ARRIVED_UPDATED, "The arrival date of a person in CAS3 accommodation has changed"),
    (PERSON_NOT_ARRIVED, "A person did not arrive at the CAS3 accommodation booked for them"),
    (PERSON_DEPARTED, "A person has left their CAS3 accommodation"),
    (PERSON_DEPARTED_UPDATED, "The departure details of a person who left CAS3 accommodation have changed"),
):
    register(EventType(name, description))


def _ref(obj, code_attr: str = "delius_code") -> dict | None:
    if obj is None:
        return None
    return {"code": getattr(obj, code_attr), "name": obj.name}


def booking_detail(booking, actor, **extra) -> dict:
    """What the probation case system needs to update the person's address, plus the change."""
    premises = booking.premises
    detail = {
        "bookingId": str(booking.pk),
        "bookingUrl": f"{settings.SERVICE_URL}{reverse('web:booking-detail', args=[booking.pk])}",
        "referralId": str(booking.referral_id) if booking.referral_id else None,
        "personReference": {"crn": booking.crn, "noms": booking.noms_number or None},
        "status": booking.current_status.value,
        "premises": {
            "id": str(premises.pk),
            "reference": premises.reference,
            "addressLine1": premises.address_line1,
            "addressLine2": premises.address_line2 or None,
            "town": premises.town or None,
            "postcode": premises.postcode,
            "localAuthority": _ref(premises.local_authority, "identifier"),
            "region": _ref(premises.region),
            "pdu": _ref(premises.pdu),
        },
        "bedspace": {"id": str(booking.bedspace_id), "reference": booking.bedspace.reference},
        "arrivalDate": booking.arrival_date.isoformat(),
        "departureDate": booking.departure_date.isoformat(),
        "turnaroundWorkingDays": booking.turnaround_working_days,
        "bedspaceAvailableFrom": booking.available_from.isoformat(),
        "recordedBy": {
            "username": getattr(actor, "username", "") or "system",
            "probationRegionCode": getattr(getattr(actor, "region", None), "delius_code", None),
        },
    }
    detail.update(extra)
    return detail


def publish_booking_event(event_type: str, booking, actor, **extra):
    return publish(
        event_type,
        service=booking.service,
        crn=booking.crn,
        noms_number=booking.noms_number,
        subject=booking,
        detail=booking_detail(booking, actor, **extra),
        actor=actor,
    )
