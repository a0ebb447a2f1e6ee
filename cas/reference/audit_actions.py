"""The audit actions of the reference lists (see `cas.core.audit_actions`)."""

from cas.core.audit_actions import declare

declare(
    "Reference data",
    {
        "reference.updated": "An administrator changed an entry of a reference list (its name, order or use).",
    },
)
