"""Roles a user can hold. A user may hold several; scope comes from their region and PDU."""

from django.db import models


class Role(models.TextChoices):
    CAS3_REFERRER = "cas3_referrer", "CAS3 referrer (probation practitioner)"
    CAS3_ASSESSOR = "cas3_assessor", "CAS3 assessor (Homelessness Prevention Team)"
    # CAS2 referrers, one role per route into the service: each route finds the person its own way
    # (CRN or prison number) and sees a different set of applications.
    CAS2_COURT_REFERRER = "cas2_court", "CAS2 court bail referrer (court staff)"
    CAS2_PRISON_REFERRER = "cas2_prison_bail", "CAS2 prison bail referrer (bail information officer)"
    CAS2_HDC_REFERRER = "cas2_hdc", "CAS2 HDC referrer (prison offender manager or licence case administrator)"
    CAS2_PROBATION_REFERRER = "cas2_probation", "CAS2 probation referrer (probation practitioner)"
    CAS2_ASSESSOR = "cas2_assessor", "CAS2 assessor (Nacro)"
    CAS1_REFERRER = "cas1_referrer", "CAS1 referrer (Approved Premises)"
    REPORTER = "reporter", "Reporter (read-only, national)"
    STATISTICIAN = "statistician", "Statistician (official statistics and placement imports, national)"
    ADMIN = "admin", "Administrator"


# A registered tier declares its roles in its profile (`Tier.roles`: CAS3's in cas/referrals/cas3/tier.py).
# CAS1 has a role but no profile yet: it is pinned to its tier here so that it can never count as a
# cross-tier role; the line goes when its tier's profile is registered. Roles in no tier (reporters,
# statisticians, administrators) work across every tier.
ROLE_SERVICE = {
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
    Role.CAS2_HDC_REFERRER,
    Role.CAS2_PRISON_REFERRER,
    Role.CAS2_COURT_REFERRER,
    Role.CAS2_PROBATION_REFERRER,
    Role.CAS1_REFERRER,
    Role.STATISTICIAN,
    Role.REPORTER,
    Role.ADMIN,
)
