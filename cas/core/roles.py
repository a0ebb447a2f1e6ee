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


# A registered tier declares its roles in its profile (`Tier.roles`: CAS3's in cas/referrals/cas3/tier.py).
# CAS2 and CAS1 have roles but no profile yet: they are pinned to their tier here so that they can never
# count as cross-tier roles; each line goes when its tier's profile is registered. Roles in no tier
# (reporters, statisticians, administrators) work across every tier.
ROLE_SERVICE = {
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
