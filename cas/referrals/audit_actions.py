"""The audit actions of referrals and their review (see `cas.core.audit_actions`). The workflow's
actions (`referral.allocate`, `referral.accept`...) are known from each tier's workflow and are not
listed here."""

from cas.core.audit_actions import WORKFLOW_AREA, declare

declare(
    WORKFLOW_AREA,
    {
        "referral.created": "A referrer started a referral for a person (a draft).",
        "referral.page_saved": "A referrer saved answers on a page of a draft referral.",
        "referral.form_upgraded": "A draft referral's answers were moved to a newer version of the form.",
        "referral.draft_deleted": "A referrer deleted a draft referral.",
        "referral.abandoned": "A referrer abandoned an application they had not sent: its answers were removed, "
        "the fact kept.",
        "referral.prison_transferred": "An application made in prison moved with the person to another prison "
        "(a prison system event).",
        "referral.offender_manager_allocated": "A prison offender manager was allocated to the person an "
        "application made in prison is for (a prison system event).",
        "referral.prison_number_changed": "The prison system merged two records, so an application took the "
        "person's new prison number.",
        "referral.submitted": "A referrer submitted a referral to the region's queue.",
        "referral.note_added": "A note was added to a referral, by its referrer or an assessor.",
        "referral.dates_changed": "An assessor changed a referral's dates (release or accommodation needed).",
        "referral.viewed": "An assessor looked at a referral and the person's details.",
        "referral.refused": "A user was refused a referral that is not theirs or not in their reach.",
        "referral.review_refused": "An assessor was refused a referral of another tier or region.",
        "referral.assessment_details_changed": "A CAS2 assessor recorded the assessor's name or the provider's "
        "reference for an application.",
        "review.service_level_changed": "An administrator changed a region's service level for deciding referrals.",
    },
)
