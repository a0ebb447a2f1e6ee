"""Roles a user can hold. A user may hold several; scope comes from their region and PDU."""

from django.db import models


class Role(models.TextChoices):
    CAS3_REFERRER = "cas3_referrer", "CAS3 referrer (probation practitioner)"
    CAS3_ASSESSOR = "cas3_assessor", "CAS3 assessor (Homelessness Prevention Team)"
    CAS2_REFERRER = "cas2_referrer", "CAS2 referrer (prison bail, court bail or probation)"
    CAS2_ASSESSOR = "cas2_assessor", "CAS2 assessor (Nacro)"
    CAS1_REFERRER = "cas1_referrer", "CAS1 referrer (Approved Premises)"
    REPORTER = "reporter", "Reporter (read-only, national)"
    STATISTICIAN = "statistician", "Statistician (official statistics and placement imports, national)"
    ADMIN = "admin", "Administrator"


# The tier each role works in (the code stored on the tier's records). Roles not listed here work across
# every tier (reporters, statisticians, administrators). A tier registered later (`cas.core.tiers`)
# declares its own roles.
ROLE_SERVICE = {
    Role.CAS3_REFERRER: "cas3",
    Role.CAS3_ASSESSOR: "cas3",
    Role.CAS2_REFERRER: "cas2",
    Role.CAS2_ASSESSOR: "cas2",
    Role.CAS1_REFERRER: "cas1",
}

# Roles whose work is bounded by the user's own probation region.
REGION_BOUND_ROLES = frozenset({Role.CAS3_ASSESSOR})
# Roles that see every region (read-only for reporters; statisticians also freeze statistics
# releases and import placements).
NATIONAL_ROLES = frozenset({Role.REPORTER, Role.STATISTICIAN, Role.ADMIN})

# Order matters: a user holding several roles lands on the first matching home page.
HOME_PRIORITY = (
    Role.CAS3_ASSESSOR,
    Role.CAS2_ASSESSOR,
    Role.CAS3_REFERRER,
    Role.CAS2_REFERRER,
    Role.CAS1_REFERRER,
    Role.STATISTICIAN,
    Role.REPORTER,
    Role.ADMIN,
)
