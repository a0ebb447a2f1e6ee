"""The audit actions of the estate: properties, bedspaces and void periods (see
`cas.core.audit_actions`)."""

from cas.core.audit_actions import declare

declare(
    "Estate",
    {
        "premises.created": "A property was added to the estate.",
        "premises.refused": "Someone asked for a property of another region or service (answered as not found).",
        "premises.updated": "A property's details were changed.",
        "premises.archived": "A property was archived (taken out of the estate) from a date.",
        "premises.unarchived": "An archived property was brought back online from a date.",
        "premises.archive_cancelled": "A property's planned archiving was cancelled: it stays online.",
        "premises.unarchive_cancelled": "A property's planned return online was cancelled: it stays archived.",
        "bedspace.created": "A bedspace was added to a property.",
        "bedspace.updated": "A bedspace's details were changed.",
        "bedspace.archived": "A bedspace was archived (taken out of use) from a date.",
        "bedspace.unarchived": "An archived bedspace was brought back online from a date.",
        "bedspace.archive_cancelled": "A bedspace's planned archiving was cancelled: it stays online.",
        "bedspace.unarchive_cancelled": "A bedspace's planned return online was cancelled: it stays archived.",
        "void.created": "A bedspace was made unavailable for a period (a void).",
        "void.updated": "A void period's dates or reason were changed.",
        "void.cancelled": "A void period was cancelled: the bedspace is available again.",
    },
)
