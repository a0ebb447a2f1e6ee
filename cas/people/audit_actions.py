"""The audit actions of looking people up in the case system (see `cas.core.audit_actions`)."""

from cas.core.audit_actions import declare

declare(
    "People",
    {
        "person.viewed": "A user looked at a person's details from the probation case system.",
        "person.refused": "A user was refused a person's details (restricted, excluded or out of their reach).",
    },
)
