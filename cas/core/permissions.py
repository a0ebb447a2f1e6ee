"""The permission policy: the one place that decides what each role may do, and where.

Every view and API endpoint names a `Permission`; `check()` then decides on role plus scope.
Scope rules:
- region: the object's probation region must be the user's own, unless the user has national
  scope (reporters, statisticians, administrators, or users of the National region).
Every rule says whether it lets the holder change the service's data (`changes_data`): reporters
hold none of those (the access matrix proves it), statisticians only the two statistics ones.
- Restricted people (limited access offenders) are decided by the case system, in
  `cas.people.access`, on top of this.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied

from cas.core.roles import NATIONAL_ROLES, Role


class Permission(StrEnum):
    SIGNED_IN = "signed_in"  # any active, signed-in user (home, own profile)
    PERSON_VIEW = "person.view"
    REFERENCE_VIEW = "reference.view"
    REFERENCE_MANAGE = "reference.manage"
    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"
    OUTBOX_VIEW = "outbox.view"
    EVENTS_READ = "events.read"
    SECOND_FACTOR = "account.second_factor"
    SUBJECT_ACCESS = "privacy.subject_access"
    # Reporting
    REPORTS_RUN = "reports.run"
    DASHBOARD_VIEW = "dashboard.view"
    STATISTICS_VIEW = "statistics.view"
    STATISTICS_PUBLISH = "statistics.publish"
    PLACEMENTS_IMPORT = "placements.import"
    # CAS3 referrals (the practitioner's side)
    CAS3_REFERRAL_MAKE = "cas3.referral.make"
    # CAS3 review and assessment (the HPT's side); reporters read only
    CAS3_REFERRAL_ASSESS = "cas3.referral.assess"
    CAS3_REFERRAL_READ = "cas3.referral.read"
    # The accommodation estate: properties, bedspaces, voids, archive schedules
    ESTATE_VIEW = "estate.view"
    ESTATE_MANAGE = "estate.manage"
    # Placement: bedspace search, bookings and incidents
    PLACEMENT_SEARCH = "placements.search"
    BOOKINGS_VIEW = "placements.bookings.view"
    BOOKINGS_MANAGE = "placements.bookings.manage"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] | None  # None: any signed-in user
    description: str
    # True when the permission lets its holder create, change or delete the service's data. Reads
    # that leave a trace (the audit of who viewed or downloaded what, an MI report run kept for its
    # download) are not changes: they add no fact about people, referrals, the estate, bookings or the
    # statistics.
    changes_data: bool = False


R = Role
POLICY: dict[Permission, Rule] = {
    Permission.SIGNED_IN: Rule(None, "Any signed-in user"),
    Permission.PERSON_VIEW: Rule(
        frozenset({R.CAS3_REFERRER, R.CAS3_ASSESSOR, R.CAS2_REFERRER, R.CAS2_ASSESSOR, R.CAS1_REFERRER}),
        "People who refer or assess: look up a person in the probation case system",
    ),
    Permission.REFERENCE_VIEW: Rule(frozenset(Role), "Any role: read the reference lists"),
    Permission.REFERENCE_MANAGE: Rule(frozenset({R.ADMIN}), "Administrators: edit reference lists", changes_data=True),
    Permission.USERS_MANAGE: Rule(
        frozenset({R.ADMIN}), "Administrators: manage users, roles and regions", changes_data=True
    ),
    Permission.AUDIT_VIEW: Rule(frozenset({R.ADMIN}), "Administrators: search the audit history"),
    Permission.OUTBOX_VIEW: Rule(frozenset({R.ADMIN}), "Administrators: read the emails the service sent"),
    Permission.SUBJECT_ACCESS: Rule(
        frozenset({R.ADMIN}), "Administrators: export every record about a person (subject access request)"
    ),
    # Asking for an MI report to be generated and downloading it is reading: the run records who asked
    # for which figures, and changes nothing else. Not statisticians: the statistics are counted from
    # the bookings and imports without these person-level files, which name every person in scope
    # (restricted people included, cas/reporting/README.md); someone who needs both holds both roles.
    Permission.REPORTS_RUN: Rule(
        frozenset({R.CAS3_ASSESSOR, R.REPORTER}), "Assessors (own region) and reporters (any region): MI reports"
    ),
    Permission.DASHBOARD_VIEW: Rule(
        frozenset({R.REPORTER, R.STATISTICIAN, R.CAS3_ASSESSOR, R.ADMIN}),
        "The delivery dashboard: reporters, statisticians and administrators nationally, assessors for their "
        "own region",
    ),
    Permission.STATISTICS_VIEW: Rule(
        frozenset({R.REPORTER, R.STATISTICIAN, R.ADMIN}),
        "Reporters, statisticians and administrators: read the official statistics and their revisions",
    ),
    # Freezing a release and importing placements change what the official statistics say, so they
    # belong to the statistician alone: not reporters (read only), and not administrators either, whose
    # job is users and reference lists; an administrator who must do it grants themselves the role,
    # which the audit history records.
    Permission.STATISTICS_PUBLISH: Rule(
        frozenset({R.STATISTICIAN}), "Statisticians: freeze the official statistics as a release", changes_data=True
    ),
    Permission.PLACEMENTS_IMPORT: Rule(
        frozenset({R.STATISTICIAN}),
        "Statisticians: import placements recorded outside the service",
        changes_data=True,
    ),
    Permission.SECOND_FACTOR: Rule(
        frozenset({R.ADMIN}), "Administrators: set up a second sign-in factor", changes_data=True
    ),
    Permission.EVENTS_READ: Rule(
        frozenset({R.ADMIN, R.REPORTER}),
        "Read the domain event feed (the probation case system signs in as a reporter with an API token)",
    ),
    Permission.CAS3_REFERRAL_MAKE: Rule(
        frozenset({R.CAS3_REFERRER}),
        "CAS3 referrers: make, resume and submit their own referrals",
        changes_data=True,
    ),
    Permission.CAS3_REFERRAL_ASSESS: Rule(
        frozenset({R.CAS3_ASSESSOR}),
        "CAS3 assessors: review and decide referrals of their own region",
        changes_data=True,
    ),
    Permission.CAS3_REFERRAL_READ: Rule(
        frozenset({R.CAS3_ASSESSOR, R.REPORTER}), "Assessors (own region) and reporters (any): read referrals"
    ),
    Permission.ESTATE_VIEW: Rule(
        frozenset({R.CAS3_ASSESSOR, R.REPORTER}), "Assessors (own region) and reporters (any): see the estate"
    ),
    Permission.ESTATE_MANAGE: Rule(
        frozenset({R.CAS3_ASSESSOR}),
        "CAS3 assessors: manage their own region's properties and bedspaces",
        changes_data=True,
    ),
    Permission.PLACEMENT_SEARCH: Rule(
        frozenset({R.CAS3_ASSESSOR}),
        "CAS3 assessors: search for bedspaces in their own region (national assessors: any region)",
    ),
    Permission.BOOKINGS_VIEW: Rule(
        frozenset({R.CAS3_ASSESSOR, R.REPORTER}),
        "Assessors (own region) and reporters (any region, read only): bookings, their history and incidents",
    ),
    Permission.BOOKINGS_MANAGE: Rule(
        frozenset({R.CAS3_ASSESSOR}),
        "CAS3 assessors: book bedspaces in their own region and record every step of a stay and its incidents",
        changes_data=True,
    ),
}


# The permissions that change data, declared by the rules above.
CHANGES_DATA = frozenset(p for p, rule in POLICY.items() if rule.changes_data)


def role_permissions(role: Role) -> frozenset[Permission]:
    """Every permission a user holding only `role` has."""
    return frozenset(p for p, rule in POLICY.items() if rule.roles is None or role in rule.roles)


def user_roles(user) -> frozenset[Role]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    return user.role_set


def has_permission(user, permission: Permission) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    rule = POLICY[permission]
    if rule.roles is None:
        return True
    return bool(user_roles(user) & rule.roles)


def has_national_scope(user) -> bool:
    if user_roles(user) & NATIONAL_ROLES:
        return True
    region = getattr(user, "region", None)
    return bool(region and region.is_national)


def can_access_region(user, region_id) -> bool:
    if region_id is None:
        return has_national_scope(user)
    return has_national_scope(user) or (user.region_id is not None and user.region_id == region_id)


def check(user, permission: Permission, *, region_id=None, check_region: bool = False) -> None:
    """Raise PermissionDenied unless the user may do `permission` (in `region_id` when given)."""
    if not has_permission(user, permission):
        raise PermissionDenied(f"Requires {permission}")
    if check_region and not can_access_region(user, region_id):
        raise PermissionDenied("Outside your region")


def scope_to_region(user, queryset, field: str = "region"):
    """Limit a queryset to the user's region unless they have national scope."""
    if has_national_scope(user):
        return queryset
    if user.region_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.region_id})
