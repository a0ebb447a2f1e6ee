"""The context the CAS2 form's pages see: the person, the referrer, the route and its open cohorts,
the upstream snapshots taken when the application started, and today's date."""

from __future__ import annotations

from cas.core import clock


def form_context(referral, *, today=None) -> dict:
    today = today or clock.today()
    user = referral.created_by
    route = referral.route
    return {
        "placeholders": {"name": referral.person_name},
        "today": today,
        "route": route.code if route else "",
        "cohorts": [(c.code, c.name) for c in route.cohorts.all() if c.is_open_on(today)] if route else [],
        "referrer": {"name": user.get_full_name(), "email": user.email, "phone": user.phone_number},
        "risk": referral.risk_snapshot,
        "prison": referral.prison_snapshot,
        "person": {
            "sex": referral.sex,
            "gender_identity": referral.gender_identity,
            "date_of_birth": referral.date_of_birth,
        },
    }
