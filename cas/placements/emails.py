"""Emails about bookings, in our own words (registered with the notification port on import)."""

from cas.events.email_templates import EmailTemplate, register

BOOKING_CONFIRMED = register(
    EmailTemplate(
        key="cas3_booking_confirmed",
        subject="CAS3 accommodation confirmed for ((person_name)) (((crn)))",
        body=(
            "Hello ((name)),\n\n"
            "The ((region)) Homelessness Prevention Team (HPT) has confirmed transitional accommodation (CAS3) "
            "for ((person_name)), CRN ((crn)).\n\n"
            "Address:\n((address))\n\n"
            "Arrival date: ((arrival_date))\n"
            "Expected departure date: ((departure_date))\n\n"
            "Booking reference: ((reference)).\n\n"
            "If anything changes, contact the ((region)) HPT at ((hpt_email))."
        ),
        description="Sent to the referrer (or the person's probation practitioner) when a booking is confirmed.",
    )
)

BOOKING_CANCELLED = register(
    EmailTemplate(
        key="cas3_booking_cancelled",
        subject="CAS3 booking cancelled for ((person_name)) (((crn)))",
        body=(
            "Hello ((name)),\n\n"
            "The booking of transitional accommodation (CAS3) for ((person_name)), CRN ((crn)), "
            "at ((address)) from ((arrival_date)) has been cancelled.\n\n"
            "Reason: ((reason))\n"
            "Cancelled on: ((cancelled_on))\n\n"
            "((next_steps))\n\n"
            "Booking reference: ((reference)). Contact the ((region)) HPT at ((hpt_email)) with any questions."
        ),
        description="Sent to the referrer (or the person's probation practitioner) when a booking is cancelled.",
    )
)
