"""The audit actions of bookings and incidents (see `cas.core.audit_actions`)."""

from cas.core.audit_actions import declare

declare(
    "Bookings",
    {
        "booking.created": "A bedspace was booked for a referral (provisional until confirmed).",
        "booking.confirmed": "A booking was confirmed.",
        "booking.arrived": "The person's arrival at the bedspace was recorded.",
        "booking.arrival_changed": "The recorded arrival of a booking was changed.",
        "booking.arrival_date_changed": "The expected arrival date of a booking was changed before the person arrived.",
        "booking.extended": "A booking's expected departure was moved later.",
        "booking.shortened": "A booking's expected departure was moved earlier.",
        "booking.departed": "The person's departure, its reason and move-on were recorded.",
        "booking.departure_updated": "The recorded departure of a booking was changed.",
        "booking.cancelled": "A booking was cancelled.",
        "booking.cancellation_updated": "The recorded cancellation of a booking was changed.",
        "booking.not_arrived": "The person did not arrive for their booking.",
        "booking.turnaround_changed": "The days the bedspace needs after a booking (its turnaround) were changed.",
        "incident.recorded": "An incident during a stay was recorded.",
        "booking.viewed": "Someone opened a booking, which names the person booked.",
        "booking.refused": "Someone asked for a booking of another region or service (answered as not found).",
        "placement.bedspace_refused": (
            "Someone asked to book a bedspace of another region or service (answered as not found)."
        ),
        "placement.referral_refused": (
            "Someone asked to place a referral of another region or service (answered as not found)."
        ),
    },
)
