"""The audit actions of subject access and retention (see `cas.core.audit_actions`)."""

from cas.core.audit_actions import declare

declare(
    "Privacy",
    {
        "privacy.subject_access_export": "An administrator exported every record about a person (subject access).",
        "privacy.person_anonymised": "A person's records were anonymised after their case closed.",
    },
)
