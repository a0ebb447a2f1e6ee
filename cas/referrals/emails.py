"""Emails about referrals, in our own words (registered with the notification port on import)."""

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
