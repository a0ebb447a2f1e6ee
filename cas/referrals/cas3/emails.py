"""CAS3's emails, about its referrals and bookings, in our own words (registered with the notification port on
import; shared code finds each by purpose through the tier's profile, `tier.py`)."""

from cas.events.email_templates import EmailTemplate, register

REFERRAL_SUBMITTED = register(
    EmailTemplate(
        key="cas3_referral_submitted",
        subject="Referral received: CAS3 referral for ((person_name)) (((crn)))",
        body=(
            "Hello ((name)),\n\n"
            "We have received your referral for transitional accommodation (CAS3) for ((person_name)), "
            "CRN ((crn)). Your reference is ((reference)).\n\n"
            "It was sent on ((submitted_at)) to the ((region)) Homelessness Prevention Team (HPT). "
            "They aim to review referrals within 3 to 5 working days, and we will email you when they decide.\n\n"
            "You can see the referral as you sent it at ((referral_url)).\n\n"
            "If the person's circumstances change, contact the ((region)) HPT at ((hpt_email))."
        ),
        description="Sent to the probation practitioner when they submit a CAS3 referral: their receipt.",
    )
)

# Review and assessment: the practitioner hears about every decision, and about every note the HPT
# addresses to them, from the service itself (the MoJ service told them to expect emails it never sent).

REFERRAL_ACCEPTED = register(
    EmailTemplate(
        key="cas3_referral_accepted",
        subject="Referral accepted: CAS3 referral for ((person_name)) (((crn)))",
        body=(
            "Hello ((name)),\n\n"
            "The ((region)) Homelessness Prevention Team (HPT) has accepted your referral for transitional "
            "accommodation (CAS3) for ((person_name)), CRN ((crn)), reference ((reference)).\n\n"
            "They will now look for a suitable bedspace from ((required_from)). We will email you again when "
            "a bedspace is booked.\n\n"
            "You can follow the referral and reply to the HPT at ((referral_url))."
        ),
        description="Sent to the probation practitioner when the HPT accepts their CAS3 referral (ready to place).",
    )
)

REFERRAL_REJECTED = register(
    EmailTemplate(
        key="cas3_referral_rejected",
        subject="Referral rejected: CAS3 referral for ((person_name)) (((crn)))",
        body=(
            "Hello ((name)),\n\n"
            "The ((region)) Homelessness Prevention Team (HPT) has rejected your referral for transitional "
            "accommodation (CAS3) for ((person_name)), CRN ((crn)), reference ((reference)).\n\n"
            "Reason: ((reason))\n"
            "((details))\n\n"
            "((withdrawal))\n\n"
            "You can read the referral's history and reply to the HPT at ((referral_url)). "
            "If you have questions, contact the HPT at ((hpt_email))."
        ),
        description="Sent to the probation practitioner when the HPT rejects their CAS3 referral, with the reason.",
    )
)

NOTE_TO_REFERRER = register(
    EmailTemplate(
        key="cas3_referral_note_to_referrer",
        subject="A note about your CAS3 referral for ((person_name)) (((crn)))",
        body=(
            "Hello ((name)),\n\n"
            "((author)) from the ((region)) Homelessness Prevention Team (HPT) added a note to your referral for "
            "((person_name)), CRN ((crn)), reference ((reference)):\n\n"
            "((note))\n\n"
            "Reply on the referral's page at ((referral_url)), so the question and the answer stay with the referral."
        ),
        description="Sent to the probation practitioner when an assessor adds a note addressed to them.",
    )
)

NOTE_FROM_REFERRER = register(
    EmailTemplate(
        key="cas3_referral_note_from_referrer",
        subject="The probation practitioner added a note: CAS3 referral for ((person_name)) (((crn)))",
        body=(
            "Hello,\n\n"
            "((author)), the probation practitioner, added a note to the referral for ((person_name)), "
            "CRN ((crn)), reference ((reference)):\n\n"
            "((note))\n\n"
            "Read it with the referral's history at ((referral_url))."
        ),
        description=(
            "Sent to the assessor reviewing a CAS3 referral (or the HPT's shared mailbox when nobody has taken it) "
            "when the probation practitioner adds a note."
        ),
    )
)

# Bookings (sent by the shared booking services, which ask the tier for these keys).

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

BOOKING_ARRIVAL_DATE_CHANGED = register(
    EmailTemplate(
        key="cas3_booking_arrival_date_changed",
        subject="CAS3 arrival date changed for ((person_name)) (((crn)))",
        body=(
            "Hello ((name)),\n\n"
            "The ((region)) Homelessness Prevention Team (HPT) has changed the date ((person_name)), CRN ((crn)), "
            "is expected to arrive at their transitional accommodation (CAS3).\n\n"
            "Address:\n((address))\n\n"
            "New arrival date: ((arrival_date))\n"
            "Previous arrival date: ((previous_arrival_date))\n"
            "Expected departure date: ((departure_date))\n\n"
            "Booking reference: ((reference)).\n\n"
            "If anything changes, contact the ((region)) HPT at ((hpt_email))."
        ),
        description=(
            "Sent to the referrer (or the person's probation practitioner) when the arrival date of a confirmed "
            "booking changes before the person arrives."
        ),
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
