"""Domain events about referrals, declared once (registered with `cas.events` on import)."""

from cas.events.domain_events import EventType, register

ASSESSMENT_UPDATED = register(
    EventType(
        "accommodation.cas3.assessment.updated",
        "An assessor corrected a CAS3 referral's release date or the date accommodation is required from. "
        "The detail has the field, its value before (from) and after (to) the change.",
    )
)
