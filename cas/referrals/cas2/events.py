"""CAS2's domain events, for the probation case system's contact log (registered on import)."""

from cas.events.domain_events import EventType, register

APPLICATION_SUBMITTED = register(
    EventType(
        "applications.cas2.application.submitted",
        "A CAS2 application was submitted to the provider. The detail has the application's id and link, the "
        "person (CRN and prison number), the route and cohort, the referring prison, the preferred areas, the "
        "HDC eligibility, conditional release and bail hearing dates, and who submitted it.",
    )
)

STATUS_UPDATED = register(
    EventType(
        "applications.cas2.application.status-updated",
        "The provider updated a CAS2 application's status. The detail has the application's id and link, the "
        "person, the route and cohort, the new status (code, label and details) and who updated it, when.",
    )
)
