"""The context the CAS2 form's pages see: the applicant, the referrer, the route of the application
and its open cohorts, the upstream snapshots taken when the draft was created, and today's date."""

from __future__ import annotations

import datetime as dt

from cas.core import clock


def open_cohorts(route, today: dt.date) -> list[tuple[str, str]]:
    """(code, name) of the route's cohorts open on `today` (`ReferralCohort.is_open_on`: its
    `closes_on` is the first day it takes no applications), in the route's order."""
    cohorts = route.cohorts.all() if route is not None else ()
    return [
        (cohort.code, cohort.name)
        for cohort in sorted(cohorts, key=lambda cohort: (cohort.sort_order, cohort.name))
        if cohort.is_open_on(today)
    ]


def form_context(referral, *, today=None) -> dict:
    today = today or clock.today()
    route = referral.route
    user = referral.created_by
    return {
        "placeholders": {"name": referral.person_name},
        "today": today,
        "route": route.code if route is not None else "",
        "cohorts": open_cohorts(route, today),
        "referrer": {"name": user.get_full_name(), "email": user.email, "phone": user.phone_number},
        "risk": referral.risk_snapshot,
        "prison": referral.prison_snapshot,
        "person": {
            "sex": referral.sex,
            "gender_identity": referral.gender_identity,
            "date_of_birth": referral.date_of_birth,
        },
    }
