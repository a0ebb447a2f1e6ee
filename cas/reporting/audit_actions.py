"""The audit actions of reports, statistics and the dashboard (see `cas.core.audit_actions`).
`statistics.downloaded` is recorded by the web pages that serve the files."""

from cas.core.audit_actions import declare

declare(
    "Reports and statistics",
    {
        "report.requested": "A user asked for an MI report to be prepared.",
        "report.downloaded": "A user downloaded a prepared MI report.",
        "dashboard.viewed": "A user looked at the delivery dashboard for a period and an area.",
        "placements.imported": "A statistician imported placements recorded outside the service.",
        "statistics.released": "A statistician froze the official statistics as a release.",
        "statistics.downloaded": "A user downloaded official statistics or a release.",
    },
)
