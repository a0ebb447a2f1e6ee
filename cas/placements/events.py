"""The domain events of a booking's life, for the probation case system (NDelius) to update the
person's address without anyone re-keying it. Declared once here; `services/` publishes them in
the same transaction as the change, in the namespace of the booking's tier."""

from django.conf import settings

from cas.core import tiers
from cas.events.domain_events import EVENT_TYPES, EventType, publish, register

# Each tier publishes these under its own namespace (`Tier.event_namespace`): CAS3's booking confirmed
# is "accommodation.cas3.booking.confirmed".
BOOKING_PROVISIONALLY_MADE = "booking.provisionally-made"
BOOKING_CONFIRMED = "booking.confirmed"
BOOKING_CANCELLED = "booking.cancelled"
BOOKING_CANCELLED_UPDATED = "booking.cancelled.updated"
BOOKING_DATES_CHANGED = "booking.dates-changed"
BOOKING_ARRIVAL_DATE_CHANGED = "booking.arrival-date-changed"
BOOKING_TURNAROUND_CHANGED = "booking.turnaround-changed"
PERSON_ARRIVED = "person.arrived"
PERSON_ARRIVED_UPDATED = "person.arrived.updated"
PERSON_NOT_ARRIVED = "person.not-arrived"
PERSON_DEPARTED = "person.departed"
PERSON_DEPARTED_UPDATED = "person.departed.updated"

# What consumers are told each event means; {tier} is the tier's name.
DESCRIPTIONS = {
    BOOKING_PROVISIONALLY_MADE: "A {tier} bedspace has been provisionally booked for a person",
    BOOKING_CONFIRMED: "A {tier} booking has been confirmed",
    BOOKING_CANCELLED: "A {tier} booking has been cancelled",
    BOOKING_CANCELLED_UPDATED: "The details of a cancelled {tier} booking have changed",
    BOOKING_DATES_CHANGED: "A {tier} stay has been extended or shortened",
    BOOKING_ARRIVAL_DATE_CHANGED: "The date a person is expected to arrive at their {tier} accommodation has changed",
    BOOKING_TURNAROUND_CHANGED: "The turnaround after a {tier} stay has changed",
    PERSON_ARRIVED: "A person has arrived at their {tier} accommodation",
    PERSON_ARRIVED_UPDATED: "The arrival date of a person in {tier} accommodation has changed",
    PERSON_NOT_ARRIVED: "A person did not arrive at the {tier} accommodation booked for them",
    PERSON_DEPARTED: "A person has left their {tier} accommodation",
    PERSON_DEPARTED_UPDATED: "The departure details of a person who left {tier} accommodation have changed",
}


def register_tier(tier: tiers.Tier) -> None:
    """Declare the booking events of a tier (from `PlacementsConfig.ready()` for every registered tier;
    a tier registered later calls it itself). Declaring them twice is harmless."""
    for name, description in DESCRIPTIONS.items():
        if tier.event(name) not in EVENT_TYPES:
            register(EventType(tier.event(name), description.format(tier=tier.name)))


def _ref(obj, code_attr: str = "delius_code") -> dict | None:
    if obj is None:
        return None
    return {"code": getattr(obj, code_attr), "name": obj.name}


def booking_detail(booking, actor, **extra) -> dict:
    """What the probation case system needs to update the person's address, plus the change."""
    premises = booking.premises
    detail = {
        "bookingId": str(booking.pk),
        "bookingUrl": f"{settings.SERVICE_URL}{tiers.get(booking.service).page_path('booking', booking.pk)}",
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


def publish_booking_event(event: str, booking, actor, **extra):
    """Publish `event` (one of the names above) in the booking's tier's namespace."""
    return publish(
        tiers.get(booking.service).event(event),
        service=booking.service,
        crn=booking.crn,
        noms_number=booking.noms_number,
        subject=booking,
        detail=booking_detail(booking, actor, **extra),
        actor=actor,
    )
