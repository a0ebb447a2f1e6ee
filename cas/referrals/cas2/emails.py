"""CAS2's emails, in our own words (registered with the notification port on import). The referrer
gets a receipt with the provider's service level; the provider's shared inbox gets a notice of every
new application."""

from cas.events.email_templates import EmailTemplate, register

APPLICATION_RECEIPT = register(
    EmailTemplate(
        key="cas2_application_submitted",
        subject="Application received: CAS2 accommodation for ((person_name))",
        body=(
            "Hello ((name)),\n\n"
            "We have received your application for accommodation with support (CAS2) for ((person_name)), "
            "((identifier)). The application is for: ((cohort)). Your reference is ((reference)).\n\n"
            "It was sent on ((submitted_at)) to ((assessing_team)), who aim to decide ((service_level)).\n\n"
            "They may ask you for more information. You can follow the application, and send them a note, "
            "at ((application_url))."
        ),
        description="Sent to the referrer when they submit a CAS2 application: their receipt, with the service level.",
    )
)

APPLICATION_TO_ASSESS = register(
    EmailTemplate(
        key="cas2_application_to_assess",
        subject="New CAS2 application to assess: ((cohort)), ((identifier))",
        body=(
            "A new application for accommodation with support (CAS2) has been submitted.\n\n"
            "Application: ((cohort)) for ((person_name)), ((identifier)), reference ((reference)).\n"
            "Submitted on ((submitted_at)) by ((referrer_name)) (((referrer_email)), ((referrer_phone))).\n"
            "Decision due: ((due)) (((service_level))).\n\n"
            "Assess the application at ((application_url))."
        ),
        description="Sent to the provider's shared inbox for every new CAS2 application, with when a decision is due.",
    )
)

# The provider's side: each status update and each note to the referrer (`assessment.py`).

STATUS_UPDATED = register(
    EmailTemplate(
        key="cas2_status_updated",
        subject="CAS2 application for ((person_name)): ((status))",
        body=(
            "Hello ((name)),\n\n"
            "((assessing_team)) updated the application for accommodation with support (CAS2) for "
            "((person_name)), ((identifier)), reference ((reference)).\n\n"
            "New status: ((status)).\n"
            "((details))\n\n"
            "((next_step))\n\n"
            "See the application and its timeline at ((application_url))."
        ),
        description="Sent to the referrer (for HDC, the current offender manager or prison) when the provider "
        "updates a CAS2 application's status, with the details given.",
    )
)

NOTE_TO_REFERRER = register(
    EmailTemplate(
        key="cas2_note_to_referrer",
        subject="Note from the CAS2 provider about ((person_name))",
        body=(
            "Hello ((name)),\n\n"
            "((author)) from ((assessing_team)) added a note to the application for accommodation with support "
            "(CAS2) for ((person_name)), ((identifier)), reference ((reference)):\n\n"
            "((note))\n\n"
            "Reply, or see the application, at ((application_url))."
        ),
        description="Sent to the referrer (for HDC, the current offender manager or prison) when the provider adds "
        "a note to a CAS2 application.",
    )
)


# The referrer's side: notes, requested information sent back, and applications that follow the person.

NOTE_FROM_REFERRER = register(
    EmailTemplate(
        key="cas2_note_from_referrer",
        subject="New note on a CAS2 application: ((person_name)), reference ((reference))",
        body=(
            "((author)) added a note to the CAS2 application for ((person_name)) (CRN ((crn))), "
            "reference ((reference)):\n\n"
            "((note))\n\n"
            "Read the application and reply at ((referral_url))."
        ),
        description="Sent to the provider's shared inbox when a referrer (or prison staff) adds a note to a CAS2 "
        "application.",
    )
)

INFORMATION_SENT = register(
    EmailTemplate(
        key="cas2_information_sent",
        subject="Information sent for a CAS2 application: ((person_name)), reference ((reference))",
        body=(
            "((author)) has answered the questions you asked about the CAS2 application for ((person_name)) "
            "(((identifier))), reference ((reference)).\n\n"
            "Sections answered again: ((sections)).\n\n"
            "The application is back in your queue as received. Read the new answers at ((application_url))."
        ),
        description="Sent to the provider's shared inbox when a referrer sends back the information the provider "
        "asked for.",
    )
)

PRISON_TRANSFER = register(
    EmailTemplate(
        key="cas2_application_transferred",
        subject="CAS2 application moved with ((person_name)) to ((new_prison))",
        body=(
            "((person_name)) (((identifier))) has moved from ((old_prison)) to ((new_prison)). Their Home Detention "
            "Curfew application for CAS2 accommodation, reference ((reference)), has moved with them.\n\n"
            "Status: ((status)).\n\n"
            "Offender management staff at ((new_prison)) can now read the application, add notes and answer the "
            "provider's questions at ((application_url)). A prison offender manager has not been allocated yet."
        ),
        description="Sent to the old and new prisons' Offender Management Units and to the provider's inbox when a "
        "person with a CAS2 Home Detention Curfew application moves prison.",
    )
)
