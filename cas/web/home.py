"""Each role's home page: what that role does here, as links to the screens it may use.

Later features add their entry points here; a link shows only when the policy allows it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from cas.core.permissions import Permission
from cas.core.roles import Role
from cas.referrals.cas2 import queries as cas2_queries
from cas.referrals.cas3 import queries as referral_queries


@dataclass(frozen=True)
class HomeLink:
    text: str
    url_name: str
    description: str
    permission: Permission
    # Optional live figures under the description (for example how many referrals wait).
    summary: Callable | None = None


def _cas2_summary(user) -> str:
    totals = cas2_queries.queue(user, "new").totals
    return f"{totals['new']} new, {totals['in-progress']} in progress, {totals['placed']} placed."


def _queue_summary(user) -> str:
    counts = referral_queries.attention_counts(user)
    return (
        f"{counts['unallocated']} unallocated, {counts['in_review']} in review, "
        f"{counts['ready_to_place']} ready to place. "
        f"Urgent (needed within {referral_queries.URGENT_WITHIN_DAYS} days): {counts['urgent']}. "
        f"Review overdue: {counts['overdue']}."
    )


@dataclass(frozen=True)
class RoleHome:
    slug: str
    title: str
    intro: str
    links: tuple[HomeLink, ...]


FIND_PERSON = HomeLink(
    "Find a person",
    "web:person-search",
    "Look up a person by CRN in the probation case system: identity, offences, risk and prison details.",
    Permission.PERSON_VIEW,
)
REFERENCE = HomeLink(
    "Reference data",
    "web:reference-index",
    "Regions, PDUs, local authorities, characteristics and reason lists used across the service.",
    Permission.REFERENCE_VIEW,
)
PROPERTIES = HomeLink(
    "Properties",
    "web:property-list",
    "Your region's properties and bedspaces: add and change them, record void periods, archive them or bring "
    "them back online, see the occupancy calendar, and import them from a spreadsheet.",
    Permission.ESTATE_MANAGE,
)
PROPERTIES_READ = HomeLink(
    "Properties",
    "web:property-list",
    "Every region's properties and bedspaces, their void periods, archive history and occupancy calendar.",
    Permission.ESTATE_VIEW,
)

PLACE = HomeLink(
    "Place a person",
    "web:placement-home",
    "Find a bedspace for a referral that is ready to place, or for a referral made outside the service, and book it.",
    Permission.PLACEMENT_SEARCH,
)
BOOKINGS = HomeLink(
    "Bookings",
    "web:booking-list",
    "Bookings by status: confirm them, record arrivals, extensions, departures and move-on, cancellations, "
    "non-arrivals and incidents.",
    Permission.BOOKINGS_MANAGE,
)
BOOKINGS_READ = HomeLink(
    "Bookings",
    "web:booking-list",
    "Every region's bookings by status, with each booking's history.",
    Permission.BOOKINGS_VIEW,
)

MAKE_REFERRAL = HomeLink(
    "Make a referral",
    "web:referral-start",
    "Refer someone who will be homeless on release: we fill in what we can from NDelius, OASys and the prison system.",
    Permission.REFERRAL_MAKE,
)
REVIEW_REFERRALS = HomeLink(
    "Review referrals",
    "web:review-home",
    "Your region's referrals: take one, read it, accept or reject it, correct its dates and keep the probation "
    "practitioner informed with notes.",
    Permission.REFERRAL_ASSESS,
    summary=_queue_summary,
)
READ_REFERRALS = HomeLink(
    "Referrals in every region",
    "web:review-home",
    "Every region's review queue and referrals, their decisions and timelines (read only).",
    Permission.REFERRAL_READ,
    summary=_queue_summary,
)
SERVICE_LEVELS = HomeLink(
    "Review service levels",
    "web:review-service-levels",
    "How many working days each region's HPT has to review a referral before it is marked overdue.",
    Permission.REFERENCE_MANAGE,
)
STATISTICS = HomeLink(
    "Official statistics",
    "web:statistics",
    "CAS3 placements and move-on outcomes by the published counting rules, their revisions since the latest "
    "release, and the tables to download.",
    Permission.STATISTICS_VIEW,
)
STATISTICS_RELEASE = HomeLink(
    "Official statistics",
    "web:statistics",
    "CAS3 placements and move-on outcomes by the published counting rules: check the revisions since the latest "
    "release, download the tables and freeze the figures as a release.",
    Permission.STATISTICS_PUBLISH,
)
IMPORT_PLACEMENTS = HomeLink(
    "Import placements recorded outside the service",
    "web:placement-import",
    "Upload the manual (Welsh route) and historical placement records that the statistics include.",
    Permission.PLACEMENTS_IMPORT,
)
DASHBOARD = HomeLink(
    "Dashboard",
    "web:dashboard",
    "Referrals, placements and move-on outcomes for a period, nationally, by region or by PDU.",
    Permission.DASHBOARD_VIEW,
)
MI_REPORTS = HomeLink(
    "Reports",
    "web:reports",
    "Ask for a management information report for a period and a region, and download it when it is ready.",
    Permission.REPORTS_RUN,
)
CAS2_QUEUE = HomeLink(
    "CAS2 applications",
    "web:cas2-queue",
    "Every CAS2 application in one national queue: new, in progress, placed and closed. Read each one, update "
    "its status, record your reference and send notes to the referrer.",
    Permission.REFERRAL_ASSESS,
    summary=_cas2_summary,
)
CAS2_QUEUE_READ = HomeLink(
    "CAS2 applications",
    "web:cas2-queue",
    "Every CAS2 application, its status and timeline (read only).",
    Permission.REFERRAL_READ,
)
YOUR_REFERRALS = HomeLink(
    "Your referrals",
    "web:referral-list",
    "Carry on with a draft, or see what happened to the referrals you have sent.",
    Permission.REFERRAL_MAKE,
)

START_APPLICATION = HomeLink(
    "Start a CAS2 application",
    "web:cas2-start",
    "Apply for accommodation with support for someone with no suitable address: the person agrees first, and we "
    "fill in what we can from NDelius, OASys and the prison system.",
    Permission.REFERRAL_MAKE,
)
YOUR_APPLICATIONS = HomeLink(
    "Your CAS2 applications",
    "web:cas2-application-list",
    "Carry on with an application, answer the provider's questions, and follow the status of the ones you sent.",
    Permission.REFERRAL_MAKE,
)
PRISON_APPLICATIONS = HomeLink(
    "Your prison's CAS2 applications",
    "web:cas2-prison-applications",
    "Every application sent for someone in your prison now, whoever sent it: applications move with the person "
    "when they move prison.",
    Permission.REFERRAL_MAKE,
)
CAS2_REFERRER_LINKS = (START_APPLICATION, YOUR_APPLICATIONS)

ROLE_HOMES: dict[Role, RoleHome] = {
    Role.CAS3_REFERRER: RoleHome(
        "cas3-referrer",
        "Transitional accommodation (CAS3) referrals",
        "Refer people at risk of homelessness on release to your region's Homelessness Prevention Team.",
        (MAKE_REFERRAL, YOUR_REFERRALS, FIND_PERSON, REFERENCE),
    ),
    Role.CAS3_ASSESSOR: RoleHome(
        "cas3-assessor",
        "Homelessness Prevention Team",
        "Review referrals for your region, manage your region's properties and place people in bedspaces.",
        (REVIEW_REFERRALS, PLACE, BOOKINGS, FIND_PERSON, PROPERTIES, REFERENCE),
    ),
    Role.CAS2_COURT_REFERRER: RoleHome(
        "cas2-court-referrer",
        "Bail accommodation (CAS2) from court",
        "Apply for accommodation with support for someone seeking bail at court.",
        (*CAS2_REFERRER_LINKS, FIND_PERSON, REFERENCE),
    ),
    Role.CAS2_PRISON_REFERRER: RoleHome(
        "cas2-prison-referrer",
        "Bail accommodation (CAS2) from prison",
        "Apply for accommodation with support for someone in your prison seeking bail.",
        (*CAS2_REFERRER_LINKS, PRISON_APPLICATIONS, FIND_PERSON, REFERENCE),
    ),
    Role.CAS2_HDC_REFERRER: RoleHome(
        "cas2-hdc-referrer",
        "Home Detention Curfew accommodation (CAS2)",
        "Apply for accommodation with support for someone in your prison eligible for Home Detention Curfew.",
        (*CAS2_REFERRER_LINKS, PRISON_APPLICATIONS, FIND_PERSON, REFERENCE),
    ),
    Role.CAS2_PROBATION_REFERRER: RoleHome(
        "cas2-probation-referrer",
        "Accommodation with support (CAS2) from probation",
        "Apply for accommodation with support for someone on your caseload who is recalled, released or leaving "
        "an Approved Premises.",
        (*CAS2_REFERRER_LINKS, FIND_PERSON, REFERENCE),
    ),
    Role.CAS2_ASSESSOR: RoleHome(
        "cas2-assessor",
        "CAS2 assessments",
        "Assess CAS2 applications from every route and region, and keep the referrer up to date.",
        (CAS2_QUEUE, FIND_PERSON, REFERENCE),
    ),
    Role.CAS1_REFERRER: RoleHome(
        "cas1-referrer",
        "Approved Premises (CAS1)",
        "Look up people on probation. Referrals to Approved Premises (CAS1) and move-on planning are not in "
        "this service yet.",
        (FIND_PERSON, REFERENCE),
    ),
    Role.REPORTER: RoleHome(
        "reporter",
        "Reports and statistics",
        "Read-only, national view of the service's data for reporting and analysis.",
        (
            STATISTICS,
            DASHBOARD,
            MI_REPORTS,
            READ_REFERRALS,
            CAS2_QUEUE_READ,
            BOOKINGS_READ,
            PROPERTIES_READ,
            REFERENCE,
        ),
    ),
    Role.STATISTICIAN: RoleHome(
        "statistician",
        "Official statistics",
        "Produce the CAS3 official statistics: import the placements recorded outside the service and freeze "
        "the figures as a release.",
        (STATISTICS_RELEASE, IMPORT_PLACEMENTS, DASHBOARD, REFERENCE),
    ),
    Role.ADMIN: RoleHome(
        "admin",
        "Service administration",
        "Manage users, their roles and regions, the reference lists, and review the audit history.",
        (
            HomeLink(
                "Users",
                "web:user-list",
                "Create users, grant roles and regions, deactivate accounts.",
                Permission.USERS_MANAGE,
            ),
            HomeLink(
                "Reference data",
                "web:reference-index",
                "Edit reason lists and characteristics.",
                Permission.REFERENCE_MANAGE,
            ),
            SERVICE_LEVELS,
            HomeLink(
                "Audit history",
                "web:audit-list",
                "Search who changed what and who viewed which person's details.",
                Permission.AUDIT_VIEW,
            ),
            HomeLink(
                "Emails sent", "web:outbox-list", "Read every email the service has sent.", Permission.OUTBOX_VIEW
            ),
        ),
    ),
}
HOMES_BY_SLUG = {home.slug: (role, home) for role, home in ROLE_HOMES.items()}
