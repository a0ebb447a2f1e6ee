"""The permission policy: the one place that decides what each role may do, and where.

Every view and API endpoint names a `Permission`; `check()` then decides on role plus scope.
Scope rules:
- tier: a role belongs to a tier (`cas.core.roles.ROLE_SERVICE`, or a registered tier's `roles`), and a
  tier's profile declares which permissions its roles hold (`Tier.grants`). Object checks and list
  scoping limit the holder to the records of the tiers whose roles grant the permission: a CAS2
  assessor who may manage bookings manages CAS2 bookings, never CAS3 ones. Roles in no tier
  (reporters, statisticians, administrators) work across every tier.
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

from cas.core import tiers
from cas.core.roles import NATIONAL_ROLES, ROLE_SERVICE, Role


class Permission(StrEnum):
    SIGNED_IN = "signed_in"  # any active, signed-in user (home, own profile)
    PERSON_VIEW = "person.view"
    REFERENCE_VIEW = "reference.view"
    REFERENCE_MANAGE = "reference.manage"
    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"
    OUTBOX_VIEW = "outbox.view"
    EVENTS_READ = "events.read"
    PRISON_EVENTS_RECEIVE = "prison_events.receive"
    SECOND_FACTOR = "account.second_factor"
    SUBJECT_ACCESS = "privacy.subject_access"
    # Reporting
    REPORTS_RUN = "reports.run"
    DASHBOARD_VIEW = "dashboard.view"
    STATISTICS_VIEW = "statistics.view"
    STATISTICS_PUBLISH = "statistics.publish"
    PLACEMENTS_IMPORT = "placements.import"
    # Referrals: making them (the practitioner's side), assessing them (the tier's assessors), reading
    # them (assessors and reporters); each tier grants these to its own roles
    REFERRAL_MAKE = "referral.make"
    REFERRAL_ASSESS = "referral.assess"
    REFERRAL_READ = "referral.read"
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
# Roles that work across tiers are listed here; each tier's own roles get their permissions from the
# tier's profile (`Tier.grants`, CAS3's in `cas/referrals/cas3/tier.py`), so this table names no tier.
POLICY: dict[Permission, Rule] = {
    Permission.SIGNED_IN: Rule(None, "Any signed-in user"),
    # CAS1 referrers look people up already; their tier's profile will hold this grant when it is
    # registered.
    Permission.PERSON_VIEW: Rule(
        frozenset({R.CAS1_REFERRER}),
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
        frozenset({R.REPORTER}), "Assessors (own region) and reporters (any region): MI reports"
    ),
    Permission.DASHBOARD_VIEW: Rule(
        frozenset({R.REPORTER, R.STATISTICIAN, R.ADMIN}),
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
    # The prison system's events move applications made in prison (CAS2): a write no referrer, assessor
    # or reporter needs. The prison event publisher signs in with an API token of an administrator's
    # machine account; an operator replays an event with `manage.py handle_prison_event`.
    Permission.PRISON_EVENTS_RECEIVE: Rule(
        frozenset({R.ADMIN}),
        "Administrators and the prison system's event publisher (API token): report prison moves, offender "
        "manager allocations and merged prison numbers",
        changes_data=True,
    ),
    Permission.REFERRAL_MAKE: Rule(
        frozenset(), "Referrers of each tier: make, resume and submit their own referrals", changes_data=True
    ),
    Permission.REFERRAL_ASSESS: Rule(
        frozenset(), "Assessors of each tier: review and decide referrals of their own region", changes_data=True
    ),
    Permission.REFERRAL_READ: Rule(
        frozenset({R.REPORTER}), "Assessors (own tier and region) and reporters (any): read referrals"
    ),
    Permission.ESTATE_VIEW: Rule(
        frozenset({R.REPORTER}), "Assessors (own tier and region) and reporters (any): see the estate"
    ),
    Permission.ESTATE_MANAGE: Rule(
        frozenset(), "Assessors: manage their own tier's and region's properties and bedspaces", changes_data=True
    ),
    Permission.PLACEMENT_SEARCH: Rule(
        frozenset(), "Assessors: search for bedspaces of their tier in their own region (national assessors: any)"
    ),
    Permission.BOOKINGS_VIEW: Rule(
        frozenset({R.REPORTER}),
        "Assessors (own tier and region) and reporters (any, read only): bookings, their history and incidents",
    ),
    Permission.BOOKINGS_MANAGE: Rule(
        frozenset(),
        "Assessors: book bedspaces of their tier in their own region and record every step of a stay and its incidents",
        changes_data=True,
    ),
}


# The permissions that change data, declared by the rules above.
CHANGES_DATA = frozenset(p for p, rule in POLICY.items() if rule.changes_data)


def rule_roles(permission: Permission) -> frozenset[str] | None:
    """Every role holding `permission`: the rule's own, and those the registered tiers grant it to."""
    rule = POLICY[permission]
    if rule.roles is None:
        return None
    return rule.roles | tiers.grants(permission)


def role_service(role: str) -> str | None:
    """The tier a role belongs to, or None for a role that works across every tier."""
    return ROLE_SERVICE.get(role) or tiers.service_of_role(role)


def role_permissions(role: str) -> frozenset[Permission]:
    """Every permission a user holding only `role` has."""
    return frozenset(p for p in POLICY if (roles := rule_roles(p)) is None or role in roles)


def user_roles(user) -> frozenset[Role]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    return user.role_set


def has_permission(user, permission: Permission) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = rule_roles(permission)
    if roles is None:
        return True
    return bool(user_roles(user) & roles)


def services_for(user, permission: Permission) -> frozenset[str] | None:
    """The tiers whose records the user may reach with `permission`: None for every tier (a role in no
    tier grants it, or anyone may), an empty set when they may not at all."""
    roles = rule_roles(permission)
    if roles is None:
        return None
    services = set()
    for role in user_roles(user) & roles:
        service = role_service(role)
        if service is None:
            return None
        services.add(service)
    return frozenset(services)


def may_reach_service(user, permission: Permission, service: str) -> bool:
    services = services_for(user, permission)
    return services is None or service in services


def has_national_scope(user) -> bool:
    if user_roles(user) & NATIONAL_ROLES:
        return True
    region = getattr(user, "region", None)
    return bool(region and region.is_national)


def can_access_region(user, region_id) -> bool:
    if region_id is None:
        return has_national_scope(user)
    return has_national_scope(user) or (user.region_id is not None and user.region_id == region_id)


def acting_service(user, permission: Permission, service: str | None = None) -> str | None:
    """The tier in which the user uses `permission`: `service` when given (refused if not theirs), or
    the only tier they hold it in; None when they hold it in several (or every) tier and said none."""
    services = services_for(user, permission)
    if service is not None:
        if services is not None and service not in services:
            raise PermissionDenied("Outside your tier")
        return service
    if services is not None and len(services) == 1:
        return next(iter(services))
    return None


def check(
    user, permission: Permission, *, region_id=None, check_region: bool = False, service: str | None = None
) -> None:
    """Raise PermissionDenied unless the user may do `permission` (on a record of tier `service`, in
    `region_id`, when given)."""
    if not has_permission(user, permission):
        raise PermissionDenied(f"Requires {permission}")
    if service is not None and not may_reach_service(user, permission, service):
        raise PermissionDenied("Outside your tier")
    if check_region and not can_access_region(user, region_id):
        raise PermissionDenied("Outside your region")


def scope(user, permission: Permission, queryset, *, field: str = "region", service_field: str = "service"):
    """Limit a queryset of tier records to those the user may reach with `permission`: their tiers'
    records, in their region unless they have national scope."""
    services = services_for(user, permission)
    if services is not None:
        queryset = queryset.filter(**{f"{service_field}__in": sorted(services)})
    return scope_to_region(user, queryset, field)


def scope_to_region(user, queryset, field: str = "region"):
    """Limit a queryset to the user's region unless they have national scope."""
    if has_national_scope(user):
        return queryset
    if user.region_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.region_id})
