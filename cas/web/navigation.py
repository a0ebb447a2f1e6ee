"""The service navigation, built from the permission policy so users only see what they can use."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from cas.core.permissions import Permission, has_permission, may_reach_service
from cas.core.tiers import Service
from cas.referrals.cas2 import queries as cas2_queries
from cas.referrals.cas3 import review as cas3_review


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    permission: Permission
    prefix: str  # URL prefix that marks the item as the current section (besides its own page)
    # A tier's area also needs the user to reach that tier: its assessors' permissions are shared
    # with the other tiers' assessors, who hold them for their own tier only.
    shown: Callable | None = None
    # For a tier's own pages: shown only to users who hold the permission in that tier.
    service: str | None = None


# No "Home" item: the service name at the start of the navigation goes home (the GOV.UK service
# navigation pattern), and the items must fit on one line at 1280 pixels for every role
# (tests/e2e/test_cas3_quick_start_polish.py).
NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Referrals", "web:referral-list", Permission.REFERRAL_MAKE, "/referrals", service=Service.CAS3),
    NavItem("Applications", "web:cas2-application-list", Permission.REFERRAL_MAKE, "/cas2/", service=Service.CAS2),
    NavItem("Review referrals", "web:review-home", Permission.REFERRAL_READ, "/review", cas3_review.may_review),
    NavItem("CAS2 applications", "web:cas2-queue", Permission.REFERRAL_READ, "/cas2/", cas2_queries.may_use_queue),
    NavItem("Find a person", "web:person-search", Permission.PERSON_VIEW, "/people"),
    NavItem("Place a person", "web:placement-home", Permission.PLACEMENT_SEARCH, "/placements"),
    NavItem("Bookings", "web:booking-list", Permission.BOOKINGS_VIEW, "/bookings"),
    NavItem("Properties", "web:property-list", Permission.ESTATE_VIEW, "/properties"),
    # For the administrators who edit them; everyone who may read the lists has them on their home page.
    NavItem("Reference data", "web:reference-index", Permission.REFERENCE_MANAGE, "/reference"),
    NavItem("Dashboard", "web:dashboard", Permission.DASHBOARD_VIEW, "/reports/dashboard"),
    NavItem(
        "Service levels", "web:review-service-levels", Permission.REFERENCE_MANAGE, "/manage/review-service-levels"
    ),
    NavItem("Reports", "web:reports", Permission.REPORTS_RUN, "/reports/runs"),
    NavItem("Statistics", "web:statistics", Permission.STATISTICS_VIEW, "/reports/statistics"),
    NavItem("Import placements", "web:placement-import", Permission.PLACEMENTS_IMPORT, "/reports/placements"),
    NavItem("Users", "web:user-list", Permission.USERS_MANAGE, "/manage/users"),
    NavItem("Audit", "web:audit-list", Permission.AUDIT_VIEW, "/manage/audit"),
    NavItem("Emails", "web:outbox-list", Permission.OUTBOX_VIEW, "/manage/emails"),
    NavItem("Subject access", "web:subject-access", Permission.SUBJECT_ACCESS, "/manage/subject-access"),
)


def navigation_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if (
            has_permission(user, item.permission)
            and (item.shown is None or item.shown(user))
            and (item.service is None or may_reach_service(user, item.permission, item.service))
        ):
            href = reverse(item.url_name)
            items.append(
                {
                    "href": href,
                    "text": item.text,
                    "active": request.path == href or request.path.startswith(item.prefix),
                }
            )
    return items
